package dev.trainyard.engine.data;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The default collate's batches for a dataset whose example {@code i} is row {@code i} of whole tensors
 * ({@link TensorDataset}, {@link CsvDataset}, and {@link Subset}s of them): one {@code indexSelect} per tensor instead
 * of a view and a copy per example. Gives the same tensors, bit for bit, as {@link Collate#stack} of the examples.
 */
final class TensorBatches {
    private final List<Tensor> tensors;
    /** Row of the tensors for each example, or null when example i is row i. */
    private final int[] rows;

    private TensorBatches(List<Tensor> tensors, int[] rows) {
        this.tensors = tensors;
        this.rows = rows;
    }

    /** The batches of {@code dataset} by row selection, or null if its examples are not rows of whole tensors. */
    static TensorBatches of(Dataset<?> dataset) {
        int[] rows = null;
        Dataset<?> d = dataset;
        while (d instanceof Subset<?> s) {
            int[] inner = s.indices();
            if (rows != null) {
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = inner[rows[i]];
                }
            } else {
                rows = inner;
            }
            d = s.dataset();
        }
        List<Tensor> tensors = switch (d) {
            case TensorDataset t -> t.tensors();
            case CsvDataset c -> List.of(c.features(), c.labels());
            default -> null;
        };
        if (tensors == null) {
            return null;
        }
        List<Tensor> detached = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            detached.add(t.detach()); // a batch is data, never part of an autograd graph, as the stacked copies
        }
        return new TensorBatches(List.copyOf(detached), rows);
    }

    Batch load(int[] indices) {
        long[] index = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            index[i] = rows == null ? indices[i] : rows[indices[i]];
        }
        Tensor idx = Tensor.wrap(Storage.wrap(index), index.length);
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t.indexSelect(0, idx));
        }
        return new Batch(out);
    }
}
