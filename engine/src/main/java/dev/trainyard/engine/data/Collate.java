package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collate functions for {@link DataLoader}. */
public final class Collate {
    private Collate() {
    }

    /**
     * Stacks the samples' tensors position by position into a {@link Batch}, as PyTorch's {@code default_collate}: a
     * sample {@code (x: [1, 28, 28], y: [])} becomes {@code (x: [B, 1, 28, 28], y: [B])}. All samples must have the same
     * number of tensors, and tensors at one position the same shape and dtype.
     */
    public static Batch stack(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("collate: no samples to stack");
        }
        int arity = samples.getFirst().size();
        List<Tensor> out = new ArrayList<>(arity);
        for (int k = 0; k < arity; k++) {
            List<Tensor> column = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                if (s.size() != arity) {
                    throw new IllegalArgumentException("collate: sample " + i + " of the batch has " + s.size()
                            + " tensors but sample 0 has " + arity);
                }
                column.add(s.get(k));
            }
            out.add(stackTensors(column, k));
        }
        return new Batch(out);
    }

    /** Stacks equally shaped tensors along a new first dimension into a new contiguous tensor. */
    static Tensor stackTensors(List<Tensor> tensors, int position) {
        Tensor first = tensors.getFirst();
        int[] shape = first.shape();
        DType dtype = first.dtype();
        int n = first.numel();
        int[] outShape = new int[shape.length + 1];
        outShape[0] = tensors.size();
        System.arraycopy(shape, 0, outShape, 1, shape.length);
        Tensor out = Tensor.empty(outShape, dtype);
        Object dst = out.storage().array();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dtype() != dtype || !Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("collate: tensor " + position + " of sample " + i + " has shape "
                        + Arrays.toString(t.shape()) + " and dtype " + t.dtype() + ", but in sample 0 it has shape "
                        + Arrays.toString(shape) + " and dtype " + dtype + "; samples must match to be stacked");
            }
            Tensor c = t.contiguous();
            System.arraycopy(c.storage().array(), c.storageOffset(), dst, i * n, n);
        }
        return out;
    }

}
