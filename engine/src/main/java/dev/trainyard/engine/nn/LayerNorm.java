package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Normalization;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * Layer normalization over the trailing {@code normalizedShape} dims of each sample, as {@code nn.LayerNorm}:
 * {@code (x - mean) / sqrt(var + eps) * weight + bias}, with the biased variance; with {@code elementwiseAffine}
 * (the default) {@code weight} (ones) and {@code bias} (zeros) have shape {@code normalizedShape}. The same in
 * training and evaluation.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    /** Normalizes over the last dim, of size {@code normalizedShape}. */
    public LayerNorm(int normalizedShape) {
        this(new int[] {normalizedShape});
    }

    public LayerNorm(int[] normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int normalizedShape, double eps) {
        this(new int[] {normalizedShape}, eps, true);
    }

    /** As {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine)}. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must have at least one dim, got "
                    + Arrays.toString(normalizedShape));
        }
        Conv2d.checkMin("LayerNorm", "normalized_shape", normalizedShape, 1);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? Tensor.empty(normalizedShape) : null);
        registerParameter("bias", elementwiseAffine ? Tensor.empty(normalizedShape) : null);
        resetParameters();
    }

    /** weight ones, bias zeros. */
    public void resetParameters() {
        if (elementwiseAffine) {
            Init.ones_(weight());
            Init.zeros_(bias());
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    public double eps() {
        return eps;
    }

    public boolean elementwiseAffine() {
        return elementwiseAffine;
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = normalizedShape.length;
        int[] trailing = input.dim() < k ? null : Arrays.copyOfRange(input.shape(), input.dim() - k, input.dim());
        if (!Arrays.equals(trailing, normalizedShape)) {
            throw new IllegalArgumentException(this + ": expected input with shape [*, "
                    + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + "], got " + Arrays.toString(input.shape()));
        }
        return Normalization.layerNorm(input, normalizedShape, weight(), bias(), eps);
    }

    @Override
    public String extraRepr() {
        return pyTuple(normalizedShape) + ", eps=" + pyFloat(eps) + ", elementwise_affine=" + (elementwiseAffine ? "True" : "False");
    }
}
