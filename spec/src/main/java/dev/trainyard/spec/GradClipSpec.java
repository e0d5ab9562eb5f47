package dev.trainyard.spec;

/**
 * Gradient clipping before every optimizer step; exactly one field is set.
 *
 * @param maxNorm clip the global L2 norm of all gradients to this ({@code clip_grad_norm_})
 * @param value   clip every gradient element to [-value, value] ({@code clip_grad_value_})
 */
public record GradClipSpec(Double maxNorm, Double value) {
}
