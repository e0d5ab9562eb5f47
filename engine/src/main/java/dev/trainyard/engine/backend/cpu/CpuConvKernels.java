package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.Storage;

import java.util.stream.IntStream;

/** im2col and col2im: the two kernels convolution and pooling are built from. */
final class CpuConvKernels {
    private CpuConvKernels() {
    }

    /** {@code [N, C, H, W]} to {@code [N, C*kh*kw, outH*outW]}; positions in the padding read {@code padValue}. */
    static Tensor unfold(Tensor x, ConvGeometry g, double padValue) {
        int n = x.size(0);
        int c = x.size(1);
        int oh = g.outH();
        int ow = g.outW();
        int rows = c * g.kh() * g.kw();
        int cols = oh * ow;
        DType dtype = x.dtype();
        Tensor in = x.isContiguous() ? x : CpuKernels.INSTANCE.copy(x, dtype);
        int inOff = in.storageOffset();
        int plane = g.inH() * g.inW();
        if (dtype == DType.FLOAT32) {
            float[] src = in.storage().floats();
            float[] out = new float[n * rows * cols];
            float pad = (float) padValue;
            parallel(n * rows, (long) cols).forEach(r -> {
                int b = r / rows;
                int row = r % rows;
                int ch = row / (g.kh() * g.kw());
                int ki = (row / g.kw()) % g.kh();
                int kj = row % g.kw();
                int srcBase = inOff + (b * c + ch) * plane;
                int dst = r * cols;
                for (int y = 0; y < oh; y++) {
                    int iy = y * g.sh() - g.ph() + ki * g.dh();
                    if (iy < 0 || iy >= g.inH()) {
                        java.util.Arrays.fill(out, dst, dst + ow, pad);
                        dst += ow;
                        continue;
                    }
                    int rowBase = srcBase + iy * g.inW();
                    for (int xx = 0; xx < ow; xx++) {
                        int ix = xx * g.sw() - g.pw() + kj * g.dw();
                        out[dst++] = ix >= 0 && ix < g.inW() ? src[rowBase + ix] : pad;
                    }
                }
            });
            return Tensor.wrap(Storage.wrap(out), n, rows, cols);
        }
        Storage src = in.storage();
        Storage out = Storage.allocate(dtype, n * rows * cols);
        for (int r = 0; r < n * rows; r++) {
            int b = r / rows;
            int row = r % rows;
            int ch = row / (g.kh() * g.kw());
            int ki = (row / g.kw()) % g.kh();
            int kj = row % g.kw();
            int srcBase = inOff + (b * c + ch) * plane;
            int dst = r * cols;
            for (int y = 0; y < oh; y++) {
                int iy = y * g.sh() - g.ph() + ki * g.dh();
                for (int xx = 0; xx < ow; xx++) {
                    int ix = xx * g.sw() - g.pw() + kj * g.dw();
                    boolean inside = iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW();
                    out.setDouble(dst++, inside ? src.getDouble(srcBase + iy * g.inW() + ix) : padValue);
                }
            }
        }
        return Tensor.wrap(out, n, rows, cols);
    }

    /** The adjoint of {@link #unfold}: {@code [N, C*kh*kw, L]} summed back into {@code [N, C, H, W]}. */
    static Tensor fold(Tensor cols, int channels, ConvGeometry g) {
        int n = cols.size(0);
        int rows = channels * g.kh() * g.kw();
        int oh = g.outH();
        int ow = g.outW();
        int l = oh * ow;
        DType dtype = cols.dtype();
        Tensor in = cols.isContiguous() ? cols : CpuKernels.INSTANCE.copy(cols, dtype);
        int inOff = in.storageOffset();
        int plane = g.inH() * g.inW();
        if (dtype == DType.FLOAT32) {
            float[] src = in.storage().floats();
            float[] out = new float[n * channels * plane];
            // one task per (image, channel) plane, so no two tasks add into the same output element
            parallel(n * channels, (long) g.kh() * g.kw() * l).forEach(p -> {
                int b = p / channels;
                int ch = p % channels;
                int dstBase = p * plane;
                for (int ki = 0; ki < g.kh(); ki++) {
                    for (int kj = 0; kj < g.kw(); kj++) {
                        int row = (ch * g.kh() + ki) * g.kw() + kj;
                        int s = inOff + (b * rows + row) * l;
                        for (int y = 0; y < oh; y++) {
                            int iy = y * g.sh() - g.ph() + ki * g.dh();
                            if (iy < 0 || iy >= g.inH()) {
                                s += ow;
                                continue;
                            }
                            int rowBase = dstBase + iy * g.inW();
                            for (int xx = 0; xx < ow; xx++, s++) {
                                int ix = xx * g.sw() - g.pw() + kj * g.dw();
                                if (ix >= 0 && ix < g.inW()) {
                                    out[rowBase + ix] += src[s];
                                }
                            }
                        }
                    }
                }
            });
            return Tensor.wrap(Storage.wrap(out), n, channels, g.inH(), g.inW());
        }
        Storage src = in.storage();
        Storage out = Storage.allocate(dtype, n * channels * plane);
        for (int p = 0; p < n * channels; p++) {
            int b = p / channels;
            int ch = p % channels;
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int row = (ch * g.kh() + ki) * g.kw() + kj;
                    int s = inOff + (b * rows + row) * l;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * g.sh() - g.ph() + ki * g.dh();
                        for (int xx = 0; xx < ow; xx++, s++) {
                            int ix = xx * g.sw() - g.pw() + kj * g.dw();
                            if (iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW()) {
                                int d = p * plane + iy * g.inW() + ix;
                                out.setDouble(d, out.getDouble(d) + src.getDouble(s));
                            }
                        }
                    }
                }
            }
        }
        return Tensor.wrap(out, n, channels, g.inH(), g.inW());
    }

    private static IntStream parallel(int tasks, long workPerTask) {
        IntStream s = IntStream.range(0, tasks);
        return tasks * workPerTask >= (1 << 15) ? s.parallel() : s;
    }
}
