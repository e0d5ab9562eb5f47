package dev.trainyard.engine.backend;

/**
 * The sliding-window geometry shared by convolution and pooling: kernel, stride, padding and dilation over the two
 * spatial dims of an input of {@code inH x inW}.
 */
public record ConvGeometry(int inH, int inW, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                           boolean ceilMode) {

    public ConvGeometry(int inH, int inW, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        this(inH, inW, kh, kw, sh, sw, ph, pw, dh, dw, false);
    }

    public int outH() {
        return outSize(inH, kh, sh, ph, dh);
    }

    public int outW() {
        return outSize(inW, kw, sw, pw, dw);
    }

    /** PyTorch's pooling output size; in ceil mode the last window must still start inside the input or left padding. */
    private int outSize(int in, int k, int s, int p, int d) {
        int span = in + 2 * p - d * (k - 1) - 1;
        if (!ceilMode) {
            return Math.floorDiv(span, s) + 1;
        }
        int out = Math.floorDiv(span + s - 1, s) + 1;
        if ((out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }
}
