package dev.trainyard.engine.data;

import dev.trainyard.engine.Tensor;

import java.util.List;

/**
 * A collated batch: the tensors of several {@link Sample}s stacked along a new first dimension, one tensor per
 * position of the sample tuple, as PyTorch's {@code default_collate}.
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     Tensor images = b.x();   // [batch, 1, 28, 28]
 *     Tensor labels = b.y();   // [batch], int64
 * }
 * }</pre>
 */
public record Batch(List<Tensor> tensors) {
    public Batch {
        tensors = List.copyOf(tensors);
    }

    public static Batch of(Tensor... tensors) {
        return new Batch(List.of(tensors));
    }

    public Tensor get(int i) {
        return tensors.get(i);
    }

    /** The stacked inputs. */
    public Tensor x() {
        return tensors.getFirst();
    }

    /** The stacked targets. */
    public Tensor y() {
        if (tensors.size() < 2) {
            throw new IllegalStateException("this batch has " + tensors.size() + " tensor(s); y() is the second");
        }
        return tensors.get(1);
    }

    /** The number of examples in the batch (the size of the first dimension). */
    public int batchSize() {
        return tensors.getFirst().size(0);
    }
}
