package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;

import java.util.Arrays;

/**
 * Pooling over the last two dims of {@code [N, C, H, W]} or {@code [C, H, W]}, as {@code F.max_pool2d},
 * {@code F.avg_pool2d} and {@code F.adaptive_avg_pool2d}; computed by {@link dev.trainyard.engine.ops.Convolution}. A
 * null {@code stride} means the kernel size, as PyTorch's default.
 */
public final class Pooling {
    private Pooling() {
    }

    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        int[] s = stride == null ? kernelSize : stride;
        check("maxPool2d", kernelSize, s, padding);
        Convolution.checkPair("maxPool2d", "dilation", dilation, 1);
        return dev.trainyard.engine.ops.Convolution.maxPool2d(input, kernelSize, s, padding, dilation, ceilMode);
    }

    /** Max pooling that also returns, for each output, the flat index into its input plane ({@code h * W + w}), as {@code return_indices=True}. */
    public static ValuesIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding,
                                                     int[] dilation, boolean ceilMode) {
        int[] s = stride == null ? kernelSize : stride;
        check("maxPool2d", kernelSize, s, padding);
        Convolution.checkPair("maxPool2d", "dilation", dilation, 1);
        return dev.trainyard.engine.ops.Convolution.maxPool2dWithIndices(input, kernelSize, s, padding, dilation, ceilMode);
    }

    /** Average pooling; {@code divisorOverride} null divides by the window size (with or without the padding). */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        int[] s = stride == null ? kernelSize : stride;
        check("avgPool2d", kernelSize, s, padding);
        for (int i = 0; i < 2; i++) {
            if (padding[i] * 2 > kernelSize[i]) {
                throw new IllegalArgumentException("avgPool2d: pad should be at most half of kernel size, but got pad="
                        + Arrays.toString(padding) + " and kernel_size=" + Arrays.toString(kernelSize));
            }
        }
        if (divisorOverride != null && divisorOverride <= 0) {
            throw new IllegalArgumentException("avgPool2d: divisor must be not zero or negative, got " + divisorOverride);
        }
        return dev.trainyard.engine.ops.Convolution.avgPool2d(input, kernelSize, s, padding, ceilMode, countIncludePad,
                divisorOverride == null ? 0 : divisorOverride);
    }

    /** Averages over windows chosen so the output is {@code outputSize} ({@code [outH, outW]}) whatever the input size. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
        if (outputSize == null || outputSize.length != 2) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must have 2 elements, got "
                    + Arrays.toString(outputSize));
        }
        return dev.trainyard.engine.ops.Convolution.adaptiveAvgPool2d(input, outputSize[0], outputSize[1]);
    }

    private static void check(String op, int[] kernel, int[] stride, int[] padding) {
        if (kernel == null || kernel.length != 2 || stride.length != 2 || padding == null || padding.length != 2) {
            throw new IllegalArgumentException(op + ": kernel size, stride and padding must have 2 elements each, got "
                    + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", " + Arrays.toString(padding));
        }
        Convolution.checkPair(op, "kernel size", kernel, 1);
        Convolution.checkPair(op, "stride", stride, 1);
        Convolution.checkPair(op, "padding", padding, 0);
    }
}
