package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked float32 GEMM against a float64 reference, across block edges, with transposed operands, and through each
 * of its schedules (row blocks, column panels, parallel slices of k, transposed C); and the plain Java product used
 * without the Vector API.
 */
class GemmTest {

    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] transA={3} transB={4}")
    @CsvSource({
            "1, 1, 1, false, false",
            "5, 7, 3, false, false",
            "6, 32, 256, false, false",
            "97, 65, 300, false, false",
            "64, 256, 784, false, false",
            "130, 33, 513, true, false",
            "37, 129, 70, false, true",
            "200, 70, 90, true, true",
            "1, 1000, 20, false, false",
            "1000, 1, 20, false, true",
            // more columns than one packed block of B (NC, from the L2 size: 800 with 2 MiB and 512-bit vectors)
            "200, 1700, 350, false, false",
            "64, 1600, 128, false, true",
            // k longer than a packed slice and not a multiple of it: C accumulates over slices
            "97, 70, 1000, false, false",
            "300, 64, 701, true, false",
            // few rows: A packed once, one task per column panel
            "150, 200, 400, false, true",
            // few tiles, long k: slices of k summed in parallel buffers
            "9, 32, 5000, true, false",
            "13, 40, 4500, false, true",
            // ... streamed through register tiles when B's rows are contiguous: rows in tiles of MR, then three, then
            // one at a time (m = 2, 4, 5, 14); k off K_SLICE and KC; the conv1 weight gradient's own shape
            "2, 32, 2049, true, false",
            "4, 64, 4097, false, false",
            "5, 32, 6001, true, false",
            "14, 32, 4500, false, false",
            "9, 32, 43264, true, false",
            // far fewer columns than a panel: computed as C^T = B^T A^T
            "100, 5, 300, false, false",
            "257, 3, 2100, true, true",
            // the packed-panel kernels' edges: m, n, k off every block size (MR, NR, KC, MC), each operand in place
            // or transposed; k over KC so later slices add to C; enough rows for row blocks, few for column panels
            "1, 33, 321, false, false",
            "7, 31, 641, true, false",
            "11, 65, 959, false, true",
            "13, 17, 321, true, true",
            "389, 47, 333, false, false",
            "391, 95, 655, true, false",
            "773, 63, 641, false, true",
            "577, 129, 321, true, true",
            "35, 257, 1283, false, false",
            "5, 100, 6001, false, true"})
    void matchesFloat64Reference(int m, int n, int k, boolean transA, boolean transB) {
        check(m, n, k, transA, transB, (ta, tb) -> ta.matmul(tb).toFloatArray());
    }

    @ParameterizedTest(name = "plain Java [{0}x{2}] @ [{2}x{1}] transA={3} transB={4}")
    @CsvSource({
            "1, 1, 1, false, false",
            "5, 7, 3, false, false",
            "97, 65, 300, false, false",
            "130, 33, 513, true, false",
            "37, 129, 70, false, true",
            "200, 70, 90, true, true",
            "1000, 1, 20, false, true"})
    void thePlainJavaProductMatchesFloat64Reference(int m, int n, int k, boolean transA, boolean transB) {
        check(m, n, k, transA, transB, (ta, tb) -> {
            float[] out = new float[m * n];
            ScalarGemm.sgemm(m, n, k, matrix(ta), matrix(tb), out, 0);
            return out;
        });
    }

    private static Gemm.Matrix matrix(Tensor t) {
        return new Gemm.Matrix(t.storage().floats(), t.storageOffset(), t.stride()[0], t.stride()[1]);
    }

    /** {@code length} floats drawn uniformly from [-1, 1). */
    private static float[] uniform(SplittableRandom rnd, int length) {
        float[] values = new float[length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return values;
    }

    private static void check(int m, int n, int k, boolean transA, boolean transB,
                              BiFunction<Tensor, Tensor, float[]> product) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 17L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * n);
        Tensor ta = transA ? Tensor.of(a, k, m).t() : Tensor.of(a, m, k);
        Tensor tb = transB ? Tensor.of(b, n, k).t() : Tensor.of(b, k, n);
        float[] got = product.apply(ta, tb);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[p * m + i] : a[i * k + p];
                    double y = transB ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                    mag += Math.abs(x * y);
                }
                worst = Math.max(worst, Math.abs(got[i * n + j] - s) / (mag + 1e-30));
            }
        }
        // float32 accumulation: error relative to the sum of magnitudes stays near k * 2^-24
        assertTrue(worst < 1e-6 * Math.max(1, Math.sqrt(k)), "worst relative error " + worst);
    }

    /**
     * Whether A and B are read in place or copied into panels first, or a B given as its transpose's rows is computed
     * as C^T = B^T A^T (on 256-bit vectors, where that transposes less: 7 x 33 x 700, 64 x 1600 x 128, 14 x 32 x 2500,
     * the mlp's 64 x 256 x 784), changes nothing in the order of the additions, so every layout of the same operands
     * gives the same bits (what an exact resume relies on).
     */
    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] in every layout")
    @CsvSource({"7, 33, 700", "97, 65, 321", "400, 40, 650", "64, 1600, 128", "9, 32, 5000", "5, 64, 4097",
            "14, 32, 2500", "64, 256, 784"})
    void everyLayoutOfTheOperandsGivesTheSameBits(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m * 5L + n * 11L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * n);
        Tensor ta = Tensor.of(a, m, k);
        Tensor tb = Tensor.of(b, k, n);
        float[] expected = ta.matmul(tb).toFloatArray();
        Tensor[] as = {ta, ta.t().contiguous().t()};
        Tensor[] bs = {tb, tb.t().contiguous().t()};
        for (Tensor x : as) {
            for (Tensor y : bs) {
                float[] got = x.matmul(y).toFloatArray();
                for (int i = 0; i < m * n; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                            "element " + i + " with A strides " + java.util.Arrays.toString(x.stride()) + ", B strides "
                                    + java.util.Arrays.toString(y.stride()));
                }
            }
        }
    }

    /**
     * Column panels outer (a panel of B fits in L1, as on this CPU) or row panels outer (it does not: a 32 KiB L1 with
     * 512-bit vectors) give the same bits: row blocks and column panels, edge tiles, k over KC.
     */
    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] transA={3} in both tile orders")
    @CsvSource({"389, 47, 333, false", "773, 63, 641, true", "64, 1600, 128, false", "100, 200, 700, false",
            "512, 512, 512, false"})
    void bothTileOrdersGiveTheSameBits(int m, int n, int k, boolean transA) {
        SplittableRandom rnd = new SplittableRandom(m * 7L + n * 3L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * n);
        Gemm.Matrix ma = transA ? new Gemm.Matrix(a, 0, 1, m) : new Gemm.Matrix(a, 0, k, 1);
        Gemm.Matrix mb = new Gemm.Matrix(b, 0, n, 1);
        float[] panelsOuter = new float[m * n];
        float[] rowsOuter = new float[m * n];
        long l1d = Gemm.l1dBytes;
        try {
            Gemm.l1dBytes = Long.MAX_VALUE;
            Gemm.sgemm(m, n, k, ma, mb, panelsOuter, 0);
            Gemm.l1dBytes = 0;
            Gemm.sgemm(m, n, k, ma, mb, rowsOuter, 0);
        } finally {
            Gemm.l1dBytes = l1d;
        }
        float[] reference = reference(transA ? transpose(a, k, m) : a, b, m, n, k);
        for (int i = 0; i < m * n; i++) {
            assertEquals(reference[i], panelsOuter[i], 1e-4, "element " + i);
            assertEquals(Float.floatToIntBits(panelsOuter[i]), Float.floatToIntBits(rowsOuter[i]), "element " + i);
        }
    }

    /**
     * A product of many rows with k over KC packs a block of B's columns for all of k and runs each block of rows through
     * every slice of k before the next block; on the calling thread with a buffer of packedBSize it goes slice by slice
     * over all the rows. The same tiles, and the same slices in the same order for every element of C, so the same
     * bits: A by rows and transposed, B transposed, two to seven slices, edge rows and a narrow last panel.
     */
    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] transA={3} transB={4}")
    @CsvSource({"512, 512, 512, false, false", "1025, 300, 1030, false, false", "400, 257, 650, true, false",
            "700, 500, 900, false, true", "390, 100, 2040, false, false"})
    void allSlicesPerRowBlockGiveTheBitsOfSliceBySlice(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * n);
        Gemm.Matrix ma = transA ? new Gemm.Matrix(a, 0, 1, m) : new Gemm.Matrix(a, 0, k, 1);
        Gemm.Matrix mb = transB ? new Gemm.Matrix(b, 0, 1, k) : new Gemm.Matrix(b, 0, n, 1);
        float[] perRowBlock = new float[m * n];
        Gemm.sgemm(m, n, k, ma, mb, perRowBlock, 0);
        float[] sliceBySlice = new float[m * n];
        Gemm.sgemmOnThisThread(m, n, k, ma, mb, sliceBySlice, 0, n, false, new float[Gemm.packedBSize(n, k)]);
        for (int i = 0; i < m * n; i++) {
            assertEquals(Float.floatToIntBits(sliceBySlice[i]), Float.floatToIntBits(perRowBlock[i]), "element " + i);
        }
    }

    /**
     * A product with few rows (fewer row blocks than two per core) packs each column panel of B right before its
     * tiles; one with many rows packs blocks of panels first. Each tile is the same chain of FMAs either way, so the
     * first rows of a tall product have the bits of the short product of those rows alone: B in place and transposed,
     * a last panel narrower than NR, k over KC (later slices added to C), with addToC and on the calling thread.
     */
    @ParameterizedTest(name = "the first {0} rows of [{1}x{3}] @ [{3}x{2}] transB={4}")
    @CsvSource({"64, 800, 1600, 128, false", "64, 800, 1600, 128, true", "10, 400, 1000, 700, false",
            "128, 900, 250, 333, true", "7, 500, 65, 641, false"})
    void fewRowsGiveTheBitsOfTheirRowsInATallProduct(int few, int m, int n, int k, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(few * 31L + m + n * 7L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * n);
        Gemm.Matrix ma = new Gemm.Matrix(a, 0, k, 1);
        Gemm.Matrix mb = transB ? new Gemm.Matrix(b, 0, 1, k) : new Gemm.Matrix(b, 0, n, 1);
        float[] tall = new float[m * n];
        Gemm.sgemm(m, n, k, ma, mb, tall, 0);
        float[] short1 = new float[few * n];
        Gemm.sgemm(few, n, k, ma, mb, short1, 0);
        float[] init = uniform(rnd, few * n);
        float[] short2 = init.clone();
        Gemm.sgemmOnThisThread(few, n, k, ma, mb, short2, 0, n, true, new float[Gemm.packedBSize(n, k)]);
        float[] tall2 = new float[m * n];
        System.arraycopy(init, 0, tall2, 0, few * n);
        Gemm.sgemmOnThisThread(m, n, k, ma, mb, tall2, 0, n, true, new float[Gemm.packedBSize(n, k)]);
        float[] reference = reference(java.util.Arrays.copyOf(a, few * k), transB ? transpose(b, n, k) : b, few, n, k);
        for (int i = 0; i < few * n; i++) {
            assertEquals(reference[i], short1[i], 1e-4, "element " + i);
            assertEquals(Float.floatToIntBits(tall[i]), Float.floatToIntBits(short1[i]), "element " + i);
            assertEquals(Float.floatToIntBits(tall2[i]), Float.floatToIntBits(short2[i]), "element " + i + " added to C");
        }
    }

    /**
     * A product with few rows runs its column panels on all cores (tasks of panels per slice of k, all the slices in
     * one loop, a task waiting for its panels' previous slice), on the calling thread one panel after the other. Each element of C is the same chain of FMAs per slice, the slices added in
     * order, so the bits are the same whichever thread computes a panel: conv2's weight gradient (288 x 64, k = 7,744
     * in 25 slices, B the gradient's rows transposed), fc1's forward (B^T, 5 slices), the mlp's first layer forward (B^T;
     * this one computed as C^T and transposed back, the other on this thread as C), A transposed, a last panel
     * narrower than NR.
     */
    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] transA={3} transB={4}")
    @CsvSource({"288, 64, 7744, false, true", "64, 128, 1600, false, true", "64, 256, 784, false, true",
            "10, 1000, 700, true, false",
            "30, 200, 900, false, false"})
    void panelsOnAllCoresGiveTheBitsOfSliceBySlice(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(m * 131L + n * 17L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * n);
        Gemm.Matrix ma = transA ? new Gemm.Matrix(a, 0, 1, m) : new Gemm.Matrix(a, 0, k, 1);
        Gemm.Matrix mb = transB ? new Gemm.Matrix(b, 0, 1, k) : new Gemm.Matrix(b, 0, n, 1);
        float[] parallel = new float[m * n];
        Gemm.sgemm(m, n, k, ma, mb, parallel, 0);
        float[] oneThread = new float[m * n];
        Gemm.sgemmOnThisThread(m, n, k, ma, mb, oneThread, 0, n, false, new float[Gemm.packedBSize(n, k)]);
        float[] reference = reference(transA ? transpose(a, k, m) : a, transB ? transpose(b, n, k) : b, m, n, k);
        for (int i = 0; i < m * n; i++) {
            assertEquals(reference[i], parallel[i], 1e-3, "element " + i);
            assertEquals(Float.floatToIntBits(oneThread[i]), Float.floatToIntBits(parallel[i]), "element " + i);
        }
    }

    /**
     * A short k whose B fits in L1 reads B where it is, in 4 x 4V tiles ({@link Gemm#direct}); with no L1 to fit in,
     * the same product goes through packed panels. Each element is the same chain of FMAs either way, so the same
     * bits: conv1's per-image forward (B a column block of the batch's columns), rows and columns off 4 and 4V (the
     * rest through the packed path), k = 1 and {@link Gemm#SMALL_K}, C overwritten and added to.
     */
    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] B columns {3} of a row, addToC={4}")
    @CsvSource({"32, 676, 9, 43264, false", "32, 676, 9, 43264, true", "35, 100, 17, 130, false",
            "6, 70, 32, 70, true", "4, 64, 1, 64, false", "9, 200, 27, 250, true"})
    void shortKReadsBWhereItIsWithThePackedBits(int m, int n, int k, int ldb, boolean addToC) {
        SplittableRandom rnd = new SplittableRandom(m * 13L + n * 5L + k);
        float[] a = uniform(rnd, m * k);
        float[] b = uniform(rnd, k * ldb);
        float[] init = uniform(rnd, m * n);
        Gemm.Matrix ma = new Gemm.Matrix(a, 0, k, 1);
        Gemm.Matrix mb = new Gemm.Matrix(b, ldb - n, ldb, 1);
        float[] direct = init.clone();
        float[] packed = init.clone();
        long l1d = Gemm.l1dBytes;
        try {
            Gemm.sgemmOnThisThread(m, n, k, ma, mb, direct, 0, n, addToC, new float[Gemm.packedBSize(n, k)]);
            Gemm.l1dBytes = 0;
            Gemm.sgemmOnThisThread(m, n, k, ma, mb, packed, 0, n, addToC, new float[Gemm.packedBSize(n, k)]);
        } finally {
            Gemm.l1dBytes = l1d;
        }
        float[] bDense = new float[k * n];
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, p * ldb + ldb - n, bDense, p * n, n);
        }
        float[] reference = reference(a, bDense, m, n, k);
        for (int i = 0; i < m * n; i++) {
            assertEquals(reference[i] + (addToC ? init[i] : 0), direct[i], 1e-4, "element " + i);
            assertEquals(Float.floatToIntBits(packed[i]), Float.floatToIntBits(direct[i]), "element " + i);
        }
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    /** Operands that are windows of larger matrices (row strides wider than their rows, nonzero offsets). */
    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] windows")
    @CsvSource({"20, 64, 300", "200, 96, 50", "7, 32, 3000", "401, 37, 333"})
    void windowsOfLargerMatricesMatchTheirCopies(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m * 3L + n + k);
        float[] a = uniform(rnd, (m + 3) * (k + 5));
        float[] b = uniform(rnd, (k + 2) * (n + 7));
        Tensor ta = Tensor.of(a, m + 3, k + 5).slice(0, 2, m + 2).slice(1, 3, k + 3);
        Tensor tb = Tensor.of(b, k + 2, n + 7).slice(0, 1, k + 1).slice(1, 4, n + 4);
        float[] got = ta.matmul(tb).toFloatArray();
        float[] copies = ta.contiguous().matmul(tb.contiguous()).toFloatArray();
        float[] reference = reference(ta.contiguous().toFloatArray(), tb.contiguous().toFloatArray(), m, n, k);
        for (int i = 0; i < m * n; i++) {
            assertEquals(reference[i], got[i], 1e-4, "element " + i);
            assertEquals(reference[i], copies[i], 1e-4, "element " + i + " of the copies' product");
        }
    }

    private static float[] reference(float[] a, float[] b, int m, int n, int k) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    /** Batched products write each result at its offset in one output array, including the transposed-C path. */
    @ParameterizedTest(name = "3 x [{0}x{2}] @ [{2}x{1}]")
    @CsvSource({"40, 50, 60", "100, 5, 300", "9, 32, 5000"})
    void batchedProductsMatchEachSingleProduct(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m + 7L * n + 13L * k);
        float[] a = uniform(rnd, 3 * m * k);
        float[] b = uniform(rnd, 3 * k * n);
        Tensor ta = Tensor.of(a, 3, m, k);
        Tensor tb = Tensor.of(b, 3, k, n);
        float[] batched = ta.matmul(tb).toFloatArray();
        for (int p = 0; p < 3; p++) {
            float[] single = ta.select(0, p).contiguous().matmul(tb.select(0, p).contiguous()).toFloatArray();
            for (int i = 0; i < m * n; i++) {
                assertEquals(single[i], batched[p * m * n + i], "batch " + p + " element " + i);
            }
        }
    }

    /**
     * A conv's output gradient {@code [N, O, L]} as B = its rows' transpose in row blocks (an image a block of L rows)
     * gives the bits of B packed from a copy of those rows {@code [O, N*L]}: through slices of k summed in parallel,
     * column panels, row blocks, transposed C and plain Java; L off the vector width so that packed slices of k
     * straddle images, n off a panel's width, and L = 1.
     */
    @ParameterizedTest(name = "[{0}x{1}] from a gradient [{2}, {1}, {3}]")
    @CsvSource({"9, 32, 64, 676", "288, 64, 64, 121", "9, 32, 7, 37", "5, 40, 9, 550", "400, 64, 5, 333",
            "300, 4, 3, 250", "3, 5, 2, 7", "20, 48, 600, 1", "7, 17, 3, 1000"})
    void bInRowBlocksGivesTheBitsOfItsTransposesRows(int m, int o, int images, int l) {
        SplittableRandom rnd = new SplittableRandom(m + 31L * o + 7L * images + l);
        int k = images * l;
        float[] a = uniform(rnd, m * k);
        int gOff = 3;
        float[] grad = uniform(rnd, gOff + images * o * l + 5);
        float[] rows = new float[o * k];
        for (int img = 0; img < images; img++) {
            for (int ch = 0; ch < o; ch++) {
                System.arraycopy(grad, gOff + (img * o + ch) * l, rows, ch * k + img * l, l);
            }
        }
        Gemm.Matrix am = new Gemm.Matrix(a, 0, k, 1);
        float[] expected = new float[m * o];
        Gemm.sgemm(m, o, k, am, new Gemm.Matrix(rows, 0, 1, k), expected, 0);
        float[] got = new float[m * o];
        Gemm.sgemm(m, o, k, am, new Gemm.Matrix(grad, gOff, 1, l, new Gemm.RowBlocks(l, o * l, 0)), got, 0);
        for (int i = 0; i < m * o; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), "element " + i);
        }
    }
}
