package dev.trainyard.engine.backend.cpu;

import java.util.Arrays;

/**
 * float32 matrix product {@code C = A B} in plain Java, for JVMs without the Vector API ({@link VectorApi}) and for
 * products too small for {@link Gemm}'s packing to pay: each row of C is accumulated from contiguous rows of B, a loop
 * the JIT can vectorise itself; rows run on all cores when the product is large.
 */
final class ScalarGemm {
    private static final long PARALLEL_WORK = 1L << 18;

    private ScalarGemm() {
    }

    static void sgemm(int m, int n, int k, Gemm.Matrix a, Gemm.Matrix b, float[] c, int cOff) {
        Gemm.Matrix rowsOfB = b.cs() == 1 ? b : contiguous(b, k, n);
        Parallel.Loop rows = Parallel.when((long) m * n * k >= PARALLEL_WORK && m > 1, m);
        float[] bd = rowsOfB.data();
        rows.forEach(i -> {
            int row = cOff + i * n;
            Arrays.fill(c, row, row + n, 0f);
            for (int p = 0; p < k; p++) {
                float s = a.get(i, p);
                int bi = rowsOfB.off() + p * rowsOfB.rs();
                for (int j = 0; j < n; j++) {
                    c[row + j] += s * bd[bi + j];
                }
            }
        });
    }

    /** B copied row by row into a dense [k, n] array. */
    private static Gemm.Matrix contiguous(Gemm.Matrix b, int k, int n) {
        float[] out = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                out[p * n + j] = b.get(p, j);
            }
        }
        return new Gemm.Matrix(out, 0, n, 1);
    }
}
