package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Pooling;

import java.util.Arrays;

/**
 * 2-D average pooling, as {@code nn.AvgPool2d}, over {@code [N, C, H, W]} or {@code [C, H, W]}; the stride defaults
 * to the kernel size. Windows are divided by their size including the zero padding ({@code countIncludePad}, the
 * default) or not, or by {@code divisorOverride} when given.
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final Integer divisorOverride;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(Conv2d.pair(kernelSize), Conv2d.pair(stride), Conv2d.pair(padding), false, true, null);
    }

    /**
     * The full form, as {@code nn.AvgPool2d(kernel_size, stride, padding, ceil_mode, count_include_pad,
     * divisor_override)}; {@code stride} null means the kernel size, {@code divisorOverride} null means none.
     */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                     Integer divisorOverride) {
        String name = "AvgPool2d";
        this.kernelSize = Conv2d.checkPair(name, "kernel_size", kernelSize, 1);
        this.stride = Conv2d.checkPair(name, "stride", stride == null ? kernelSize : stride, 1);
        this.padding = Conv2d.checkPair(name, "padding", padding, 0);
        for (int i = 0; i < 2; i++) {
            if (padding[i] * 2 > kernelSize[i]) {
                throw new IllegalArgumentException(name + ": pad should be at most half of kernel size, but got pad="
                        + Arrays.toString(padding) + " and kernel_size=" + Arrays.toString(kernelSize));
            }
        }
        if (divisorOverride != null && divisorOverride <= 0) {
            throw new IllegalArgumentException(name + ": divisor_override must be positive, got " + divisorOverride);
        }
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The divisor override, or null. */
    public Integer divisorOverride() {
        return divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(this + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape "
                    + Arrays.toString(input.shape()));
        }
        return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + MaxPool2d.pyIntOrTuple(kernelSize) + ", stride=" + MaxPool2d.pyIntOrTuple(stride) + ", padding="
                + MaxPool2d.pyIntOrTuple(padding);
    }
}
