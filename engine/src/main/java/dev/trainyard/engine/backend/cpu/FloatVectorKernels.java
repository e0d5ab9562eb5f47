package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.backend.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 loops of {@link CpuKernels} and {@link CpuConvKernels} written with the Vector API; the callers use them
 * only when {@link VectorApi} is enabled and have a plain Java loop for the rest (this class is then never loaded).
 */
final class FloatVectorKernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    /** A bit per lane: where {@code ~mask.toLong()} keeps the lanes (a scalar NOT, not a mask one). */
    private static final long LANE_BITS = (1L << LANES) - 1;
    private static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);

    private FloatVectorKernels() {
    }

    /**
     * The sign of {@code a[off + i]} into {@code o[i]} for whole vectors of {@code [from, to)}, by blends (a branch on
     * a random sign mispredicts half the time); signed zeros stay, NaN goes to 0. Returns where
     * the caller's scalar loop takes over.
     */
    static int sign(float[] a, int off, float[] o, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, a, off + i);
            v.blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f))
                    .blend(0f, v.test(VectorOperators.IS_NAN)).intoArray(o, i);
        }
        return i;
    }

    /**
     * relu of {@code a[off + i]} into {@code o[i]} for whole vectors of {@code [from, to)}, as PyTorch's
     * ({@link CpuKernels#relu(float)}): a blend to +0 where x < 0; -0 and NaN compare false and stay, bit for bit. The
     * scalar loop C2 made of Math.max took about a ninth of a CNN step. Returns where the caller's scalar loop takes over.
     */
    static int relu(float[] a, int off, float[] o, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, a, off + i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(o, i);
        }
        return i;
    }

    /**
     * The first index of {@code [from, to)} whose whole vector holds a -0.0 at {@code a[off + i]}, or where the
     * caller's scalar loop takes over when none does (that loop finds the -0.0 or the end).
     */
    static int firstNegativeZero(float[] a, int off, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += LANES) {
            if (FloatVector.fromArray(FLOATS, a, off + i).reinterpretAsInts().eq(Integer.MIN_VALUE).anyTrue()) {
                return i;
            }
        }
        return i;
    }

    /**
     * {@link #relu} of whole 32-element words of {@code [from, to)} ({@code from} a multiple of 32), and into
     * {@code bits[i / 32]} bit {@code i % 32} where {@code a[off + i]} is not {@code <= 0} (positive or NaN); returns
     * where the caller's loop takes over.
     */
    static int reluWithMask(float[] a, int off, float[] o, int[] bits, int from, int to) {
        int i = from;
        for (; i + 32 <= to; i += 32) {
            int word = 0;
            for (int k = 0; k < 32; k += LANES) {
                FloatVector v = FloatVector.fromArray(FLOATS, a, off + i + k);
                v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(o, i + k);
                word |= (int) (~v.compare(VectorOperators.LE, 0f).toLong() & LANE_BITS) << k;
            }
            bits[i >>> 5] = word;
        }
        return i;
    }

    /**
     * relu's backward from its bit mask: {@code g[off + i]} where bit i of {@code bits} is set, else +0, into
     * {@code o[i]} for whole vectors of {@code [from, to)}, {@code from} a multiple of 32; returns where the scalar
     * loop takes over.
     */
    static int selectByMask(float[] g, int off, int[] bits, float[] o, int from, int to) {
        int i = from;
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += LANES) {
            VectorMask<Float> keep = VectorMask.fromLong(FLOATS, bits[i >>> 5] >>> (i & 31));
            zero.blend(FloatVector.fromArray(FLOATS, g, off + i), keep).intoArray(o, i);
        }
        return i;
    }

    /**
     * relu's backward from its output: {@code y[yOff + i] <= 0 ? +0 : g[gOff + i]} into {@code o[i]} for whole vectors
     * of {@code [from, to)}; returns where the scalar loop takes over.
     */
    static int selectWherePositive(float[] g, int gOff, float[] y, int yOff, float[] o, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += LANES) {
            VectorMask<Float> notPositive = FloatVector.fromArray(FLOATS, y, yOff + i).compare(VectorOperators.LE, 0f);
            FloatVector.fromArray(FLOATS, g, gOff + i).blend(0f, notPositive).intoArray(o, i);
        }
        return i;
    }

    /**
     * Max pooling when every window lies inside the image, {@link #LANES} outputs of a plane at a time: the k-th
     * element of each output's window is gathered into one vector, and a blend keeps PyTorch's maximum (the first
     * maximum, or the last NaN: see {@link #beats}), with no data-dependent branches.
     */
    static void maxPool(float[] src, int inOff, int planes, ConvGeometry g, float[] out, int[] positions) {
        int ow = g.outW();
        int outPlane = g.outH() * ow;
        int plane = g.inH() * g.inW();
        // window starts in the plane, padded to whole vectors with 0 (a valid address; those lanes are never stored)
        int[] start = new int[(outPlane + LANES - 1) / LANES * LANES];
        for (int o = 0; o < outPlane; o++) {
            start[o] = (o / ow) * g.sh() * g.inW() + (o % ow) * g.sw();
        }
        int kk = g.kh() * g.kw();
        int[] kOff = new int[kk];
        for (int k = 0; k < kk; k++) {
            kOff[k] = (k / g.kw()) * g.inW() + k % g.kw();
        }
        CpuConvKernels.parallel(planes, (long) outPlane * kk).forEach(p -> {
            int base = inOff + p * plane;
            float[] tail = new float[LANES];
            int[] tailAt = new int[LANES];
            for (int o0 = 0; o0 < outPlane; o0 += LANES) {
                FloatVector best = FloatVector.fromArray(FLOATS, src, base, start, o0);
                // the winner's offset from its window's corner (small integers, exact as floats)
                FloatVector bestOff = FloatVector.zero(FLOATS);
                for (int k = 1; k < kk; k++) {
                    FloatVector v = FloatVector.fromArray(FLOATS, src, base + kOff[k], start, o0);
                    VectorMask<Float> wins = beats(v, best);
                    best = best.blend(v, wins);
                    bestOff = bestOff.blend(kOff[k], wins);
                }
                IntVector at = IntVector.fromArray(INTS, start, o0).add((IntVector) bestOff.convert(VectorOperators.F2I, 0));
                int lanes = Math.min(LANES, outPlane - o0);
                int o = p * outPlane + o0;
                if (lanes == LANES) {
                    best.intoArray(out, o);
                    at.intoArray(positions, o);
                } else {
                    best.intoArray(tail, 0);
                    System.arraycopy(tail, 0, out, o, lanes);
                    at.intoArray(tailAt, 0);
                    System.arraycopy(tailAt, 0, positions, o, lanes);
                }
            }
        });
    }

    /** Outputs per task of {@link #maxPool2x2}: whole planes, in order, so that a vector's spill lands in its own task. */
    private static final int POOL_TASK_OUTPUTS = 1 << 13;

    /**
     * Max pooling with 2 x 2 windows at stride 2 inside the image, a vector of outputs at a time: one output row's
     * two input rows are read as whole vectors and split into their windows' left and right columns, so each window's
     * four elements sit in the same lane of four vectors (no gathers). Where two output rows fit in a vector and their
     * top input rows in two (the cnn's 11 x 11 planes: 2 x 5 outputs, not 5 of 16 lanes), the split takes both rows
     * at once. The left element is kept unless the right one beats it ({@link #beats}), then the top pair's winner
     * unless the bottom's beats it: what a scan of the window in order keeps (a NaN in the bottom pair makes the
     * bottom winner its last NaN, which beats the top's; a NaN only in the top pair makes the top winner its last NaN,
     * which no number beats). {@code positions} get the winners' offsets within their planes. Loads and stores are
     * whole vectors: lanes past a row's end read the next rows and write outputs that a later vector of the same task
     * writes again (each task runs whole planes in order); where a vector would reach past the task's outputs or the
     * input, the windows take the scalar loop.
     */
    static void maxPool2x2(float[] src, int inOff, int planes, ConvGeometry g, float[] out, int[] positions) {
        int w = g.inW();
        int oh = g.outH();
        int ow = g.outW();
        int plane = g.inH() * w;
        int outPlane = oh * ow;
        PoolLanes lanes = PoolLanes.of(w, ow);
        int rows = lanes.rows();
        int block = Math.max(1, POOL_TASK_OUTPUTS / outPlane);
        int tasks = (planes + block - 1) / block;
        CpuConvKernels.parallel(tasks, (long) block * outPlane * 4).forEach(task -> {
            int p1 = Math.min(planes, (task + 1) * block);
            int end = p1 * outPlane;
            for (int p = task * block; p < p1; p++) {
                int base = inOff + p * plane;
                for (int y = 0, o = p * outPlane; y < oh; y += rows, o += rows * ow) {
                    for (int x = 0; x < ow; x += LANES) {
                        int corner = 2 * y * w + 2 * x;
                        if (o + x + LANES <= end && base + corner + w + 2 * LANES <= src.length) {
                            maxPool2x2Vector(src, base, corner, w, lanes, out, positions, o + x);
                        } else {
                            for (int r = 0; r < rows && y + r < oh; r++) {
                                CpuConvKernels.maxPool2x2Windows(src, base, corner + 2 * r * w, w, Math.min(LANES, ow - x),
                                        out, positions, o + r * ow + x);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Which output windows the lanes of {@link #maxPool2x2}'s vectors take, from the first window's top-left corner:
     * {@code left} and {@code right} index the two vectors read from the corner ({@code selectFrom}, as floats),
     * {@code corners} is each lane's window corner in the plane relative to the first one; {@code rows} output rows.
     */
    record PoolLanes(int rows, float[] left, float[] right, int[] corners) {
        private static final PoolLanes ONE_ROW = rowsOf(1, 0, LANES);

        static PoolLanes of(int w, int ow) {
            return 2 * ow <= LANES && w + ow <= LANES ? rowsOf(2, w, ow) : ONE_ROW;
        }

        /** Lane i in output row i / ow (of {@code rows}), column i % ow; lanes past the rows take the first window. */
        private static PoolLanes rowsOf(int rows, int w, int ow) {
            float[] left = new float[LANES];
            float[] right = new float[LANES];
            int[] corners = new int[LANES];
            for (int i = 0; i < Math.min(LANES, rows * ow); i++) {
                corners[i] = i / ow * 2 * w + i % ow * 2;
                left[i] = corners[i];
                right[i] = corners[i] + 1;
            }
            return new PoolLanes(rows, left, right, corners);
        }
    }

    /**
     * The LANES windows of {@code lanes}, the first at {@code corner} in the plane at {@code base}, into outputs from
     * {@code o}.
     */
    private static void maxPool2x2Vector(float[] src, int base, int corner, int w, PoolLanes lanes, float[] out,
                                         int[] positions, int o) {
        FloatVector leftLanes = FloatVector.fromArray(FLOATS, lanes.left(), 0);
        FloatVector rightLanes = FloatVector.fromArray(FLOATS, lanes.right(), 0);
        int t = base + corner;
        FloatVector t0 = FloatVector.fromArray(FLOATS, src, t);
        FloatVector t1 = FloatVector.fromArray(FLOATS, src, t + LANES);
        FloatVector left = leftLanes.selectFrom(t0, t1);
        FloatVector right = rightLanes.selectFrom(t0, t1);
        VectorMask<Float> topRight = beats(right, left);
        FloatVector top = left.blend(right, topRight);
        FloatVector b0 = FloatVector.fromArray(FLOATS, src, t + w);
        FloatVector b1 = FloatVector.fromArray(FLOATS, src, t + w + LANES);
        left = leftLanes.selectFrom(b0, b1);
        right = rightLanes.selectFrom(b0, b1);
        VectorMask<Float> bottomRight = beats(right, left);
        FloatVector bottom = left.blend(right, bottomRight);
        VectorMask<Float> down = beats(bottom, top);
        top.blend(bottom, down).intoArray(out, o);
        // the winner's offset in the plane: its window's corner, plus w if in the bottom row, plus 1 if right. Float and
        // int masks of the same lane count hold the same bits (no round trip through a long)
        IntVector corners = IntVector.fromArray(INTS, lanes.corners(), 0).add(corner);
        IntVector topAt = corners.add(1, topRight.cast(INTS));
        IntVector bottomAt = corners.add(w).add(1, bottomRight.cast(INTS));
        topAt.blend(bottomAt, down.cast(INTS)).intoArray(positions, o);
    }

    /**
     * Where {@code v}, later in window order, replaces {@code best} as the maximum: greater, or NaN, as PyTorch's CPU
     * max-pool scans a window ({@code val > maxval || isnan(val)}): the first maximum, or the last NaN. Two compares
     * ({@code v != v} for the NaN test: through the Vector API {@code IS_NAN} is an integer AND and compare).
     */
    private static VectorMask<Float> beats(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
    }

    // ---- the conv's column layout (CpuColumnConv): short runs of positions (an output row: 11 floats for the cnn's
    // second conv, 26 for its first) moved by whole vectors. As an arraycopy per run, the call cost more than the copy,
    // and a scalar loop of 11 never reached its vectorised body; masked loads and stores per run were no better (their
    // lane-by-lane range check ran in plain Java: 14% of conv2's samples; a masked access within the array takes no
    // check, one that passes an end does), so a run's last partial vector is written whole, where the caller says the
    // floats past the run are its own ({@code limit}). im2col and col2im take whole vectors instead where the geometry
    // allows (im2colBlocks, col2imRows). ----

    /**
     * {@code dst[to + i] = src[from + i]} for {@code i < len}; {@code dst} from {@code to + len} up to {@code limit} may
     * be overwritten with anything (the caller writes it later).
     */
    static void copyRun(float[] src, int from, float[] dst, int to, int len, int limit) {
        int i = 0;
        for (; i <= len - LANES; i += LANES) {
            FloatVector.fromArray(FLOATS, src, from + i).intoArray(dst, to + i);
        }
        if (i == len) {
            return;
        }
        if (to + i + LANES <= limit && from + i + LANES <= src.length) {
            FloatVector.fromArray(FLOATS, src, from + i).intoArray(dst, to + i);
            return;
        }
        for (; i < len; i++) {
            dst[to + i] = src[from + i];
        }
    }

    /**
     * {@link CpuColumnConv#col2im} when the columns' stride is 1 (any row stride, padding, dilation): a vector of an
     * input row is summed in a register and written once, where the per-(ki, kj) passes each read and wrote every row
     * back (nine passes over the image for 3 x 3). An element's terms are added as fold adds them, in output-position
     * order (ki, then kj, downwards), to a sum that starts at +0; a lane with no term at some (ki, kj) adds the +0 of a
     * masked load instead, which leaves the sum as it is (a sum that starts at +0 is never -0, and {@code s + 0 = s}
     * for every other s), so each element gets the bits of the zero fill and its additions. A row's last vector is
     * stored masked to the row (within the image: no write to another task's image, whatever the order of the rows).
     * 3 x 3 kernels at row stride 1 (the cnn's) take {@link #col2im3x3}, its loops unrolled and masks in registers:
     * 3.7 us an image of the cnn's second conv where this loop took 7.7 and the passes 11.
     */
    static void col2imRows(float[] dcols, int channels, ConvGeometry g, float[] out, int base) {
        if (g.kh() == 3 && g.kw() == 3 && g.sh() == 1) {
            col2im3x3(dcols, channels, g, out, base);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int l = oh * ow;
        int inH = g.inH();
        int inW = g.inW();
        int kh = g.kh();
        int kw = g.kw();
        int sh = g.sh();
        int plane = inH * inW;
        long[] lanes = new long[kw];
        for (int ch = 0; ch < channels; ch++) {
            for (int x = 0; x < inW; x += LANES) {
                // the lanes that get a term from kernel column kj: 0 <= x + i + pw - kj * dw < ow, x + i < inW
                for (int kj = 0; kj < kw; kj++) {
                    lanes[kj] = laneBits(kj * g.dw() - g.pw() - x, Math.min(inW, ow + kj * g.dw() - g.pw()) - x);
                }
                VectorMask<Float> row = VectorMask.fromLong(FLOATS, laneBits(0, inW - x));
                for (int iy = 0; iy < inH; iy++) {
                    FloatVector sum = FloatVector.zero(FLOATS);
                    for (int ki = kh - 1; ki >= 0; ki--) {
                        int t = iy + g.ph() - ki * g.dh();
                        if (t < 0 || t % sh != 0 || t / sh >= oh) {
                            continue;
                        }
                        // row (ch, ki, kj) of dcols at output row t / sh, column x + pw - kj * dw
                        int s = (ch * kh + ki) * kw * l + t / sh * ow + x + g.pw();
                        for (int kj = kw - 1; kj >= 0; kj--) {
                            sum = sum.add(FloatVector.fromArray(FLOATS, dcols, s + kj * (l - g.dw()),
                                    VectorMask.fromLong(FLOATS, lanes[kj])));
                        }
                    }
                    sum.intoArray(out, base + ch * plane + iy * inW + x, row);
                }
            }
        }
    }

    /**
     * Floats a columns gradient should have after its last row for {@link #col2imRows}: a masked load whose vector
     * reaches past the array's end (the last row's last vector) is not the intrinsic but the Vector API's lane-by-lane
     * range check in plain Java, ~1 µs each; one per image of the cnn's second conv was a fifth of its col2im on Zen 4
     * (4.97 against 3.94 µs an image).
     */
    static final int COL2IM_SLACK = LANES;

    /** {@link #col2imRows} of a 3 x 3 kernel at row stride 1. */
    private static void col2im3x3(float[] dcols, int channels, ConvGeometry g, float[] out, int base) {
        int oh = g.outH();
        int ow = g.outW();
        int l = oh * ow;
        int inH = g.inH();
        int inW = g.inW();
        int plane = inH * inW;
        int ph = g.ph();
        int pw = g.pw();
        int dh = g.dh();
        int dw = g.dw();
        for (int ch = 0; ch < channels; ch++) {
            for (int x = 0; x < inW; x += LANES) {
                VectorMask<Float> m0 = VectorMask.fromLong(FLOATS, laneBits(-pw - x, Math.min(inW, ow - pw) - x));
                VectorMask<Float> m1 = VectorMask.fromLong(FLOATS, laneBits(dw - pw - x, Math.min(inW, ow + dw - pw) - x));
                VectorMask<Float> m2 = VectorMask.fromLong(FLOATS,
                        laneBits(2 * dw - pw - x, Math.min(inW, ow + 2 * dw - pw) - x));
                VectorMask<Float> row = VectorMask.fromLong(FLOATS, laneBits(0, inW - x));
                for (int iy = 0; iy < inH; iy++) {
                    FloatVector sum = FloatVector.zero(FLOATS);
                    for (int ki = 2; ki >= 0; ki--) {
                        int oy = iy + ph - ki * dh;
                        if (oy < 0 || oy >= oh) {
                            continue;
                        }
                        int s = (ch * 3 + ki) * 3 * l + oy * ow + x + pw;
                        sum = sum.add(FloatVector.fromArray(FLOATS, dcols, s + 2 * (l - dw), m2));
                        sum = sum.add(FloatVector.fromArray(FLOATS, dcols, s + l - dw, m1));
                        sum = sum.add(FloatVector.fromArray(FLOATS, dcols, s, m0));
                    }
                    sum.intoArray(out, base + ch * plane + iy * inW + x, row);
                }
            }
        }
    }

    /** Bits {@code from .. to - 1} of a lane mask, clamped to the lanes (none where {@code to <= from}). */
    private static long laneBits(int from, int to) {
        int lo = Math.max(0, from);
        int hi = Math.min(LANES, to);
        return hi <= lo ? 0 : ((1L << hi) - 1) & ~((1L << lo) - 1);
    }

    /**
     * {@link CpuColumnConv#im2col} without padding, at column stride 1: each row (ch, ki, kj) of the columns is the
     * image's window elements at (ki, kj) of every output position, {@code L} floats in a row, written a whole vector
     * at a time (the last one ending at the row's end, over part of the one before) where a run per output row (11
     * floats for the cnn's second conv) cost a call, branches and a partly used vector's store. A vector's positions
     * span two or three output rows, whose elements for every kj lie within two vectors of the input: those two are
     * loaded once per (ch, ki) and a two-vector permute ({@link ColumnBlocks}) picks each kj's row, on their bits as
     * ints: float indexes cost each vector an index add and a conversion with Java's saturation checks. With that and
     * 3-wide windows written without a loop over kj, the cnn's second conv's columns took 0.30-0.41 ms a batch against
     * 0.45-0.64 (512-bit vectors), 0.70-0.80 against 1.32-1.47 (256-bit; one thread, a Zen 5; BENCHMARKS.md, session
     * 20). Returns false,
     * having written nothing, where the geometry does not fit (padding, a column stride, fewer than a vector of
     * positions, or a vector's elements further apart than two vectors) or the input's array holds fewer than two
     * vectors.
     */
    static boolean im2colBlocks(float[] src, int base, int channels, ConvGeometry g, float[] cols, int col0, int ld) {
        ColumnBlocks blocks = ColumnBlocks.of(g);
        // no load starts after lastLoad: at the input's end the two vectors come from there and the picks are shifted
        // by as much. A branch to pick lane by lane there, taken only at the batch's last image, was compiled by C2 as
        // never taken and sent this kernel back to its boxed vectors for ~0.7 s of the first step (BENCHMARKS.md,
        // session 26)
        int lastLoad = src.length - 2 * LANES;
        if (blocks == null || lastLoad < 0) {
            return false;
        }
        int inW = g.inW();
        int plane = g.inH() * inW;
        int kh = g.kh();
        int kw = g.kw();
        int[] starts = blocks.starts();
        int[] dsts = blocks.dsts();
        int[] picks = blocks.picks();
        int r = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int ki = 0; ki < kh; ki++, r += kw) {
                int from = base + ch * plane + ki * g.dh() * inW;
                int to = r * ld + col0;
                for (int b = 0; b < starts.length; b++) {
                    int a = from + starts[b];
                    int shift = Math.max(0, a - lastLoad);
                    int d = to + dsts[b];
                    int pick = b * kw * LANES;
                    IntVector v0 = FloatVector.fromArray(FLOATS, src, a - shift).reinterpretAsInts();
                    IntVector v1 = FloatVector.fromArray(FLOATS, src, a - shift + LANES).reinterpretAsInts();
                    if (kw == 3) {
                        // a loop of three turns inside the loop over b cost C2's loop set-up at every b
                        pickInto(picks, pick, shift, v0, v1, cols, d);
                        pickInto(picks, pick + LANES, shift, v0, v1, cols, d + ld);
                        pickInto(picks, pick + 2 * LANES, shift, v0, v1, cols, d + 2 * ld);
                        continue;
                    }
                    for (int kj = 0; kj < kw; kj++, d += ld, pick += LANES) {
                        pickInto(picks, pick, shift, v0, v1, cols, d);
                    }
                }
            }
        }
        return true;
    }

    /**
     * The lanes of {@code v0, v1} that {@code picks[pick..]} plus {@code shift} name, as floats into {@code cols[d..]}.
     */
    private static void pickInto(int[] picks, int pick, int shift, IntVector v0, IntVector v1, float[] cols, int d) {
        IntVector.fromArray(INTS, picks, pick).add(shift).selectFrom(v0, v1).reinterpretAsFloats().intoArray(cols, d);
    }

    /**
     * {@link #im2colBlocks}' vectors of an output row of {@code L} positions: vector b is written at position
     * {@code dsts[b]} (b * LANES, the last one at L - LANES), and for window column kj its lane i holds the input
     * element at {@code starts[b] + picks[(b * kw + kj) * LANES + i]} from the window's (ki, 0) element of output
     * position 0 (each pick below 2 * LANES: an index into the two vectors loaded from {@code starts[b]}).
     */
    record ColumnBlocks(ConvGeometry geometry, int[] starts, int[] dsts, int[] picks) {
        /** The geometries seen last (a training step alternates its convolutions'), replaced in turn. */
        private static final ColumnBlocks[] SEEN = new ColumnBlocks[4];
        private static int next;

        /** The blocks of a geometry, or null where they do not apply. */
        static ColumnBlocks of(ConvGeometry g) {
            for (ColumnBlocks b : SEEN) {
                if (b != null && b.geometry.equals(g)) {
                    return b.starts == null ? null : b;
                }
            }
            ColumnBlocks b = build(g);
            synchronized (SEEN) {
                SEEN[next] = b;
                next = (next + 1) % SEEN.length;
            }
            return b.starts == null ? null : b;
        }

        private static ColumnBlocks build(ConvGeometry g) {
            int outW = g.outW();
            int l = g.outH() * outW;
            int rowStride = g.sh() * g.inW();
            int reach = (g.kw() - 1) * g.dw();
            ColumnBlocks none = new ColumnBlocks(g, null, null, null);
            if (g.sw() != 1 || g.ph() != 0 || g.pw() != 0 || l < LANES) {
                return none;
            }
            int count = (l + LANES - 1) / LANES;
            int kw = g.kw();
            int[] starts = new int[count];
            int[] dsts = new int[count];
            int[] picks = new int[count * kw * LANES];
            for (int b = 0; b < count; b++) {
                int p = Math.min(b * LANES, l - LANES);
                dsts[b] = p;
                starts[b] = p / outW * rowStride + p % outW;
                for (int i = 0; i < LANES; i++) {
                    int at = (p + i) / outW * rowStride + (p + i) % outW - starts[b];
                    if (at + reach >= 2 * LANES) {
                        return none;
                    }
                    for (int kj = 0; kj < kw; kj++) {
                        picks[(b * kw + kj) * LANES + i] = at + kj * g.dw();
                    }
                }
            }
            return new ColumnBlocks(g, starts, dsts, picks);
        }
    }
}
