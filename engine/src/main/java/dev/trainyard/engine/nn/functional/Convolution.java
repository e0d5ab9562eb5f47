package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/**
 * Convolutions, as {@code F.conv1d}, {@code F.conv2d} and {@code F.conv_transpose2d}: argument handling (padding
 * strings, unbatched inputs) over {@link dev.trainyard.engine.ops.Convolution}, which computes them.
 */
public final class Convolution {
    private Convolution() {
    }

    /** {@code F.conv2d}: input {@code [N, C, H, W]} or {@code [C, H, W]}, weight {@code [O, C/groups, kh, kw]}, bias {@code [O]} or null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        checkPair("conv2d", "stride", stride, 1);
        checkPair("conv2d", "padding", padding, 0);
        checkPair("conv2d", "dilation", dilation, 1);
        return dev.trainyard.engine.ops.Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code F.conv2d} with {@code padding} "valid" (none) or "same" (output size = input size; needs stride 1). When
     * the total padding {@code dilation * (k - 1)} of a dim is odd, the extra element goes on the right/bottom, as in
     * PyTorch.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        checkPair("conv2d", "stride", stride, 1);
        checkPair("conv2d", "dilation", dilation, 1);
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4D weight, got " + Arrays.toString(weight.shape()));
        }
        return switch (paddingMode("conv2d", padding, stride)) {
            case VALID -> conv2d(input, weight, bias, stride, new int[] {0, 0}, dilation, groups);
            case SAME -> {
                int[] left = new int[2];
                int[] extra = new int[2];
                for (int i = 0; i < 2; i++) {
                    int total = dilation[i] * (weight.size(2 + i) - 1);
                    left[i] = total / 2;
                    extra[i] = total - 2 * left[i];
                }
                Tensor x = input;
                if (extra[0] > 0 || extra[1] > 0) {
                    x = Padding.pad(input, new int[] {0, extra[1], 0, extra[0]});
                }
                yield conv2d(x, weight, bias, stride, left, dilation, groups);
            }
        };
    }

    /** {@code F.conv1d}: input {@code [N, C, L]} or {@code [C, L]}, weight {@code [O, C/groups, k]}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        checkPair("conv1d", "stride", new int[] {stride}, 1);
        checkPair("conv1d", "padding", new int[] {padding}, 0);
        checkPair("conv1d", "dilation", new int[] {dilation}, 1);
        return dev.trainyard.engine.ops.Convolution.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv1d} with {@code padding} "valid" or "same" (extra padding on the right). */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        checkPair("conv1d", "dilation", new int[] {dilation}, 1);
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected a 3D weight, got " + Arrays.toString(weight.shape()));
        }
        return switch (paddingMode("conv1d", padding, new int[] {stride})) {
            case VALID -> conv1d(input, weight, bias, stride, 0, dilation, groups);
            case SAME -> {
                int total = dilation * (weight.size(2) - 1);
                int left = total / 2;
                Tensor x = total % 2 == 0 ? input : Padding.pad(input, new int[] {0, 1});
                yield conv1d(x, weight, bias, stride, left, dilation, groups);
            }
        };
    }

    /**
     * {@code F.conv_transpose2d}: weight {@code [C_in, C_out/groups, kh, kw]}; {@code outputPadding} adds rows and
     * columns on the bottom/right of the output to pick among the input sizes a strided conv2d maps to this one.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        checkPair("convTranspose2d", "stride", stride, 1);
        checkPair("convTranspose2d", "padding", padding, 0);
        checkPair("convTranspose2d", "outputPadding", outputPadding, 0);
        checkPair("convTranspose2d", "dilation", dilation, 1);
        return dev.trainyard.engine.ops.Convolution.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups,
                dilation);
    }

    private enum PaddingMode { VALID, SAME }

    private static PaddingMode paddingMode(String op, String padding, int[] stride) {
        switch (padding) {
            case "valid" -> {
                return PaddingMode.VALID;
            }
            case "same" -> {
                for (int s : stride) {
                    if (s != 1) {
                        throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions (stride "
                                + Arrays.toString(stride) + ")");
                    }
                }
                return PaddingMode.SAME;
            }
            default -> throw new IllegalArgumentException(op + ": invalid padding string '" + padding
                    + "', should be one of {'valid', 'same'}");
        }
    }

    /** Checks an int-pair argument: its length matches the spatial dims and every entry is at least {@code min}. */
    static void checkPair(String op, String name, int[] values, int min) {
        if (values == null) {
            throw new IllegalArgumentException(op + ": " + name + " must not be null");
        }
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException(op + ": " + name + " must be " + (min == 0 ? "non-negative" : "positive")
                        + ", got " + Arrays.toString(values));
            }
        }
    }
}
