package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * float32 matrix product {@code C = A B} in the GotoBLAS style: B is packed into panels of {@link #NR} columns, A into
 * panels of {@link #MR} rows, and a register-blocked micro-kernel (MR rows x two vectors, FMA) accumulates each
 * MR x NR tile of C. Blocks of rows run on all cores. A and B may have any strides (transposed views are packed
 * directly, never copied first).
 */
final class Gemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int V = SPECIES.length();
    static final int MR = 6;
    static final int NR = 2 * V;
    private static final int KC = 256;
    private static final int MC = MR * 16;
    private static final int NC = NR * 64;
    private static final long SMALL = 32L * 32 * 32;

    private Gemm() {
    }

    /** A strided 2-D view of a float array: element (i, j) is at {@code off + i * rs + j * cs}. */
    record Matrix(float[] data, int off, int rs, int cs) {
        float get(int i, int j) {
            return data[off + i * rs + j * cs];
        }
    }

    static void sgemm(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff) {
        if ((long) m * n * k <= SMALL || V < 4) {
            ScalarGemm.sgemm(m, n, k, a, b, c, cOff);
            return;
        }
        int rowBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] packedB = packB(b, pc, kc, jc, nc);
                boolean first = pc == 0;
                IntStream blocks = IntStream.range(0, rowBlocks);
                if ((long) m * nc * kc >= (1L << 18) && rowBlocks > 1) {
                    blocks = blocks.parallel();
                }
                final int jcf = jc;
                final int pcf = pc;
                blocks.forEach(ib -> {
                    int ic = ib * MC;
                    int mc = Math.min(MC, m - ic);
                    float[] packedA = packA(a, ic, mc, pcf, kc);
                    macroKernel(packedA, packedB, mc, nc, kc, c, cOff + ic * n + jcf, n, first);
                });
            }
        }
    }

    /** B[pc:pc+kc, jc:jc+nc] as consecutive NR-wide column panels, zero-padded at the right edge. */
    private static float[] packB(Matrix b, int pc, int kc, int jc, int nc) {
        int panels = (nc + NR - 1) / NR;
        float[] out = new float[panels * kc * NR];
        float[] d = b.data();
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jc + jp * NR;
            int width = Math.min(NR, jc + nc - j0);
            int base = jp * kc * NR;
            for (int p = 0; p < kc; p++) {
                int src = b.off() + (pc + p) * b.rs() + j0 * b.cs();
                int dst = base + p * NR;
                if (b.cs() == 1) {
                    System.arraycopy(d, src, out, dst, width);
                } else {
                    for (int j = 0; j < width; j++) {
                        out[dst + j] = d[src + j * b.cs()];
                    }
                }
            }
        }
        return out;
    }

    /** A[ic:ic+mc, pc:pc+kc] as consecutive MR-tall row panels, stored column by column, zero-padded at the bottom. */
    private static float[] packA(Matrix a, int ic, int mc, int pc, int kc) {
        int panels = (mc + MR - 1) / MR;
        float[] out = new float[panels * kc * MR];
        float[] d = a.data();
        for (int ip = 0; ip < panels; ip++) {
            int i0 = ic + ip * MR;
            int height = Math.min(MR, ic + mc - i0);
            int base = ip * kc * MR;
            for (int r = 0; r < height; r++) {
                int src = a.off() + (i0 + r) * a.rs() + pc * a.cs();
                for (int p = 0; p < kc; p++) {
                    out[base + p * MR + r] = d[src + p * a.cs()];
                }
            }
        }
        return out;
    }

    private static void macroKernel(float[] packedA, float[] packedB, int mc, int nc, int kc, float[] c, int cBase, int ldc,
                                    boolean overwrite) {
        float[] tile = new float[MR * NR];
        for (int jp = 0; jp * NR < nc; jp++) {
            int cols = Math.min(NR, nc - jp * NR);
            for (int ip = 0; ip * MR < mc; ip++) {
                int rows = Math.min(MR, mc - ip * MR);
                int cTile = cBase + ip * MR * ldc + jp * NR;
                if (rows == MR && cols == NR) {
                    microKernel(packedA, ip * kc * MR, packedB, jp * kc * NR, kc, c, cTile, ldc, overwrite);
                } else {
                    java.util.Arrays.fill(tile, 0f);
                    microKernel(packedA, ip * kc * MR, packedB, jp * kc * NR, kc, tile, 0, NR, true);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < cols; j++) {
                            int idx = cTile + r * ldc + j;
                            c[idx] = overwrite ? tile[r * NR + j] : c[idx] + tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    private static void microKernel(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc,
                                    boolean overwrite) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p * MR;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        store(c00, c01, c, cOff, overwrite);
        store(c10, c11, c, cOff + ldc, overwrite);
        store(c20, c21, c, cOff + 2 * ldc, overwrite);
        store(c30, c31, c, cOff + 3 * ldc, overwrite);
        store(c40, c41, c, cOff + 4 * ldc, overwrite);
        store(c50, c51, c, cOff + 5 * ldc, overwrite);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int off, boolean overwrite) {
        if (!overwrite) {
            v0 = v0.add(FloatVector.fromArray(SPECIES, c, off));
            v1 = v1.add(FloatVector.fromArray(SPECIES, c, off + V));
        }
        v0.intoArray(c, off);
        v1.intoArray(c, off + V);
    }
}
