package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Convolution;

/**
 * A 1-D convolution, as {@code nn.Conv1d}: input {@code [N, C_in, L]} (or unbatched {@code [C_in, L]}), weight
 * {@code [C_out, C_in / groups, k]}, bias {@code [C_out]}. Padding is a size or "same" / "valid" (see {@link Conv2d});
 * initialized as PyTorch (U(±1/√fanIn) for weight and bias, {@code fanIn = C_in / groups * k}).
 */
public non-sealed class Conv1d extends ConvNd {
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final String paddingString;
    private final int dilation;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /** The full form, as {@code nn.Conv1d(in, out, kernel_size, stride, padding, dilation, groups, bias)}. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias);
    }

    /** The full form with {@code padding} "same" or "valid". */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, 0, padding, dilation, groups, bias);
    }

    private Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, String paddingString,
                   int dilation, int groups, boolean bias) {
        String name = "Conv1d";
        Conv2d.checkChannels(name, inChannels, outChannels, groups);
        Conv2d.checkMin(name, "kernel_size", new int[] {kernelSize}, 1);
        Conv2d.checkMin(name, "stride", new int[] {stride}, 1);
        Conv2d.checkMin(name, "dilation", new int[] {dilation}, 1);
        if (paddingString != null) {
            Conv2d.checkPaddingString(name, paddingString, new int[] {stride});
        } else {
            Conv2d.checkMin(name, "padding", new int[] {padding}, 0);
        }
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.paddingString = paddingString;
        this.dilation = dilation;
        super(inChannels, outChannels, groups, bias, outChannels, inChannels / groups, kernelSize);
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    /** The padding size (0 when the padding is the string {@link #paddingString()}). */
    public int padding() {
        return padding;
    }

    /** "same" or "valid", or null when the padding is given as a size. */
    public String paddingString() {
        return paddingString;
    }

    public int dilation() {
        return dilation;
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input, "L");
        if (paddingString != null) {
            return Convolution.conv1d(input, weight(), bias(), stride, paddingString, dilation, groups());
        }
        return Convolution.conv1d(input, weight(), bias(), stride, padding, dilation, groups());
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels()).append(", ").append(outChannels())
                .append(", kernel_size=(").append(kernelSize).append(",), stride=(").append(stride).append(",)");
        if (paddingString != null) {
            s.append(", padding=").append(paddingString);
        } else if (padding != 0) {
            s.append(", padding=(").append(padding).append(",)");
        }
        if (dilation != 1) {
            s.append(", dilation=(").append(dilation).append(",)");
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
