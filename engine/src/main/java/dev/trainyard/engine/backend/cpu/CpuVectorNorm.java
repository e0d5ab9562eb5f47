package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

/** A tensor's p-norm in one pass over its elements, in double ({@link dev.trainyard.engine.backend.Kernels#vectorNorm}). */
final class CpuVectorNorm {
    private CpuVectorNorm() {
    }

    static double norm(Tensor x, double p) {
        if (x.dtype() == DType.FLOAT32 && x.isContiguous()) {
            return norm(x.storage().floats(), x.storageOffset(), x.numel(), p);
        }
        double[] v = Elements.doubles(x);
        return norm(v, p);
    }

    private static double norm(float[] f, int off, int n, double p) {
        if (p == 2) {
            double sum = 0;
            for (int i = off, end = off + n; i < end; i++) {
                double v = f[i];
                sum += v * v;
            }
            return Math.sqrt(sum);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f[off + i];
        }
        return norm(v, p);
    }

    private static double norm(double[] values, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double v : values) {
                double a = Math.abs(v);
                if (a > m || Double.isNaN(a)) {
                    m = a;
                }
            }
            return m;
        }
        if (p == 0) {
            double count = 0;
            for (double v : values) {
                if (v != 0) {
                    count++;
                }
            }
            return count;
        }
        double sum = 0;
        for (double v : values) {
            sum += p == 2 ? v * v : p == 1 ? Math.abs(v) : Math.pow(Math.abs(v), p);
        }
        return p == 1 ? sum : p == 2 ? Math.sqrt(sum) : Math.pow(sum, 1 / p);
    }
}
