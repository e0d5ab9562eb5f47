package dev.trainyard.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    private static final int MILLION = 1_000_000;

    @Test
    void philoxMatchesRandom123KnownAnswers() {
        // Random123's published known-answer vectors for Philox4x32-10 (tests/kat_vectors)
        int[] out = new int[4];
        Generator.philox(0, 0, 0, 0, 0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Generator.philox(-1, -1, -1, -1, -1, -1, out);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Generator.philox(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void sameSeedGivesSameStream() {
        Generator a = new Generator().manualSeed(42);
        Generator b = new Generator().manualSeed(42);
        assertArrayEquals(a.rand(new int[] {7, 11}, DType.FLOAT32).toFloatArray(), b.rand(new int[] {7, 11}, DType.FLOAT32).toFloatArray());
        assertArrayEquals(a.randn(new int[] {101}, DType.FLOAT64).toDoubleArray(), b.randn(new int[] {101}, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(a.randint(-5, 5, new int[] {33}).toLongArray(), b.randint(-5, 5, new int[] {33}).toLongArray());
        assertArrayEquals(a.randperm(50).toLongArray(), b.randperm(50).toLongArray());
        Tensor p = Tensor.full(new int[] {64}, 0.5);
        assertArrayEquals(a.bernoulli(p).toFloatArray(), b.bernoulli(p).toFloatArray());
    }

    @Test
    void reseedingRewindsTheStream() {
        Generator g = new Generator().manualSeed(7);
        double[] first = g.rand(new int[] {10}, DType.FLOAT64).toDoubleArray();
        double[] second = g.rand(new int[] {10}, DType.FLOAT64).toDoubleArray();
        assertFalse(Arrays.equals(first, second), "consecutive draws must differ");
        assertSame(g, g.manualSeed(7), "manualSeed returns the generator");
        assertArrayEquals(first, g.rand(new int[] {10}, DType.FLOAT64).toDoubleArray());
    }

    @Test
    void defaultGeneratorIsSeededByTensorManualSeed() {
        Tensor.manualSeed(1234);
        float[] a = Tensor.rand(3, 4).toFloatArray();
        float[] an = Tensor.randn(5).toFloatArray();
        Tensor.manualSeed(1234);
        assertArrayEquals(a, Tensor.rand(3, 4).toFloatArray());
        assertArrayEquals(an, Tensor.randn(5).toFloatArray());
        assertEquals(1234, Generator.defaultGenerator().initialSeed());
        assertEquals(DType.FLOAT32, Tensor.rand(2).dtype());
        assertArrayEquals(new int[] {3, 4}, Tensor.randn(3, 4).shape());
        assertEquals(DType.INT64, Tensor.randint(0, 3, 2, 2).dtype());
        assertEquals(DType.FLOAT64, Tensor.randnLike(Tensor.zeros(new int[] {2}, DType.FLOAT64)).dtype());
    }

    @Test
    void differentSeedsDiffer() {
        double[] a = new Generator().manualSeed(1).rand(new int[] {1000}, DType.FLOAT64).toDoubleArray();
        double[] b = new Generator().manualSeed(2).rand(new int[] {1000}, DType.FLOAT64).toDoubleArray();
        int equal = 0;
        for (int i = 0; i < a.length; i++) {
            equal += a[i] == b[i] ? 1 : 0;
        }
        assertEquals(0, equal, "seeds 1 and 2 share " + equal + " of 1000 values");
        long[] p1 = new Generator().manualSeed(1).randperm(20).toLongArray();
        long[] p2 = new Generator().manualSeed(2).randperm(20).toLongArray();
        assertFalse(Arrays.equals(p1, p2));
    }

    @Test
    void freshGeneratorUsesPyTorchsDefaultSeed() {
        assertEquals(67280421310721L, new Generator().initialSeed());
        assertArrayEquals(new Generator().randn(new int[] {8}, DType.FLOAT64).toDoubleArray(),
                new Generator().manualSeed(67280421310721L).randn(new int[] {8}, DType.FLOAT64).toDoubleArray());
    }

    @Test
    void seedPicksANonDeterministicSeedAndReportsIt() {
        Generator g = new Generator();
        long s1 = g.seed();
        assertEquals(s1, g.initialSeed());
        double[] a = g.rand(new int[] {5}, DType.FLOAT64).toDoubleArray();
        assertArrayEquals(a, new Generator().manualSeed(s1).rand(new int[] {5}, DType.FLOAT64).toDoubleArray());
        long s2 = g.seed();
        assertNotEquals(s1, s2);
    }

    @Test
    void stateSaveAndRestoreContinuesTheSameStream() {
        Generator g = new Generator().manualSeed(99);
        g.randn(new int[] {13}, DType.FLOAT32);
        g.randint(0, 10, new int[] {3});
        byte[] state = g.getState();
        double[] a = g.rand(new int[] {17}, DType.FLOAT64).toDoubleArray();
        long[] b = g.randperm(30).toLongArray();
        float[] c = g.randn(new int[] {9}, DType.FLOAT32).toFloatArray();

        // on the same generator, after it moved on and was even reseeded
        g.manualSeed(5).rand(new int[] {100}, DType.FLOAT32);
        g.setState(state);
        assertArrayEquals(a, g.rand(new int[] {17}, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(b, g.randperm(30).toLongArray());
        assertArrayEquals(c, g.randn(new int[] {9}, DType.FLOAT32).toFloatArray());
        assertEquals(99, g.initialSeed());

        // on a different generator: the state is complete
        Generator other = new Generator().setState(state.clone());
        assertArrayEquals(a, other.rand(new int[] {17}, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(g.getState(), new Generator().setState(g.getState()).getState());
    }

    @Test
    void getStateIsACopy() {
        Generator g = new Generator().manualSeed(3);
        byte[] state = g.getState();
        Arrays.fill(state, (byte) 0);
        g.setState(new Generator().manualSeed(3).getState());
        assertArrayEquals(new Generator().manualSeed(3).rand(new int[] {4}, DType.FLOAT64).toDoubleArray(),
                g.rand(new int[] {4}, DType.FLOAT64).toDoubleArray());
    }

    @Test
    void setStateRejectsForeignBytes() {
        Generator g = new Generator();
        var wrongLength = assertThrows(IllegalArgumentException.class, () -> g.setState(new byte[5]));
        assertTrue(wrongLength.getMessage().contains("20 bytes"), wrongLength.getMessage());
        var wrongHeader = assertThrows(IllegalArgumentException.class, () -> g.setState(new byte[20]));
        assertTrue(wrongHeader.getMessage().contains("not a Philox4x32-10 generator state"), wrongHeader.getMessage());
    }

    /** Element i of a result is a function of (seed, offset, i) alone: independent of chunking and of thread count. */
    @Test
    void streamIsIndependentOfThreadCount() throws Exception {
        int n = 200_003; // 100,002 blocks of two doubles: several parallel chunks, the last one partial
        double[] parallel = new Generator().manualSeed(11).rand(new int[] {n}, DType.FLOAT64).toDoubleArray();
        double[] oneThread = inPool(1, () -> new Generator().manualSeed(11).rand(new int[] {n}, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(parallel, oneThread);
        float[] normals = new Generator().manualSeed(11).randn(new int[] {n}, DType.FLOAT32).toFloatArray();
        assertArrayEquals(normals, inPool(1, () -> new Generator().manualSeed(11).randn(new int[] {n}, DType.FLOAT32).toFloatArray()));

        // and each element is exactly what the block function gives
        int[] words = new int[4];
        for (int i : new int[] {0, 1, 2, 32767, 32768, 99_999, n - 1}) {
            Generator.philox(i / 2, 11, words);
            int hi = words[2 * (i % 2)];
            int lo = words[2 * (i % 2) + 1];
            double expected = ((((long) hi << 32) | (lo & 0xFFFFFFFFL)) >>> 11) * 0x1p-53;
            assertEquals(expected, parallel[i], 0.0, "element " + i);
        }

        // a second call continues after the blocks the first reserved
        Generator g = new Generator().manualSeed(11);
        g.rand(new int[] {5}, DType.FLOAT64); // 3 blocks
        double next = g.rand(new int[] {1}, DType.FLOAT64).item();
        Generator.philox(3, 11, words);
        assertEquals(((((long) words[0] << 32) | (words[1] & 0xFFFFFFFFL)) >>> 11) * 0x1p-53, next, 0.0);
    }

    private static <T> T inPool(int threads, java.util.concurrent.Callable<T> task) throws ExecutionException, InterruptedException {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(task).get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void concurrentCallersShareOneStreamWithoutOverlap() throws Exception {
        Generator shared = new Generator().manualSeed(21);
        int threads = 4;
        int calls = 200;
        List<Future<List<long[]>>> futures = new ArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    List<long[]> draws = new ArrayList<>();
                    for (int c = 0; c < calls; c++) {
                        draws.add(shared.randint(0, Long.MAX_VALUE, new int[] {6}).toLongArray());
                    }
                    return draws;
                }));
            }
            List<String> concurrent = new ArrayList<>();
            for (var f : futures) {
                for (long[] d : f.get()) {
                    concurrent.add(Arrays.toString(d));
                }
            }
            Generator sequential = new Generator().manualSeed(21);
            List<String> expected = new ArrayList<>();
            for (int c = 0; c < threads * calls; c++) {
                expected.add(Arrays.toString(sequential.randint(0, Long.MAX_VALUE, new int[] {6}).toLongArray()));
            }
            concurrent.sort(null);
            expected.sort(null);
            assertEquals(expected, concurrent, "concurrent calls must get disjoint runs of the one stream");
            assertArrayEquals(sequential.getState(), shared.getState());
        } finally {
            pool.shutdown();
        }
    }

    // ------------------------------------------------------------------ distributions

    @Test
    void uniformFloat64MomentsAndHistogram() {
        double[] u = new Generator().manualSeed(2024).rand(new int[] {MILLION}, DType.FLOAT64).toDoubleArray();
        checkUniform(u, "rand float64");
    }

    @Test
    void uniformFloat32MomentsAndHistogram() {
        float[] f = new Generator().manualSeed(2025).rand(new int[] {MILLION}, DType.FLOAT32).toFloatArray();
        double[] u = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            u[i] = f[i];
        }
        checkUniform(u, "rand float32");
    }

    private static void checkUniform(double[] u, String what) {
        int n = u.length;
        double sum = 0;
        double min = 1;
        double max = 0;
        int[] bins = new int[100];
        for (double v : u) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            bins[(int) (v * 100)]++;
        }
        double mean = sum / n;
        double var = 0;
        double lag1 = 0;
        for (int i = 0; i < n; i++) {
            var += (u[i] - mean) * (u[i] - mean);
            if (i > 0) {
                lag1 += (u[i] - mean) * (u[i - 1] - mean);
            }
        }
        var /= n - 1;
        double correlation = lag1 / (var * (n - 1));
        // standard errors for n = 1e6: mean 2.9e-4, variance 7.5e-5, lag-1 correlation 1e-3; bounds are about 5 of them
        assertTrue(min >= 0 && max < 1, what + ": values outside [0, 1): min " + min + ", max " + max);
        assertEquals(0.5, mean, 0.0015, what + ": mean");
        assertEquals(1.0 / 12, var, 0.0004, what + ": variance");
        assertEquals(0.0, correlation, 0.005, what + ": lag-1 autocorrelation");
        double chi2 = 0;
        double expected = n / 100.0;
        for (int b : bins) {
            chi2 += (b - expected) * (b - expected) / expected;
        }
        // chi-square with 99 degrees of freedom: mean 99, sd 14; 99.99th percentile about 157
        assertTrue(chi2 < 160, what + ": histogram chi-square " + chi2 + " over 100 bins is too large");
    }

    @Test
    void normalMoments() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] z = new Generator().manualSeed(77).randn(new int[] {MILLION}, dtype).toDoubleArray();
            int n = z.length;
            double mean = Arrays.stream(z).sum() / n;
            double m2 = 0;
            double m3 = 0;
            double m4 = 0;
            int within1 = 0;
            for (double v : z) {
                double d = v - mean;
                m2 += d * d;
                m3 += d * d * d;
                m4 += d * d * d * d;
                within1 += Math.abs(v) < 1 ? 1 : 0;
            }
            double var = m2 / (n - 1);
            double skew = (m3 / n) / Math.pow(m2 / n, 1.5);
            double kurtosis = (m4 / n) / Math.pow(m2 / n, 2);
            // standard errors for n = 1e6: mean 1e-3, variance 1.4e-3, skewness 2.4e-3, kurtosis 4.9e-3
            assertEquals(0.0, mean, 0.005, dtype + " randn mean");
            assertEquals(1.0, var, 0.007, dtype + " randn variance");
            assertEquals(0.0, skew, 0.012, dtype + " randn skewness");
            assertEquals(3.0, kurtosis, 0.025, dtype + " randn kurtosis");
            // P(|Z| < 1) = 0.682689; standard error 4.7e-4
            assertEquals(0.682689, within1 / (double) n, 0.0025, dtype + " randn P(|z| < 1)");
        }
    }

    @Test
    void randpermIsAPermutation() {
        Generator g = new Generator().manualSeed(8);
        for (int n : new int[] {0, 1, 2, 10, 1000, 100_000}) {
            long[] p = g.randperm(n).toLongArray();
            assertEquals(n, p.length);
            long[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sorted[i], "randperm(" + n + ") is not a permutation");
            }
        }
        Tensor t = g.randperm(5);
        assertEquals(DType.INT64, t.dtype());
        assertArrayEquals(new int[] {5}, t.shape());
        // each of the 6 orders of 3 elements is equally likely
        int[] counts = new int[6];
        for (int k = 0; k < 60_000; k++) {
            long[] p = g.randperm(3).toLongArray();
            counts[(int) (p[0] * 2 + (p[1] > p[2] ? 1 : 0))]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 500, "randperm(3) orders " + Arrays.toString(counts));
        }
        assertThrows(IllegalArgumentException.class, () -> g.randperm(-1));
    }

    @Test
    void randintStaysInRangeAndIsUniform() {
        long[] v = new Generator().manualSeed(31).randint(-3, 7, new int[] {100_000}).toLongArray();
        int[] counts = new int[10];
        for (long x : v) {
            assertTrue(x >= -3 && x < 7, "randint(-3, 7) gave " + x);
            counts[(int) (x + 3)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 500, "randint(-3, 7) counts " + Arrays.toString(counts));
        }
        long[] one = new Generator().randint(5, 6, new int[] {10}).toLongArray();
        assertTrue(Arrays.stream(one).allMatch(x -> x == 5));
        // the full signed range does not overflow
        long[] wide = new Generator().manualSeed(1).randint(Long.MIN_VALUE, Long.MAX_VALUE, new int[] {1000}).toLongArray();
        assertTrue(Arrays.stream(wide).anyMatch(x -> x < 0) && Arrays.stream(wide).anyMatch(x -> x > 0));
        assertTrue(Arrays.stream(wide).allMatch(x -> x != Long.MAX_VALUE));
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.randint(4, 4, 3));
        assertTrue(e.getMessage().contains("low=4 and high=4"), e.getMessage());
    }

    @Test
    void bernoulliMeanMatchesProbabilities() {
        Generator g = new Generator().manualSeed(5);
        Tensor p = Tensor.full(new int[] {MILLION / 10}, 0.3);
        Tensor draws = p.bernoulli(g);
        assertEquals(DType.FLOAT32, draws.dtype());
        assertArrayEquals(p.shape(), draws.shape());
        float[] d = draws.toFloatArray();
        double sum = 0;
        for (float x : d) {
            assertTrue(x == 0f || x == 1f, "bernoulli gave " + x);
            sum += x;
        }
        // standard error sqrt(0.21 / 1e5) = 1.45e-3
        assertEquals(0.3, sum / d.length, 0.0075);

        Tensor edges = Tensor.of(new double[] {0, 1, 0, 1}, 2, 2);
        Tensor e = edges.bernoulli(g);
        assertEquals(DType.FLOAT64, e.dtype());
        assertArrayEquals(new double[] {0, 1, 0, 1}, e.toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {0.5f, 1.5f}).bernoulli(g));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[] {0, 1}).bernoulli(g));
    }

    @Test
    void inPlaceFillersUseTheGenerator() {
        Tensor a = Tensor.zeros(1000).normal_(3.0, 0.5, new Generator().manualSeed(4));
        Tensor b = Tensor.zeros(1000).normal_(3.0, 0.5, new Generator().manualSeed(4));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertEquals(3.0, a.mean().item(), 0.1);
        Tensor u = Tensor.zeros(1000).uniform_(-2, -1, new Generator().manualSeed(4));
        for (float x : u.toFloatArray()) {
            assertTrue(x >= -2 && x < -1, "uniform_(-2, -1) gave " + x);
        }
    }

    @Test
    void withDefaultBindsTheDefaultGeneratorForThisThreadOnly() throws Exception {
        Generator own = new Generator();
        Generator global = Generator.defaultGenerator();
        Generator inside = Generator.withDefault(own, () -> {
            Tensor.manualSeed(7); // seeds the bound generator, not the process-wide one
            return Generator.defaultGenerator();
        });
        assertSame(own, inside);
        assertEquals(7, own.initialSeed());
        assertSame(global, Generator.defaultGenerator());
        // another thread does not see the binding
        Generator[] seen = new Generator[1];
        Generator.withDefault(own, () -> {
            Thread t = Thread.ofPlatform().start(() -> seen[0] = Generator.defaultGenerator());
            t.join();
            return null;
        });
        assertSame(global, seen[0]);
    }

    @Test
    void twoThreadsWithTheirOwnDefaultGeneratorsDrawReproducibleStreamsAtOnce() throws Exception {
        float[] expected = Generator.withDefault(new Generator(), () -> {
            Tensor.manualSeed(42);
            return drawMany();
        });
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                results.add(pool.submit(() -> Generator.withDefault(new Generator(), () -> {
                    Tensor.manualSeed(42);
                    return drawMany();
                })));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        }
    }

    /** Many small draws, so two threads interleave: with a shared generator their streams would mix. */
    private static float[] drawMany() {
        float[] out = new float[2000];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Tensor.rand(1).item();
            Thread.yield();
        }
        return out;
    }
}
