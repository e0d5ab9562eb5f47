package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * What {@link MultiheadAttention} returns: the attention output (the query's shape) and the attention weights,
 * {@code [N, L, S]} averaged over heads or {@code [N, numHeads, L, S]} per head, or null when not requested
 * (PyTorch's {@code attn_output, attn_output_weights}).
 */
public record AttentionOutput(Tensor output, Tensor weights) {
}
