package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.Storage;

import java.util.Arrays;

/**
 * im2row and row2im: the two kernels convolution and pooling are built from. Each output position's receptive field
 * becomes one contiguous row, so a convolution is a single matrix product and pooling a reduction over the last dim.
 */
final class CpuConvKernels {

    private CpuConvKernels() {
    }

    /** {@code [N, C, H, W]} to {@code [N, outH*outW, C*kh*kw]}; positions in the padding read {@code padValue}. */
    static Tensor unfold(Tensor x, ConvGeometry g, double padValue) {
        int n = x.size(0);
        int c = x.size(1);
        int oh = g.outH();
        int ow = g.outW();
        int kk = g.kh() * g.kw();
        int width = c * kk;
        DType dtype = x.dtype();
        Tensor in = x.isContiguous() ? x : CpuKernels.INSTANCE.copy(x, dtype);
        int inOff = in.storageOffset();
        int plane = g.inH() * g.inW();
        if (dtype == DType.FLOAT32) {
            float[] src = in.storage().floats();
            float[] out = FloatBuffers.take(n * oh * ow * width);
            float pad = (float) padValue;
            if (windowsInside(g)) {
                // every window lies inside the image: a row is the window's elements, at fixed offsets from its corner
                int[] window = windowOffsets(c, g);
                parallel(n * oh, (long) ow * width).forEach(task -> {
                    int b = task / oh;
                    int y = task % oh;
                    int dst = (b * oh + y) * ow * width;
                    for (int xx = 0; xx < ow; xx++, dst += width) {
                        int corner = inOff + b * c * plane + y * g.sh() * g.inW() + xx * g.sw();
                        for (int q = 0; q < width; q++) {
                            out[dst + q] = src[corner + window[q]];
                        }
                    }
                });
                return Tensor.wrap(Storage.wrap(out), n, oh * ow, width);
            }
            // one task per (image, output row): each writes its own block of rows
            parallel(n * oh, (long) ow * width).forEach(task -> {
                int b = task / oh;
                int y = task % oh;
                int dst = (b * oh + y) * ow * width;
                for (int xx = 0; xx < ow; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        int srcPlane = inOff + (b * c + ch) * plane;
                        for (int ki = 0; ki < g.kh(); ki++) {
                            int iy = y * g.sh() - g.ph() + ki * g.dh();
                            boolean rowInside = iy >= 0 && iy < g.inH();
                            int rowBase = srcPlane + iy * g.inW();
                            for (int kj = 0; kj < g.kw(); kj++) {
                                int ix = xx * g.sw() - g.pw() + kj * g.dw();
                                out[dst++] = rowInside && ix >= 0 && ix < g.inW() ? src[rowBase + ix] : pad;
                            }
                        }
                    }
                }
            });
            return Tensor.wrap(Storage.wrap(out), n, oh * ow, width);
        }
        Storage src = in.storage();
        Storage out = Storage.allocate(dtype, n * oh * ow * width);
        int dst = 0;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int ki = 0; ki < g.kh(); ki++) {
                            for (int kj = 0; kj < g.kw(); kj++) {
                                int iy = y * g.sh() - g.ph() + ki * g.dh();
                                int ix = xx * g.sw() - g.pw() + kj * g.dw();
                                boolean inside = iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW();
                                out.setDouble(dst++, inside ? src.getDouble(inOff + (b * c + ch) * plane + iy * g.inW() + ix) : padValue);
                            }
                        }
                    }
                }
            }
        }
        return Tensor.wrap(out, n, oh * ow, width);
    }

    /** The adjoint of {@link #unfold}: rows {@code [N, L, C*kh*kw]} summed back into {@code [N, C, H, W]}. */
    static Tensor fold(Tensor rows, int channels, ConvGeometry g) {
        int n = rows.size(0);
        int oh = g.outH();
        int ow = g.outW();
        int kk = g.kh() * g.kw();
        int width = channels * kk;
        DType dtype = rows.dtype();
        Tensor in = rows.isContiguous() ? rows : CpuKernels.INSTANCE.copy(rows, dtype);
        int inOff = in.storageOffset();
        int plane = g.inH() * g.inW();
        if (dtype == DType.FLOAT32) {
            float[] src = in.storage().floats();
            // a reused array: each task zeroes the planes it sums into first, while they are in cache
            float[] out = FloatBuffers.take(n * channels * plane);
            if (windowsInside(g)) {
                // one task per image: its rows are read once, in order, and summed into its planes, which stay in
                // cache; each element still receives its terms in (y, x) order, as one task per plane would add them
                int[] window = windowOffsets(channels, g);
                parallel(n, (long) oh * ow * width).forEach(b -> {
                    Arrays.fill(out, b * channels * plane, (b + 1) * channels * plane, 0f);
                    int s = inOff + b * oh * ow * width;
                    for (int y = 0; y < oh; y++) {
                        for (int xx = 0; xx < ow; xx++, s += width) {
                            int corner = b * channels * plane + y * g.sh() * g.inW() + xx * g.sw();
                            for (int q = 0; q < width; q++) {
                                out[corner + window[q]] += src[s + q];
                            }
                        }
                    }
                });
                return Tensor.wrap(Storage.wrap(out), n, channels, g.inH(), g.inW());
            }
            // one task per (image, channel) plane, so no two tasks add into the same output element
            parallel(n * channels, (long) kk * oh * ow).forEach(p -> {
                int b = p / channels;
                int ch = p % channels;
                int dstBase = p * plane;
                Arrays.fill(out, dstBase, dstBase + plane, 0f);
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int s = inOff + ((b * oh + y) * ow + xx) * width + ch * kk;
                        for (int ki = 0; ki < g.kh(); ki++) {
                            int iy = y * g.sh() - g.ph() + ki * g.dh();
                            if (iy < 0 || iy >= g.inH()) {
                                s += g.kw();
                                continue;
                            }
                            int rowBase = dstBase + iy * g.inW();
                            for (int kj = 0; kj < g.kw(); kj++, s++) {
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
        int s = inOff;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    for (int ch = 0; ch < channels; ch++) {
                        for (int ki = 0; ki < g.kh(); ki++) {
                            for (int kj = 0; kj < g.kw(); kj++, s++) {
                                int iy = y * g.sh() - g.ph() + ki * g.dh();
                                int ix = xx * g.sw() - g.pw() + kj * g.dw();
                                if (iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW()) {
                                    int d = (b * channels + ch) * plane + iy * g.inW() + ix;
                                    out.setDouble(d, out.getDouble(d) + src.getDouble(s));
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor.wrap(out, n, channels, g.inH(), g.inW());
    }

    private static final int TILE = 32;

    /**
     * A convolution's output from its product, float32: contiguous rows {@code [N, L, O]} to {@code [N, O, L]} plus
     * {@code bias[o]}, one float addition per element as the strided add it replaces. One task per image; within it,
     * tiles of TILE x TILE product elements, whose cache lines are all read before any is evicted, where a walk down
     * each product column (stride O) brings each line in once per element it uses (measured on the cnn's two shapes,
     * alternated with the strided add under load 15-20: 0.50-0.78 against 0.93-1.18 ms of CPU for conv1's; tiles of
     * 16 x 64 and 8 x 128 were slower, 64 x 16 level).
     */
    static Tensor transposeAddBias(Tensor product, Tensor bias) {
        int images = product.size(0);
        int rows = product.size(1);
        int cols = product.size(2);
        float[] src = product.storage().floats();
        int off = product.storageOffset();
        float[] b = bias.storage().floats();
        int bOff = bias.storageOffset();
        int plane = rows * cols;
        // every element is written below
        float[] out = FloatBuffers.take(images * plane);
        parallel(images, plane).forEach(image -> {
            int s0 = off + image * plane;
            int d0 = image * plane;
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                int r1 = Math.min(rows, r0 + TILE);
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    int c1 = Math.min(cols, c0 + TILE);
                    for (int c = c0; c < c1; c++) {
                        float add = b[bOff + c];
                        int d = d0 + c * rows;
                        for (int r = r0, s = s0 + r0 * cols + c; r < r1; r++, s += cols) {
                            out[d + r] = src[s] + add;
                        }
                    }
                }
            }
        });
        return Tensor.wrap(Storage.wrap(out), images, cols, rows);
    }

    /** Channels per task of {@link #transposeAndSumRows}: 16 floats, one cache line of each row it writes. */
    private static final int CHANNEL_TILE = 16;

    /**
     * Float32 {@code [N, O, L]} to {@code [N, L, O]} and the sums over N and L per channel, in one pass: the copy the
     * weight and input gradients need and the bias gradient, which a separate reduction read again on one thread.
     * One task per 16 channels; each channel's sum runs over images, then positions, in double, as the reduction
     * adds (sumRowsFourAtATime), so the same bits.
     */
    static Tensor[] transposeAndSumRows(Tensor grad) {
        int n = grad.size(0);
        int o = grad.size(1);
        int l = grad.size(2);
        float[] src = grad.storage().floats();
        int off = grad.storageOffset();
        // every element is written below
        float[] rows = FloatBuffers.take(n * l * o);
        float[] sums = new float[o];
        int tasks = (o + CHANNEL_TILE - 1) / CHANNEL_TILE;
        parallel(tasks, (long) n * l * CHANNEL_TILE).forEach(task -> {
            int c0 = task * CHANNEL_TILE;
            int c1 = Math.min(o, c0 + CHANNEL_TILE);
            double[] acc = new double[c1 - c0];
            for (int b = 0; b < n; b++) {
                for (int l0 = 0; l0 < l; l0 += TILE) {
                    int l1 = Math.min(l, l0 + TILE);
                    for (int c = c0; c < c1; c++) {
                        double a = acc[c - c0];
                        for (int p = l0, s = off + (b * o + c) * l + l0, d = (b * l + l0) * o + c; p < l1; p++, s++, d += o) {
                            float v = src[s];
                            a += v;
                            rows[d] = v;
                        }
                        acc[c - c0] = a;
                    }
                }
            }
            for (int c = c0; c < c1; c++) {
                sums[c] = (float) acc[c - c0];
            }
        });
        return new Tensor[] {Tensor.wrap(Storage.wrap(rows), n, l, o), Tensor.wrap(Storage.wrap(sums), o)};
    }

    /** See {@link dev.trainyard.engine.backend.Kernels#maxPool2d}; one task per (image, channel) plane. */
    static Tensor[] maxPool2d(Tensor x, ConvGeometry g) {
        int planes = x.size(0) * x.size(1);
        int oh = g.outH();
        int ow = g.outW();
        int plane = g.inH() * g.inW();
        int outPlane = oh * ow;
        Tensor in = x.isContiguous() ? x : CpuKernels.INSTANCE.copy(x, x.dtype());
        int inOff = in.storageOffset();
        boolean f32 = x.dtype() == DType.FLOAT32;
        // every path below writes every position; the node gives the array back when its graph frees it
        int[] positions = IntBuffers.take(planes * outPlane);
        if (f32 && tiledPairs(g)) {
            float[] out = FloatBuffers.take(planes * outPlane);
            float[] src = in.storage().floats();
            if (VectorApi.ENABLED) {
                FloatVectorKernels.maxPool2x2(src, inOff, planes, g, out, positions);
            } else {
                parallel(planes, (long) outPlane * 4).forEach(p -> maxPool2x2Plane(src, inOff + p * plane, g, out, positions,
                        p * outPlane));
            }
            int[] shape = {x.size(0), x.size(1), oh, ow};
            return new Tensor[] {Tensor.wrap(Storage.wrap(out), shape), Tensor.wrap(Storage.wrap(positions), shape)};
        }
        // both paths below write every value
        Storage values = f32 ? Storage.uninitializedFloats(planes * outPlane) : Storage.allocate(x.dtype(), planes * outPlane);
        Storage src = in.storage();
        if (f32 && windowsInside(g) && VectorApi.ENABLED) {
            FloatVectorKernels.maxPool(src.floats(), inOff, planes, g, values.floats(), positions);
            int[] shape = {x.size(0), x.size(1), oh, ow};
            return new Tensor[] {Tensor.wrap(values, shape), Tensor.wrap(Storage.wrap(positions), shape)};
        }
        parallel(planes, (long) outPlane * g.kh() * g.kw()).forEach(p -> {
            int base = inOff + p * plane;
            for (int y = 0, o = p * outPlane; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++, o++) {
                    int at = f32 ? argMaxFloat(src.floats(), base, g, y, xx) : argMaxGeneric(src, base, g, y, xx);
                    if (f32) {
                        values.floats()[o] = src.floats()[base + at];
                    } else {
                        values.setDouble(o, src.getDouble(base + at));
                    }
                    positions[o] = at;
                }
            }
        });
        int[] shape = {x.size(0), x.size(1), oh, ow};
        return new Tensor[] {Tensor.wrap(values, shape), Tensor.wrap(Storage.wrap(positions), shape)};
    }

    /** See {@link dev.trainyard.engine.backend.Kernels#maxPool2dBackward}; one task per (image, channel) plane. */
    static Tensor maxPool2dBackward(Tensor grad, Tensor positions, ConvGeometry g, int[] inputShape) {
        int planes = inputShape[0] * inputShape[1];
        int plane = g.inH() * g.inW();
        int outPlane = g.outH() * g.outW();
        int[] at = positions.storage().ints();
        int atOff = positions.storageOffset();
        Tensor gc = grad.isContiguous() ? grad : CpuKernels.INSTANCE.copy(grad, grad.dtype());
        int gOff = gc.storageOffset();
        if (grad.dtype() == DType.FLOAT32) {
            float[] gs = gc.storage().floats();
            // every element is written below
            float[] out = FloatBuffers.take(planes * plane);
            parallel(planes, plane).forEach(p -> {
                // the plane is zeroed and scattered into while it is in cache: one pass over the array in memory. Each
                // element sums its terms in output order, as the sequential scatter into zeros this replaces did
                int base = p * plane;
                Arrays.fill(out, base, base + plane, 0f);
                for (int o = 0, s = p * outPlane; o < outPlane; o++, s++) {
                    out[base + at[atOff + s]] += gs[gOff + s];
                }
            });
            return Tensor.wrap(Storage.wrap(out), inputShape);
        }
        Storage gs = gc.storage();
        Storage out = Storage.allocate(grad.dtype(), planes * plane);
        parallel(planes, plane).forEach(p -> {
            for (int o = 0, s = p * outPlane; o < outPlane; o++, s++) {
                int d = p * plane + at[atOff + s];
                out.setDouble(d, out.getDouble(d) + gs.getDouble(gOff + s));
            }
        });
        return Tensor.wrap(out, inputShape);
    }

    /** {@link FloatVectorKernels#maxPool2x2} for one plane in plain Java. */
    private static void maxPool2x2Plane(float[] src, int base, ConvGeometry g, float[] out, int[] positions, int o) {
        for (int y = 0; y < g.outH(); y++, o += g.outW()) {
            maxPool2x2Windows(src, base, 2 * y * g.inW(), g.inW(), g.outW(), out, positions, o);
        }
    }

    /**
     * {@code count} windows of one output row, the first at {@code corner} in the plane at {@code base}: the left
     * element unless the right one beats it, then the top pair's winner unless the bottom's beats it (beating:
     * greater, or NaN), which is what a scan of the window in order keeps: the first maximum, or the last NaN.
     */
    static void maxPool2x2Windows(float[] src, int base, int corner, int w, int count, float[] out, int[] positions, int o) {
        for (int i = 0; i < count; i++, o++, corner += 2) {
            int t = base + corner;
            float a = src[t];
            float b = src[t + 1];
            float c = src[t + w];
            float d = src[t + w + 1];
            boolean topRight = b > a | b != b;
            boolean bottomRight = d > c | d != d;
            float top = topRight ? b : a;
            float bottom = bottomRight ? d : c;
            boolean down = bottom > top | bottom != bottom;
            out[o] = down ? bottom : top;
            positions[o] = corner + (down ? w + (bottomRight ? 1 : 0) : (topRight ? 1 : 0));
        }
    }

    /**
     * Where in the plane at {@code base} the window of output (y, xx) has its maximum as PyTorch's CPU max-pool finds
     * it: scanning in order, an element replaces the best if greater or NaN (the first maximum, or the last NaN).
     * Written without data-dependent branches: which element wins is random, and mispredicted branches cost more
     * than the comparisons.
     */
    private static int argMaxFloat(float[] src, int base, ConvGeometry g, int y, int xx) {
        float best = Float.NEGATIVE_INFINITY;
        int bestAt = -1;
        for (int ki = 0; ki < g.kh(); ki++) {
            int iy = y * g.sh() - g.ph() + ki * g.dh();
            if (iy < 0 || iy >= g.inH()) {
                continue;
            }
            for (int kj = 0; kj < g.kw(); kj++) {
                int ix = xx * g.sw() - g.pw() + kj * g.dw();
                if (ix < 0 || ix >= g.inW()) {
                    continue;
                }
                int at = iy * g.inW() + ix;
                float v = src[base + at];
                boolean wins = bestAt < 0 | v > best | v != v;
                bestAt = wins ? at : bestAt;
                best = Math.max(best, v); // NaN stays; the value itself is read back at bestAt
            }
        }
        return bestAt;
    }

    private static int argMaxGeneric(Storage src, int base, ConvGeometry g, int y, int xx) {
        double best = Double.NaN;
        int bestAt = -1;
        for (int ki = 0; ki < g.kh(); ki++) {
            int iy = y * g.sh() - g.ph() + ki * g.dh();
            if (iy < 0 || iy >= g.inH()) {
                continue;
            }
            for (int kj = 0; kj < g.kw(); kj++) {
                int ix = xx * g.sw() - g.pw() + kj * g.dw();
                if (ix < 0 || ix >= g.inW()) {
                    continue;
                }
                int at = iy * g.inW() + ix;
                double v = src.getDouble(base + at);
                if (bestAt < 0 || v > best || v != v) {
                    best = v;
                    bestAt = at;
                }
            }
        }
        return bestAt;
    }

    /**
     * Where each element of a row (channel, ki, kj) sits relative to its window's top-left corner in channel 0, for
     * windows without dilation: one flat loop per row instead of three nested short ones.
     */
    private static int[] windowOffsets(int channels, ConvGeometry g) {
        int[] offsets = new int[channels * g.kh() * g.kw()];
        int q = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    offsets[q++] = ch * g.inH() * g.inW() + ki * g.inW() + kj;
                }
            }
        }
        return offsets;
    }

    /** 2 x 2 windows at stride 2 inside the image: each input element in at most one window, at a fixed place. */
    private static boolean tiledPairs(ConvGeometry g) {
        return g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && windowsInside(g);
    }

    /** No padding, no dilation, and (ceil mode aside) the last window ends inside the image. */
    private static boolean windowsInside(ConvGeometry g) {
        return g.ph() == 0 && g.pw() == 0 && g.dh() == 1 && g.dw() == 1
                && (g.outH() - 1) * g.sh() + g.kh() <= g.inH() && (g.outW() - 1) * g.sw() + g.kw() <= g.inW();
    }

    static Parallel.Loop parallel(int tasks, long workPerTask) {
        return Parallel.when(tasks > 1 && tasks * workPerTask >= (1 << 15), tasks);
    }
}
