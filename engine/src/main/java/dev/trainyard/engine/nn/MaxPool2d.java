package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.nn.functional.Pooling;

import java.util.Arrays;

/**
 * 2-D max pooling, as {@code nn.MaxPool2d}, over {@code [N, C, H, W]} or {@code [C, H, W]}; the stride defaults to
 * the kernel size. With {@code returnIndices} the layer returns the values and, for each, the flat index
 * {@code h * W + w} into its input plane (what {@code MaxUnpool2d} needs): call it through
 * {@link #callWithIndices(Tensor)}.
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean returnIndices;
    private final boolean ceilMode;

    /** Kernel {@code kernelSize}, stride {@code kernelSize}. */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(Conv2d.pair(kernelSize), Conv2d.pair(stride), Conv2d.pair(padding), Conv2d.pair(1), false, false);
    }

    /**
     * The full form, as {@code nn.MaxPool2d(kernel_size, stride, padding, dilation, return_indices, ceil_mode)};
     * {@code stride} null means the kernel size.
     */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean returnIndices, boolean ceilMode) {
        String name = "MaxPool2d";
        this.kernelSize = Conv2d.checkPair(name, "kernel_size", kernelSize, 1);
        this.stride = Conv2d.checkPair(name, "stride", stride == null ? kernelSize : stride, 1);
        this.padding = Conv2d.checkPair(name, "padding", padding, 0);
        this.dilation = Conv2d.checkPair(name, "dilation", dilation, 1);
        for (int i = 0; i < 2; i++) {
            if (padding[i] * 2 > kernelSize[i]) {
                throw new IllegalArgumentException(name + ": pad should be at most half of effective kernel size, but got pad="
                        + Arrays.toString(padding) + " and kernel_size=" + Arrays.toString(kernelSize));
            }
        }
        this.returnIndices = returnIndices;
        this.ceilMode = ceilMode;
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

    public int[] dilation() {
        return dilation.clone();
    }

    public boolean returnIndices() {
        return returnIndices;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    /** The pooled values. A layer built with {@code returnIndices} is called with {@link #callWithIndices(Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        if (returnIndices) {
            throw new UnsupportedOperationException(this + " was built with return_indices=True and returns values and indices:"
                    + " use callWithIndices(input)");
        }
        checkInput(input);
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** The pooled values and their indices, as {@code MaxPool2d(return_indices=True)(input)}. */
    public ValuesIndices forwardWithIndices(Tensor input) {
        return pool(input);
    }

    /** Runs {@link #forwardWithIndices(Tensor)} between the forward hooks. */
    public ValuesIndices callWithIndices(Tensor input) {
        return callWithHooks(new Tensor[] {input}, in -> forwardWithIndices(in[0]));
    }

    private ValuesIndices pool(Tensor input) {
        checkInput(input);
        return Pooling.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    private void checkInput(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(this + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape "
                    + Arrays.toString(input.shape()));
        }
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + pyIntOrTuple(kernelSize) + ", stride=" + pyIntOrTuple(stride) + ", padding=" + pyIntOrTuple(padding)
                + ", dilation=" + pyIntOrTuple(dilation) + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }

    /** {@code 2} for a square pair, {@code (3, 2)} otherwise (PyTorch prints what it was given; this is the common case). */
    static String pyIntOrTuple(int[] pair) {
        return pair[0] == pair[1] ? String.valueOf(pair[0]) : pyTuple(pair);
    }
}
