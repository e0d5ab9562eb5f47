package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Tensor;

/**
 * Activation functions, composed of tensor primitives so autograd differentiates them. At a kink the gradient is
 * PyTorch's choice: relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) = alpha.
 */
public final class Activations {
    private Activations() {
    }

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** {@code x} where positive, {@code negativeSlope * x} elsewhere. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return Tensor.where(x.gt(0.0), x, x.mul(negativeSlope));
    }

    /** {@code x} where positive, {@code alpha * (exp(x) - 1)} elsewhere. */
    public static Tensor elu(Tensor x, double alpha) {
        // clamping keeps the unselected branch finite for large x, so its zero gradient stays zero rather than NaN
        Tensor negative = x.clampMax(0.0).expm1().mul(alpha);
        return Tensor.where(x.gt(0.0), x, negative);
    }

    /** GELU with {@code approximate} "none" (exact, {@code x Φ(x)}) or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return x.gelu(approximate);
    }

    public static Tensor silu(Tensor x) {
        return x.silu();
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    public static Tensor softplus(Tensor x, double beta, double threshold) {
        return x.softplus(beta, threshold);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }
}
