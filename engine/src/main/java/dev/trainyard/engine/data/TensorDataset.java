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
