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
    private static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);
    /** Lane indices for {@code selectFrom(v1, v2)}: the even and the odd lanes of v1 then v2 (pairs split). */
    private static final FloatVector EVEN_LANES = FloatVector.zero(FLOATS).addIndex(2);
    private static final FloatVector ODD_LANES = EVEN_LANES.add(1f);
    /** 0, 2, 4, ...: where consecutive 2 x 2 windows of a row start, from the first one's corner. */
    private static final IntVector EVEN_COLUMNS = IntVector.zero(INTS).addIndex(2);

    private FloatVectorKernels() {
    }

    /**
     * The sign of {@code a[off + i]} into {@code o[i]} for whole vectors of {@code [from, to)}, by blends (relu's
     * backward: a branch on a random sign mispredicts half the time); signed zeros stay, NaN goes to 0. Returns where
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
     * relu of {@code a[off + i]} into {@code o[i]} for whole vectors of {@code [from, to)}, as {@code Math.max(x, 0f)}:
     * a blend to +0 where x <= 0 (-0 included; NaN compares false and stays). The scalar loop C2 made of Math.max took
     * about a ninth of a CNN step. Returns where the caller's scalar loop takes over.
     */
    static int relu(float[] a, int off, float[] o, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, a, off + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, i);
        }
        return i;
    }

    /**
     * {@link #relu} of whole 32-element words of {@code [from, to)} ({@code from} a multiple of 32), and into
     * {@code bits[i / 32]} bit {@code i % 32} where {@code a[off + i] > 0}; returns where the caller's loop takes over.
     */
    static int reluWithMask(float[] a, int off, float[] o, int[] bits, int from, int to) {
        int i = from;
        for (; i + 32 <= to; i += 32) {
            int word = 0;
            for (int k = 0; k < 32; k += LANES) {
                FloatVector v = FloatVector.fromArray(FLOATS, a, off + i + k);
                v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, i + k);
                word |= (int) v.compare(VectorOperators.GT, 0f).toLong() << k;
            }
            bits[i >>> 5] = word;
        }
        return i;
    }

    /**
     * {@code g[off + i]} times 1 where bit i of {@code bits} is set, else times +0 (relu's backward: the sign of its
     * output, as {@link #mulBySign} multiplies), into {@code o[i]} for whole vectors of {@code [from, to)}, {@code from}
     * a multiple of 32; returns where the scalar loop takes over.
     */
    static int mulByMask(float[] g, int off, int[] bits, float[] o, int from, int to) {
        int i = from;
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += LANES) {
            VectorMask<Float> positive = VectorMask.fromLong(FLOATS, bits[i >>> 5] >>> (i & 31));
            FloatVector.fromArray(FLOATS, g, off + i).mul(zero.blend(1f, positive)).intoArray(o, i);
        }
        return i;
    }

    /**
     * {@code a[aOff + i] * sign(b[bOff + i])} into {@code o[i]} for whole vectors of {@code [from, to)}, the sign by the
     * blends of {@link #sign}, so the products are those of the sign tensor's; returns where the scalar loop takes over.
     */
    static int mulBySign(float[] a, int aOff, float[] b, int bOff, float[] o, int from, int to) {
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, b, bOff + i);
            FloatVector sign = v.blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f))
                    .blend(0f, v.test(VectorOperators.IS_NAN));
            FloatVector.fromArray(FLOATS, a, aOff + i).mul(sign).intoArray(o, i);
        }
        return i;
    }

    /**
     * Max pooling when every window lies inside the image, {@link #LANES} outputs of a plane at a time: the k-th
     * element of each output's window is gathered into one vector, and a blend keeps the first maximum (NaN beats
     * any number), with no data-dependent branches.
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
                    VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                            .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
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
     * Max pooling with 2 x 2 windows at stride 2 inside the image, a vector of outputs of one output row at a time:
     * the row's two input rows are read as whole vectors and split into their even and odd columns, so each window's
     * four elements sit in the same lane of four vectors (no gathers). The left element is kept unless the right one
     * beats it (greater, or NaN against a number), then the top pair's winner unless the bottom's beats it: the first
     * maximum in window order, as one blend after another over the window would keep. {@code positions} get the
     * winners' offsets within their planes. Loads and stores are whole vectors: lanes past a row's end read the next
     * rows and write outputs that a later vector of the same task writes again (each task runs whole planes in
     * order); where a vector would reach past the task's outputs or the input, the windows take the scalar loop.
     */
    static void maxPool2x2(float[] src, int inOff, int planes, ConvGeometry g, float[] out, int[] positions) {
        int w = g.inW();
        int oh = g.outH();
        int ow = g.outW();
        int plane = g.inH() * w;
        int outPlane = oh * ow;
        int block = Math.max(1, POOL_TASK_OUTPUTS / outPlane);
        int tasks = (planes + block - 1) / block;
        CpuConvKernels.parallel(tasks, (long) block * outPlane * 4).forEach(task -> {
            int p1 = Math.min(planes, (task + 1) * block);
            int end = p1 * outPlane;
            for (int p = task * block; p < p1; p++) {
                int base = inOff + p * plane;
                for (int y = 0, o = p * outPlane; y < oh; y++, o += ow) {
                    for (int x = 0; x < ow; x += LANES) {
                        int corner = 2 * y * w + 2 * x;
                        if (o + x + LANES <= end && base + corner + w + 2 * LANES <= src.length) {
                            maxPool2x2Vector(src, base, corner, w, out, positions, o + x);
                        } else {
                            CpuConvKernels.maxPool2x2Windows(src, base, corner, w, Math.min(LANES, ow - x), out, positions, o + x);
                        }
                    }
                }
            }
        });
    }

    /**
     * LANES windows of one output row, the first at {@code corner} in the plane at {@code base}, into outputs from
     * {@code o}.
     */
    private static void maxPool2x2Vector(float[] src, int base, int corner, int w, float[] out, int[] positions, int o) {
        int t = base + corner;
        FloatVector t0 = FloatVector.fromArray(FLOATS, src, t);
        FloatVector t1 = FloatVector.fromArray(FLOATS, src, t + LANES);
        FloatVector left = EVEN_LANES.selectFrom(t0, t1);
        FloatVector right = ODD_LANES.selectFrom(t0, t1);
        VectorMask<Float> topRight = beats(right, left);
        FloatVector top = left.blend(right, topRight);
        FloatVector b0 = FloatVector.fromArray(FLOATS, src, t + w);
        FloatVector b1 = FloatVector.fromArray(FLOATS, src, t + w + LANES);
        left = EVEN_LANES.selectFrom(b0, b1);
        right = ODD_LANES.selectFrom(b0, b1);
        VectorMask<Float> bottomRight = beats(right, left);
        FloatVector bottom = left.blend(right, bottomRight);
        VectorMask<Float> down = beats(bottom, top);
        top.blend(bottom, down).intoArray(out, o);
        // the winner's offset from its window's corner: w if in the bottom row, plus 1 if right, via mask bits
        long downBits = down.toLong();
        long rightBits = downBits & bottomRight.toLong() | ~downBits & topRight.toLong();
        EVEN_COLUMNS.add(corner).add(w, VectorMask.fromLong(INTS, downBits)).add(1, VectorMask.fromLong(INTS, rightBits))
                .intoArray(positions, o);
    }

    /** Where {@code v} replaces {@code best} as the maximum: greater, or NaN against a number. */
    private static VectorMask<Float> beats(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
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
