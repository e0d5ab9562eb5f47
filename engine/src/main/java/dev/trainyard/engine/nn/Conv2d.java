package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Convolution;

import java.util.Arrays;

/**
 * A 2-D convolution, as {@code nn.Conv2d}: input {@code [N, C_in, H, W]} (or unbatched {@code [C_in, H, W]}), weight
 * {@code [C_out, C_in / groups, kh, kw]}, bias {@code [C_out]}. Padding is a pair of sizes or the string "same" (the
 * output keeps the input size; stride 1 only; an odd total padding puts the extra row/column on the bottom/right, as
 * PyTorch) or "valid" (none). Initialized as PyTorch: weight kaiming-uniform with a = √5, i.e. U(±1/√fanIn), bias
 * U(±1/√fanIn), with {@code fanIn = C_in / groups * kh * kw}. Only zero padding is available ({@code padding_mode="zeros"}).
 */
public non-sealed class Conv2d extends ConvNd {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final String paddingString;
    private final int[] dilation;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding), pair(1), 1, true);
    }

    /** With {@code padding} "same" or "valid". */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, String padding) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), padding, pair(1), 1, true);
    }

    /** The full form, as {@code nn.Conv2d(in, out, kernel_size, stride, padding, dilation, groups, bias)}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias);
    }

    /** The full form with {@code padding} "same" or "valid". */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, null, padding, dilation, groups, bias);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingString,
                   int[] dilation, int groups, boolean bias) {
        String name = "Conv2d";
        checkChannels(name, inChannels, outChannels, groups);
        this.kernelSize = checkPair(name, "kernel_size", kernelSize, 1);
        this.stride = checkPair(name, "stride", stride, 1);
        this.dilation = checkPair(name, "dilation", dilation, 1);
        if (paddingString != null) {
            checkPaddingString(name, paddingString, stride);
            this.padding = null;
        } else {
            this.padding = checkPair(name, "padding", padding, 0);
        }
        this.paddingString = paddingString;
        super(inChannels, outChannels, groups, bias, outChannels, inChannels / groups, kernelSize[0], kernelSize[1]);
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    /** The padding sizes, or null when the padding is the string {@link #paddingString()}. */
    public int[] padding() {
        return padding == null ? null : padding.clone();
    }

    /** "same" or "valid", or null when the padding is given as sizes. */
    public String paddingString() {
        return paddingString;
    }

    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input, "H, W");
        if (paddingString != null) {
            return Convolution.conv2d(input, weight(), bias(), stride, paddingString, dilation, groups());
        }
        return Convolution.conv2d(input, weight(), bias(), stride, padding, dilation, groups());
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels()).append(", ").append(outChannels())
                .append(", kernel_size=").append(pyTuple(kernelSize)).append(", stride=").append(pyTuple(stride));
        if (paddingString != null) {
            s.append(", padding=").append(paddingString);
        } else if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(pyTuple(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(pyTuple(dilation));
        }
        if (groups() != 1) {
            s.append(", groups=").append(groups());
        }
        if (bias() == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ shared with Conv1d, ConvTranspose2d and the pools

    static int[] pair(int v) {
        return new int[] {v, v};
    }

    static void checkChannels(String name, int in, int out, int groups) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": in_channels and out_channels must be positive, got " + in + " and " + out);
        }
        if (groups <= 0) {
            throw new IllegalArgumentException(name + ": groups must be a positive integer, got " + groups);
        }
        if (in % groups != 0) {
            throw new IllegalArgumentException(name + ": in_channels (" + in + ") must be divisible by groups (" + groups + ")");
        }
        if (out % groups != 0) {
            throw new IllegalArgumentException(name + ": out_channels (" + out + ") must be divisible by groups (" + groups + ")");
        }
    }

    static int[] checkPair(String name, String what, int[] values, int min) {
        if (values == null || values.length != 2) {
            throw new IllegalArgumentException(name + ": " + what + " must have 2 elements, got " + Arrays.toString(values));
        }
        return checkMin(name, what, values, min);
    }

    static int[] checkMin(String name, String what, int[] values, int min) {
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException(name + ": " + what + " must be " + (min == 0 ? "non-negative" : "positive")
                        + ", got " + (values.length == 1 ? String.valueOf(values[0]) : Arrays.toString(values)));
            }
        }
        return values.clone();
    }

    static void checkPaddingString(String name, String padding, int[] stride) {
        if (!padding.equals("same") && !padding.equals("valid")) {
            throw new IllegalArgumentException(name + ": invalid padding string '" + padding + "', should be one of {'valid', 'same'}");
        }
        if (padding.equals("same")) {
            for (int s : stride) {
                if (s != 1) {
                    throw new IllegalArgumentException(name + ": padding='same' is not supported for strided convolutions (stride "
                            + Arrays.toString(stride) + ")");
                }
            }
        }
    }
}
