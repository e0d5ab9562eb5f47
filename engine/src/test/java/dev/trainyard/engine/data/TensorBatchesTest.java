package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches of whole-tensor datasets by row selection are the batches stacking their examples gives. */
class TensorBatchesTest {

    /** Random rows of several dtypes and ranks, one of them a non-contiguous (transposed) tensor. */
    static TensorDataset mixed(int n, Generator g) {
        Tensor images = Tensor.randn(new int[] {n, 1, 5, 3}, g);
        Tensor transposed = Tensor.randn(new int[] {4, n}, g).t();
        Tensor labels = Tensor.randint(0, 10, new int[] {n}, g);
        Tensor doubles = Tensor.randn(new int[] {n, 2}, g).to(DType.FLOAT64);
        return new TensorDataset(images, transposed, labels, doubles);
    }

    /** Every batch of a loader with the row-selection path and of one stacking each example, with the same options. */
    static void assertSameEpochs(Dataset<Sample> data, int batchSize, boolean dropLast, int workers) {
        var fast = DataLoader.builder(data).batchSize(batchSize).shuffle(true).dropLast(dropLast).numWorkers(workers)
                .generator(new Generator().manualSeed(7)).build();
        var stacked = DataLoader.builder(data, Collate::stack).batchSize(batchSize).shuffle(true).dropLast(dropLast)
                .generator(new Generator().manualSeed(7)).build();
        assertEquals(stacked.numBatches(), fast.numBatches());
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Batch> a = new ArrayList<>();
            fast.forEach(a::add);
            List<Batch> b = new ArrayList<>();
            stacked.forEach(b::add);
            assertEquals(b.size(), a.size());
            for (int k = 0; k < a.size(); k++) {
                assertSameTensors(b.get(k), a.get(k), "epoch " + epoch + ", batch " + k);
            }
        }
        assertArrayEquals(stacked.generator().getState(), fast.generator().getState(), "the same draws from the generator");
        fast.close();
    }

    static void assertSameTensors(Batch expected, Batch actual, String where) {
        assertEquals(expected.tensors().size(), actual.tensors().size(), where);
        for (int i = 0; i < expected.tensors().size(); i++) {
            Tensor e = expected.get(i);
            Tensor a = actual.get(i);
            assertEquals(e.dtype(), a.dtype(), where + ", tensor " + i);
            assertArrayEquals(e.shape(), a.shape(), where + ", tensor " + i);
            assertTrue(a.isContiguous(), where + ", tensor " + i);
            assertArrayEquals(e.to(DType.FLOAT64).toDoubleArray(), a.to(DType.FLOAT64).toDoubleArray(), where + ", tensor " + i);
        }
    }

    @Test
    void tensorDatasetBatchesAreTheStackedExamples() {
        TensorDataset data = mixed(23, new Generator().manualSeed(1));
        assertNotNull(TensorBatches.of(data));
        assertSameEpochs(data, 5, false, 0);
        assertSameEpochs(data, 5, true, 0);
        assertSameEpochs(data, 64, false, 0);
        assertSameEpochs(data, 4, false, 2);
    }

    @Test
    void subsetsOfSubsetsMapTheirIndices() {
        Generator g = new Generator().manualSeed(2);
        TensorDataset data = mixed(40, g);
        List<Subset<Sample>> halves = Dataset.randomSplit(data, new int[] {25, 15}, g);
        List<Subset<Sample>> quarters = Dataset.randomSplit(halves.getFirst(), new int[] {10, 15}, g);
        Subset<Sample> reversed = new Subset<>(quarters.getLast(), new int[] {14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0});
        assertNotNull(TensorBatches.of(reversed));
        assertSameEpochs(halves.getLast(), 4, false, 0);
        assertSameEpochs(quarters.getLast(), 4, false, 0);
        assertSameEpochs(reversed, 3, false, 0);
        Batch b = TensorBatches.of(reversed).load(new int[] {15, 14});   // row 0 of quarters.getLast() twice
        assertArrayEquals(b.get(2).select(0, 0).toLongArray(), b.get(2).select(0, 1).toLongArray());
        assertEquals(reversed.get(15).get(2).itemLong(), b.get(2).select(0, 0).itemLong());
    }

    @Test
    void csvDatasetsBatchByRows(@TempDir Path dir) throws IOException {
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 37; i++) {
            text.append(i * 0.25).append(',').append(-i).append(',').append(i % 3 == 0 ? "x" : "y").append('\n');
        }
        Path file = Files.writeString(dir.resolve("rows.csv"), text);
        var csv = CsvDataset.builder(file).label("label").build();
        assertNotNull(TensorBatches.of(csv));
        assertSameEpochs(csv, 16, false, 0);
    }

    @Test
    void batchesAreNotPartOfAGraphEvenWhenTheRowsRequireGrad() {
        Tensor x = Tensor.randn(6, 3).requiresGrad_(true);
        var data = new TensorDataset(x, Tensor.arange(6));
        Batch b = DataLoader.builder(data).batchSize(4).build().iterator().next();
        assertFalse(b.x().requiresGrad());
        assertNull(b.x().gradFn());
        assertArrayEquals(x.detach().slice(0, 0, 4).toFloatArray(), b.x().toFloatArray());
    }

    @Test
    void otherDatasetsAndCustomCollateKeepTheirPath() {
        TensorDataset data = mixed(10, new Generator().manualSeed(3));
        Dataset<Sample> wrapped = new Dataset<>() {
            public int size() {
                return data.size();
            }

            public Sample get(int index) {
                return data.get(index);
            }
        };
        assertNull(TensorBatches.of(wrapped));
        List<Integer> sizes = new ArrayList<>();
        var custom = DataLoader.builder((Dataset<Sample>) data, samples -> {
            sizes.add(samples.size());
            return Collate.stack(samples);
        }).batchSize(4).build();
        custom.forEach(b -> { });
        assertEquals(List.of(4, 4, 2), sizes, "a custom collate still sees every sample");
    }
}
