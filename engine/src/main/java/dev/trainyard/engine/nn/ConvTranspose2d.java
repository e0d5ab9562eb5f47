package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Convolution;

import java.util.Arrays;

/**
 * A 2-D transposed convolution (the gradient of {@link Conv2d} with respect to its input, sometimes called a
 * deconvolution), as {@code nn.ConvTranspose2d}: input {@code [N, C_in, H, W]} (or {@code [C_in, H, W]}), weight
 * {@code [C_in, C_out / groups, kh, kw]}, bias {@code [C_out]}. The output is
 * {@code (H - 1) * stride - 2 * padding + dilation * (kh - 1) + outputPadding + 1} high (and likewise wide).
 * Initialized as PyTorch: U(±1/√fanIn) with {@code fanIn = C_out / groups * kh * kw} (the weight's dim 1).
 */
public non-sealed class ConvTranspose2d extends ConvNd {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 0);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding) {
        this(inChannels, outChannels, Conv2d.pair(kernelSize), Conv2d.pair(stride), Conv2d.pair(padding),
                Conv2d.pair(outputPadding), 1, true, Conv2d.pair(1));
    }

    /**
     * The full form, in PyTorch's order: {@code nn.ConvTranspose2d(in, out, kernel_size, stride, padding,
     * output_padding, groups, bias, dilation)}.
     */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int groups, boolean bias, int[] dilation) {
        String name = "ConvTranspose2d";
        Conv2d.checkChannels(name, inChannels, outChannels, groups);
        this.kernelSize = Conv2d.checkPair(name, "kernel_size", kernelSize, 1);
        this.stride = Conv2d.checkPair(name, "stride", stride, 1);
        this.padding = Conv2d.checkPair(name, "padding", padding, 0);
        this.outputPadding = Conv2d.checkPair(name, "output_padding", outputPadding, 0);
        this.dilation = Conv2d.checkPair(name, "dilation", dilation, 1);
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
                throw new IllegalArgumentException(name + ": output padding " + Arrays.toString(outputPadding)
                        + " must be smaller than either stride " + Arrays.toString(stride) + " or dilation "
                        + Arrays.toString(dilation));
            }
        }
        super(inChannels, outChannels, groups, bias, inChannels, outChannels / groups, kernelSize[0], kernelSize[1]);
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

    public int[] outputPadding() {
        return outputPadding.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input, "H, W");
        return Convolution.convTranspose2d(input, weight(), bias(), stride, padding, outputPadding, groups(), dilation);
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels()).append(", ").append(outChannels())
                .append(", kernel_size=").append(pyTuple(kernelSize)).append(", stride=").append(pyTuple(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(pyTuple(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(pyTuple(dilation));
        }
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            s.append(", output_padding=").append(pyTuple(outputPadding));
        }
        if (groups() != 1) {
            s.append(", groups=").append(groups());
        }
        if (bias() == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
