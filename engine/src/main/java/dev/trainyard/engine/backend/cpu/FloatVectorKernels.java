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
}
