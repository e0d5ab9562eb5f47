package dev.trainyard.engine.nn.init;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;

import java.util.Arrays;

/**
 * Parameter initialization, as {@code torch.nn.init}: each function fills a tensor in place (without recording
 * autograd, so parameters can be initialized directly) and returns it. The random ones draw from the default
 * generator unless given one. Fans are PyTorch's: for a weight {@code [out, in, k1, k2, ...]}, fan-in is
 * {@code in * k1 * k2 ...} and fan-out {@code out * k1 * k2 ...}.
 */
public final class Init {
    private Init() {
    }

    // ------------------------------------------------------------------ gains and fans

    /**
     * The recommended gain for a nonlinearity, as {@code calculate_gain}: 1 for linear, conv and sigmoid, 5/3 for
     * tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope {@code param}, default 0.01), 3/4 for selu.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> {
                return 1.0;
            }
            case "tanh" -> {
                return 5.0 / 3;
            }
            case "relu" -> {
                return Math.sqrt(2.0);
            }
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> {
                return 3.0 / 4;
            }
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity
                    + "'; expected linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu");
        }
    }

    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /** {fanIn, fanOut} of a tensor of at least 2 dims. */
    public static int[] calculateFanInAndFanOut(Tensor tensor) {
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException("fan in and fan out can not be computed for a tensor with fewer than 2 dimensions"
                    + " (got shape " + Arrays.toString(tensor.shape()) + ")");
        }
        int receptive = 1;
        for (int d = 2; d < tensor.dim(); d++) {
            receptive *= tensor.size(d);
        }
        return new int[] {tensor.size(1) * receptive, tensor.size(0) * receptive};
    }

    private static int fan(Tensor tensor, String mode) {
        int[] fans = calculateFanInAndFanOut(tensor);
        return switch (mode) {
            case "fan_in" -> fans[0];
            case "fan_out" -> fans[1];
            default -> throw new IllegalArgumentException("mode '" + mode + "' not supported, please use one of fan_in, fan_out");
        };
    }

    // ------------------------------------------------------------------ constant

    public static Tensor constant_(Tensor tensor, double value) {
        try (var g = Autograd.noGrad()) {
            return tensor.fill_(value);
        }
    }

    public static Tensor ones_(Tensor tensor) {
        return constant_(tensor, 1.0);
    }

    public static Tensor zeros_(Tensor tensor) {
        return constant_(tensor, 0.0);
    }

    /** Fills a 2-D tensor with the identity matrix (ones on the diagonal). */
    public static Tensor eye_(Tensor tensor) {
        if (tensor.dim() != 2) {
            throw new IllegalArgumentException("eye_: only tensors with 2 dimensions are supported, got shape "
                    + Arrays.toString(tensor.shape()));
        }
        try (var g = Autograd.noGrad()) {
            return tensor.copy_(Tensor.eye(tensor.size(0), tensor.size(1)));
        }
    }

    // ------------------------------------------------------------------ random

    /** Uniform on {@code [a, b)}. */
    public static Tensor uniform_(Tensor tensor, double a, double b, Generator generator) {
        try (var g = Autograd.noGrad()) {
            return tensor.uniform_(a, b, generator);
        }
    }

    public static Tensor uniform_(Tensor tensor, double a, double b) {
        return uniform_(tensor, a, b, Generator.defaultGenerator());
    }

    public static Tensor uniform_(Tensor tensor) {
        return uniform_(tensor, 0.0, 1.0);
    }

    public static Tensor normal_(Tensor tensor, double mean, double std, Generator generator) {
        try (var g = Autograd.noGrad()) {
            return tensor.normal_(mean, std, generator);
        }
    }

    public static Tensor normal_(Tensor tensor, double mean, double std) {
        return normal_(tensor, mean, std, Generator.defaultGenerator());
    }

    public static Tensor normal_(Tensor tensor) {
        return normal_(tensor, 0.0, 1.0);
    }

    /** Glorot uniform: {@code U(-a, a)} with {@code a = gain √(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform_(Tensor tensor, double gain, Generator generator) {
        int[] fans = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(tensor, -a, a, generator);
    }

    public static Tensor xavierUniform_(Tensor tensor, double gain) {
        return xavierUniform_(tensor, gain, Generator.defaultGenerator());
    }

    public static Tensor xavierUniform_(Tensor tensor) {
        return xavierUniform_(tensor, 1.0);
    }

    /** Glorot normal: {@code N(0, std²)} with {@code std = gain √(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal_(Tensor tensor, double gain, Generator generator) {
        int[] fans = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
        return normal_(tensor, 0.0, std, generator);
    }

    public static Tensor xavierNormal_(Tensor tensor, double gain) {
        return xavierNormal_(tensor, gain, Generator.defaultGenerator());
    }

    public static Tensor xavierNormal_(Tensor tensor) {
        return xavierNormal_(tensor, 1.0);
    }

    /**
     * He uniform: {@code U(-bound, bound)} with {@code bound = gain √(3 / fan)}, gain from {@code nonlinearity} and the
     * negative slope {@code a} (leaky_relu), fan by {@code mode} ("fan_in" keeps forward variance, "fan_out" backward).
     */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity, Generator generator) {
        double gain = calculateGain(nonlinearity, a);
        double std = gain / Math.sqrt(fan(tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound, generator);
    }

    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity) {
        return kaimingUniform_(tensor, a, mode, nonlinearity, Generator.defaultGenerator());
    }

    /** With PyTorch's defaults: a = 0, fan_in, leaky_relu. */
    public static Tensor kaimingUniform_(Tensor tensor) {
        return kaimingUniform_(tensor, 0.0, "fan_in", "leaky_relu");
    }

    /** He normal: {@code N(0, std²)} with {@code std = gain / √fan}. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity, Generator generator) {
        double gain = calculateGain(nonlinearity, a);
        double std = gain / Math.sqrt(fan(tensor, mode));
        return normal_(tensor, 0.0, std, generator);
    }

    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity) {
        return kaimingNormal_(tensor, a, mode, nonlinearity, Generator.defaultGenerator());
    }

    public static Tensor kaimingNormal_(Tensor tensor) {
        return kaimingNormal_(tensor, 0.0, "fan_in", "leaky_relu");
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, as {@code orthogonal_}: the Q factor (with R's diagonal made
     * positive) of a normal random matrix, over the tensor flattened to {@code [size(0), rest]}.
     */
    public static Tensor orthogonal_(Tensor tensor, double gain, Generator generator) {
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException("orthogonal_: only tensors with 2 or more dimensions are supported, got shape "
                    + Arrays.toString(tensor.shape()));
        }
        if (tensor.numel() == 0) {
            return tensor;
        }
        int rows = tensor.size(0);
        int cols = tensor.numel() / rows;
        double[] flat = Tensor.randn(new int[] {rows, cols}, generator).toDoubleArray();
        boolean transposed = rows < cols;
        int m = transposed ? cols : rows; // tall matrix m x n, m >= n
        int n = transposed ? rows : cols;
        double[][] col = new double[n][m];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = flat[i * cols + j];
                if (transposed) {
                    col[i][j] = v;
                } else {
                    col[j][i] = v;
                }
            }
        }
        // modified Gram-Schmidt with one reorthogonalization pass: Q with R's diagonal positive
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += col[k][i] * col[j][i];
                    }
                    for (int i = 0; i < m; i++) {
                        col[j][i] -= dot * col[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += col[j][i] * col[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                col[j][i] /= norm;
            }
        }
        double[] q = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                q[i * cols + j] = gain * (transposed ? col[i][j] : col[j][i]);
            }
        }
        try (var g = Autograd.noGrad()) {
            return tensor.copy_(Tensor.of(q, tensor.shape()));
        }
    }

    public static Tensor orthogonal_(Tensor tensor, double gain) {
        return orthogonal_(tensor, gain, Generator.defaultGenerator());
    }

    public static Tensor orthogonal_(Tensor tensor) {
        return orthogonal_(tensor, 1.0);
    }
}
