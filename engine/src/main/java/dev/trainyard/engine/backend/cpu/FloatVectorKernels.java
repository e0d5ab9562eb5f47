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
    // and a scalar loop of 11 never reached its vectorised body; masked loads and stores were no better (their
    // lane-by-lane range check ran in plain Java: 14% of conv2's samples), so a run's last partial vector is written
    // whole, where the caller says the floats past the run are its own ({@code limit}). ----

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
     * {@code dst[to + i] += src[from + i]} for {@code i < len}, one addition per element; the floats of {@code dst}
     * past the run, up to {@code limit}, are read and written back unchanged (no other thread may write them).
     */
    static void addRun(float[] src, int from, float[] dst, int to, int len, int limit) {
        int i = 0;
        for (; i <= len - LANES; i += LANES) {
            FloatVector.fromArray(FLOATS, dst, to + i).add(FloatVector.fromArray(FLOATS, src, from + i)).intoArray(dst, to + i);
        }
        if (i == len) {
            return;
        }
        if (to + i + LANES <= limit && from + i + LANES <= src.length) {
            VectorMask<Float> run = VectorMask.fromLong(FLOATS, (1L << (len - i)) - 1);
            FloatVector d = FloatVector.fromArray(FLOATS, dst, to + i);
            d.blend(d.add(FloatVector.fromArray(FLOATS, src, from + i)), run).intoArray(dst, to + i);
            return;
        }
        for (; i < len; i++) {
            dst[to + i] += src[from + i];
        }
    }
}
