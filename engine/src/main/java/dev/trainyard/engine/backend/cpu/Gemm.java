package dev.trainyard.engine.backend.cpu;

import java.util.stream.IntStream;

/**
 * float32 matrix products. Rows of the output are split across cores; each row is accumulated as a sum of scaled
 * rows of B, a loop the JIT vectorises. Accumulation is in float, as BLAS does.
 */
final class Gemm {
    private static final int PARALLEL_THRESHOLD = 1 << 16;

    private Gemm() {
    }

    static void sgemm(int batch, int m, int n, int k, float[] a, float[] b, float[] c) {
        long work = (long) batch * m * n * k;
        IntStream rows = IntStream.range(0, batch * m);
        if (work >= PARALLEL_THRESHOLD) {
            rows = rows.parallel();
        }
        rows.forEach(r -> {
            int p = r / m;
            int aRow = r * k;
            int bBase = p * k * n;
            int cRow = r * n;
            for (int q = 0; q < k; q++) {
                float s = a[aRow + q];
                int bRow = bBase + q * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += s * b[bRow + j];
                }
            }
        });
    }
}
