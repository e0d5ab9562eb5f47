package dev.trainyard.engine.data;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Examples made of rows of tensors that share their first dimension, as {@code torch.utils.data.TensorDataset}:
 * example {@code i} is {@code (t0[i], t1[i], ...)} (views, no copies).
 *
 * <pre>{@code
 * var ds = new TensorDataset(features, labels);   // [N, F] and [N]
 * }</pre>
 */
public final class TensorDataset implements Dataset<Sample> {
    private final List<Tensor> tensors;
    private final int size;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset: expected at least one tensor");
        }
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is 0-dimensional; every tensor needs a first "
                        + "dimension to index");
            }
            if (tensors[i].size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: tensor 0 has shape "
                        + Arrays.toString(tensors[0].shape()) + " but tensor " + i + " has shape " + Arrays.toString(tensors[i].shape()));
            }
        }
        this.tensors = List.of(tensors);
        this.size = tensors[0].size(0);
    }

    /**
     * The examples of {@code dataset} read once, in order, and stacked into one tensor per position of the sample
     * (as {@link Collate#stack} of all of them): a dataset whose transforms are deterministic, kept transformed, so a
     * {@link DataLoader} batch of it is one {@code indexSelect} per tensor. Holds {@code size()} examples in memory.
     */
    public static TensorDataset copyOf(Dataset<Sample> dataset) {
        int n = dataset.size();
        if (n == 0) {
            throw new IllegalArgumentException("TensorDataset.copyOf: the dataset is empty; there is no example to take "
                    + "the shapes from");
        }
        Sample first = dataset.get(0);
        Collate.Rows[] columns = new Collate.Rows[first.size()];
        for (int k = 0; k < columns.length; k++) {
            columns[k] = new Collate.Rows(first.get(k), n, k);
        }
        for (int i = 0; i < n; i++) {
            Sample s = i == 0 ? first : dataset.get(i);
            if (s.size() != columns.length) {
                throw new IllegalArgumentException("TensorDataset.copyOf: example " + i + " has " + s.size()
                        + " tensors but example 0 has " + columns.length);
            }
            for (int k = 0; k < columns.length; k++) {
                columns[k].set(i, s.get(k));
            }
        }
        Tensor[] tensors = new Tensor[columns.length];
        for (int k = 0; k < columns.length; k++) {
            tensors[k] = columns[k].tensor();
        }
        return new TensorDataset(tensors);
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Dataset.checkIndex(index, size, "TensorDataset");
        return new Sample(tensors.stream().map(t -> t.select(0, index)).toList());
    }
}
