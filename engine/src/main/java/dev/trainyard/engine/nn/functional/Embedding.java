package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/** Table lookup, as {@code F.embedding}: row {@code i} of {@code weight} for every index {@code i} in the input. */
public final class Embedding {
    private Embedding() {
    }

    /**
     * Returns {@code input.shape + [dim]} rows of {@code weight [num, dim]}. Rows looked up at {@code paddingIdx}
     * (null for none; negative counts from the end) receive no gradient.
     */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be 2-D [num_embeddings, embedding_dim], got shape "
                    + Arrays.toString(weight.shape()));
        }
        if (!input.dtype().isIntegral()) {
            throw new IllegalArgumentException("embedding: expected indices of an integer dtype (int64 or int32), got "
                    + input.dtype());
        }
        int num = weight.size(0);
        for (long i : input.toLongArray()) {
            if (i < 0 || i >= num) {
                throw new IndexOutOfBoundsException("embedding: index " + i + " is out of range for " + num
                        + " embeddings (weight shape " + Arrays.toString(weight.shape()) + ")");
            }
        }
        Tensor flat = input.reshape(-1).to(DType.INT64);
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx != null && rows.requiresGrad()) {
            int pad = normalizePaddingIdx(paddingIdx, num);
            // same values, but the padding rows come from a detached copy, so no gradient reaches weight[pad]
            rows = Tensor.where(flat.eq(Tensor.scalar((long) pad)).unsqueeze(1), rows.detach(), rows);
        }
        int[] shape = Arrays.copyOf(input.shape(), input.dim() + 1);
        shape[input.dim()] = weight.size(1);
        return rows.reshape(shape);
    }

    /** Wraps a negative padding index and checks its range, as {@code nn.Embedding} does. */
    public static int normalizePaddingIdx(int paddingIdx, int numEmbeddings) {
        if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
            throw new IllegalArgumentException("embedding: paddingIdx " + paddingIdx + " must be within the " + numEmbeddings
                    + " embeddings (in [" + (-numEmbeddings) + ", " + (numEmbeddings - 1) + "])");
        }
        return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }
}
