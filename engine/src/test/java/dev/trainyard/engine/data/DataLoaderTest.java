package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.transforms.Compose;
import dev.trainyard.engine.data.transforms.RandomCrop;
import dev.trainyard.engine.data.transforms.RandomHorizontalFlip;
import dev.trainyard.engine.data.transforms.Transform;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    /** n examples: x = [i, i + 0.5] (float32), y = i (int64). */
    static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = i + 0.5f;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /** The y values of every batch of one epoch. */
    static List<long[]> epoch(Iterable<Batch> loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.y().toLongArray());
        }
        return out;
    }

    static long[] flatten(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void sequentialBatchesWithASmallerLastOne() {
        var loader = DataLoader.builder(numbered(10)).batchSize(4).build();
        assertEquals(3, loader.numBatches());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        Batch first = batches.getFirst();
        assertArrayEquals(new int[] {4, 2}, first.x().shape());
        assertEquals(DType.FLOAT32, first.x().dtype());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f}, first.x().toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 3}, first.y().toLongArray());
        assertEquals(DType.INT64, first.y().dtype());
        assertArrayEquals(new long[] {8, 9}, batches.get(2).y().toLongArray());
        assertEquals(2, batches.get(2).batchSize());
    }

    @Test
    void dropLastDropsTheIncompleteBatch() {
        var loader = DataLoader.builder(numbered(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.numBatches());
        assertEquals(2, epoch(loader).size());
    }

    @Test
    void shuffleReshufflesEveryEpochAndIsReproducible() {
        var gen = new Generator().manualSeed(7);
        var loader = DataLoader.builder(numbered(50)).batchSize(8).shuffle(true).generator(gen).build();
        long[] e1 = flatten(epoch(loader));
        long[] e2 = flatten(epoch(loader));
        long[] sorted = e1.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Tensor.arange(50).toLongArray(), sorted, "an epoch is a permutation");
        assertFalse(Arrays.equals(e1, e2), "the second epoch is reshuffled");
        assertFalse(Arrays.equals(e1, Tensor.arange(50).toLongArray()));

        var again = DataLoader.builder(numbered(50)).batchSize(8).shuffle(true).generator(new Generator().manualSeed(7)).build();
        assertArrayEquals(e1, flatten(epoch(again)));
        assertArrayEquals(e2, flatten(epoch(again)));
    }

    @Test
    void resumingFromTheGeneratorStateSeesTheSameOrder() {
        var gen = new Generator().manualSeed(11);
        var loader = DataLoader.builder(numbered(40)).batchSize(6).shuffle(true).generator(gen).build();
        epoch(loader);
        byte[] atEpochStart = gen.getState(); // saved in a checkpoint at the start of epoch 2
        List<long[]> epoch2 = epoch(loader);

        // a new process: fresh generator restored from the checkpoint, resuming after 3 batches of epoch 2
        var restored = new Generator().setState(atEpochStart);
        var resumed = DataLoader.builder(numbered(40)).batchSize(6).shuffle(true).generator(restored).build();
        try (var it = resumed.iterator(3)) {
            assertEquals(3, it.nextBatchIndex());
            for (int k = 3; k < epoch2.size(); k++) {
                assertArrayEquals(epoch2.get(k), it.next().y().toLongArray(), "batch " + k);
            }
            assertFalse(it.hasNext());
        }
        assertArrayEquals(gen.getState(), restored.getState(), "both generators end the epoch in the same state");
    }

    /** A dataset of 8x8 single-channel images whose pixels encode (example, row, column), with random transforms. */
    static Dataset<Sample> images(int n, Transform transform) {
        return new Dataset<>() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sample get(int index) {
                float[] px = new float[64];
                for (int p = 0; p < 64; p++) {
                    px[p] = index * 100 + p;
                }
                return Sample.of(transform.apply(Tensor.of(px, 1, 8, 8)), Tensor.scalar((long) index));
            }
        };
    }

    @Test
    void prefetchingWorkersGiveTheSameBatchesRandomTransformsIncluded() {
        Transform augment = new Compose(new RandomCrop(6, 1), new RandomHorizontalFlip(0.5));
        List<List<Batch>> runs = new ArrayList<>();
        for (int workers : new int[] {0, 1, 3}) {
            var gen = new Generator().manualSeed(3);
            try (var loader = DataLoader.builder(images(37, augment)).batchSize(5).shuffle(true).generator(gen)
                    .numWorkers(workers).prefetchFactor(2).build()) {
                List<Batch> all = new ArrayList<>();
                for (int e = 0; e < 2; e++) {
                    loader.forEach(all::add);
                }
                runs.add(all);
            }
        }
        List<Batch> reference = runs.getFirst();
        assertEquals(16, reference.size());
        for (int r = 1; r < runs.size(); r++) {
            for (int k = 0; k < reference.size(); k++) {
                assertArrayEquals(reference.get(k).x().toFloatArray(), runs.get(r).get(k).x().toFloatArray(), "run " + r + " batch " + k);
                assertArrayEquals(reference.get(k).y().toLongArray(), runs.get(r).get(k).y().toLongArray(), "run " + r + " batch " + k);
            }
        }
        // the augmentation did something: crops differ between the two epochs of the same example
        Set<String> crops = new HashSet<>();
        for (Batch b : reference) {
            float[] x = b.x().toFloatArray();
            long[] y = b.y().toLongArray();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == 0) {
                    crops.add(Arrays.toString(Arrays.copyOfRange(x, i * 36, (i + 1) * 36)));
                }
            }
        }
        assertEquals(2, crops.size(), "example 0 was augmented differently in its two epochs");
        assertArrayEquals(new int[] {5, 1, 6, 6}, reference.getFirst().x().shape());
    }

    @Test
    void workerErrorsReachTheCaller() {
        Dataset<Sample> failing = new Dataset<>() {
            @Override
            public int size() {
                return 20;
            }

            @Override
            public Sample get(int index) {
                if (index == 13) {
                    throw new IllegalStateException("cannot read example 13");
                }
                return Sample.of(Tensor.scalar((long) index));
            }
        };
        try (var loader = DataLoader.builder(failing).batchSize(4).numWorkers(2).build()) {
            var it = loader.iterator();
            it.next();
            it.next();
            it.next();
            var e = assertThrows(IllegalStateException.class, it::next);
            assertEquals("cannot read example 13", e.getMessage());
            assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> s.getMessage().contains("batch 3")));
            assertFalse(it.hasNext(), "a failed epoch is closed");
        }
    }

    @Test
    void closingStopsTheWorkers() throws InterruptedException {
        var loader = DataLoader.builder(numbered(100)).batchSize(2).numWorkers(2).build();
        var it = loader.iterator();
        it.next();
        loader.close();
        assertFalse(it.hasNext());
        assertThrows(IllegalStateException.class, it::next);
        for (int i = 0; i < 100 && workerThreadsAlive(); i++) {
            Thread.sleep(10);
        }
        assertFalse(workerThreadsAlive(), "worker threads still running after close()");
        var exhausted = DataLoader.builder(numbered(3)).batchSize(2).build().iterator();
        exhausted.next();
        exhausted.next();
        assertThrows(NoSuchElementException.class, exhausted::next);
    }

    private static boolean workerThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("trainyard-dataloader-") && t.isAlive());
    }

    @Test
    void collateChecksShapes() {
        Dataset<Sample> ragged = new Dataset<>() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public Sample get(int index) {
                return Sample.of(Tensor.zeros(index == 2 ? 3 : 2));
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> epoch(DataLoader.builder(ragged).batchSize(3).build()));
        assertTrue(e.getMessage().contains("tensor 0 of sample 2 has shape [3]") && e.getMessage().contains("shape [2]"), e.getMessage());
    }

    @Test
    void customCollate() {
        var loader = DataLoader.builder(numbered(5), (List<Sample> items) -> items.size()).batchSize(2).build();
        List<Integer> sizes = new ArrayList<>();
        loader.forEach(sizes::add);
        assertEquals(List.of(2, 2, 1), sizes);
    }

    @Test
    void subsetConcatAndRandomSplit() {
        var ds = numbered(10);
        var sub = new Subset<>(ds, new int[] {7, 2, 5});
        assertEquals(3, sub.size());
        assertEquals(2, sub.get(1).y().itemLong());
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(ds, new int[] {10}));

        var empty = new Subset<>(ds, new int[0]);
        var cat = ConcatDataset.of(sub, empty, numbered(2));
        assertEquals(5, cat.size());
        long[] ys = new long[5];
        for (int i = 0; i < 5; i++) {
            ys[i] = cat.get(i).y().itemLong();
        }
        assertArrayEquals(new long[] {7, 2, 5, 0, 1}, ys);
        assertThrows(IndexOutOfBoundsException.class, () -> cat.get(5));

        var parts = Dataset.randomSplit(ds, new int[] {6, 4}, new Generator().manualSeed(1));
        Set<Integer> seen = new HashSet<>();
        for (var p : parts) {
            for (int i : p.indices()) {
                assertTrue(seen.add(i), "index " + i + " is in two splits");
            }
        }
        assertEquals(10, seen.size());
        assertEquals(6, parts.get(0).size());
        var again = Dataset.randomSplit(ds, new int[] {6, 4}, new Generator().manualSeed(1));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices());
        assertNotEquals(Arrays.toString(parts.get(0).indices()), Arrays.toString(new int[] {0, 1, 2, 3, 4, 5}));

        var fractions = Dataset.randomSplit(ds, new double[] {0.35, 0.35, 0.3}, new Generator().manualSeed(1));
        assertEquals(List.of(4, 3, 3), fractions.stream().map(Subset::size).toList()); // 3,3,3 + remainder to the first
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(ds, new int[] {6, 5}, new Generator()));
        assertTrue(e.getMessage().contains("does not equal the length of the input dataset (10)"), e.getMessage());
    }

    @Test
    void tensorDatasetChecksSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("size mismatch"), e.getMessage());
        var e2 = assertThrows(IndexOutOfBoundsException.class, () -> numbered(3).get(3));
        assertTrue(e2.getMessage().contains("index 3 is out of range for a dataset of 3 examples"), e2.getMessage());
    }
}
