package dev.trainyard.engine.optim;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/** Element access to a contiguous float32 or float64 tensor, for the optimizers' update loops. */
final class Buf {
    private final float[] f;
    private final double[] d;
    private final int off;

    private Buf(float[] f, double[] d, int off) {
        this.f = f;
        this.d = d;
        this.off = off;
    }

    /** Optimizer state buffers (nulls skipped) must be contiguous float tensors, as the update kernels require. */
    static void checkStateBuffers(Tensor... buffers) {
        for (Tensor t : buffers) {
            if (t != null) {
                of(t);
            }
        }
    }

    static Buf of(Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("internal: optimizer buffer must be contiguous, got strides " + Arrays.toString(t.stride()));
        }
        if (t.dtype() == DType.FLOAT32) {
            return new Buf(t.storage().floats(), null, t.storageOffset());
        }
        if (t.dtype() == DType.FLOAT64) {
            return new Buf(null, t.storage().doubles(), t.storageOffset());
        }
        throw new IllegalArgumentException("optimizers update float32 or float64 tensors, got " + t.dtype());
    }

    double get(int i) {
        return f != null ? f[off + i] : d[off + i];
    }

    /** Stores {@code v}, which must already be rounded to the buffer's precision (see {@link Arith}). */
    void set(int i, double v) {
        if (f != null) {
            f[off + i] = (float) v;
        } else {
            d[off + i] = v;
        }
    }
}
