package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.backend.FloatBuffers;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * float32 matrix product {@code C = A B} in the GotoBLAS style: a register-blocked micro-kernel (MR rows x two vectors,
 * FMA) accumulates each MR x NR tile of C over a slice of k, reading B from panels of {@link #NR} columns, always
 * packed, and A where it is (by rows when they are contiguous, by columns when A is transposed). B's loads, and A's
 * by rows, are then at the loop counter times a constant (NR, 1) plus an invariant, so the JIT checks their bounds
 * once per tile instead of at every load. Blocks of rows or, for few rows, column panels run
 * on all cores; a product with too few tiles for that (a weight gradient: small C, long k) sums fixed-size slices of k
 * in parallel instead, streaming each slice through register tiles when B's rows are contiguous. A product with far fewer columns than a panel is computed transposed. A and B may have any
 * strides (transposed views are read directly or packed, never copied whole first).
 */
final class Gemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int V = SPECIES.length();
    /**
     * Rows of a register tile: 6 (12 accumulators) where the vectors are 512 bits (AVX-512's 32 registers), and where
     * they are 256 bits (AVX2's 16 registers) if C2 strip-mines counted loops; 4 (8 accumulators) otherwise. A 6-row
     * tile needs 15 of AVX2's 16 registers (12 accumulators, B's two vectors, one broadcast of A). Without strip mining
     * (the parallel and serial collectors turn it off) C2 loads several broadcasts ahead and keeps some accumulators on
     * the stack, a store and a reload in every step of k: 0.35-0.5x OpenBLAS's AVX2 kernels. With it (G1's default;
     * ./trainyard adds it on CPUs without AVX-512) the same kernel keeps all of them in registers (BENCHMARKS.md,
     * "Session 16"). The JVM runs 256-bit vectors on every AVX2 CPU and, by default, on Intel's first Skylake Xeons
     * (stepping below 5) too. The tile's rows are not the order of any addition: each element is the same chain of FMAs.
     */
    static final int MR = V >= 16 || (V == 8 && JitFlags.stripMinesLoops()) ? 6 : 4;
    static final int NR = 2 * V;
    /** Whether {@link #transposeBlock} has a register transpose for this vector width. */
    private static final boolean REGISTER_TRANSPOSES = V == 8 || V == 16;

    /**
     * Whether a transposed A (rows of stride 1) is read where it is, by the column kernels; otherwise each product
     * packs it into rows first (6-row tiles on 256-bit vectors, see {@link RowPanels#of}), and a caller that
     * multiplies the same transposed A many times does better to transpose it once.
     */
    static boolean readsTransposedAInPlace() {
        return V >= 16 || MR == 4;
    }
    /**
     * The longest slice of k per packed panel; k is cut into equal slices no longer than this. A constant, not chosen
     * from the cache sizes: the slices set the order of the additions, so the same product gives the same bits on every
     * CPU with the same vector width.
     */
    static final int KC = 320;
    /** Rows of A per parallel task: the grain of the work shared out, not a cache block (A is read where it is). */
    private static final int MC = MR * 16;
    /**
     * Columns of B per packed block: a KC x NC block is reread for every block of MC rows of A (every MR rows when a
     * panel does not fit in L1), so it is sized to half of this CPU's L2 cache (read at start-up), at least four
     * panels; column blocks do not change the order of additions.
     */
    static final int NC = columnBlock(CpuCaches.CURRENT.l2());
    private static final long L2_BYTES = CpuCaches.CURRENT.l2();
    /**
     * This CPU's L1 data cache in bytes: whether a packed panel of B stays there sets the order of the tiles (not the
     * bits: each tile is the same chain of FMAs in either order). Not final so that a test can take the other order.
     */
    static long l1dBytes = CpuCaches.CURRENT.l1d();
    /** Slice of k each parallel task sums when C has too few tiles to share out; fixed, so results do not depend on the core count. */
    static final int K_SLICE = 2048;
    /**
     * C has "too few tiles" ({@link #slicedOverK}) below this many MR x NR tiles. A constant, not a multiple of the core
     * count or the pool's parallelism: the choice sets the order of the additions, so it must be the same on every
     * machine, or a run checkpointed on 2 cores resumes with other bits on 1 or 8. 16 is what 8 tiles per core gave on
     * the 2-core workers, whose bits it keeps.
     */
    static final int FEW_TILES = 16;
    private static final long SMALL = 32L * 32 * 32;
    /**
     * The longest k {@link #direct} takes: B read where it is, 4 x 4V tiles. Measured on conv1-like products (32 x 676,
     * B's rows 43,264 apart) against the packed path: k 9 and 16 +50%, k 36 +13%, k 64 -3%. A shape constant, not a
     * CPU's: it picks the path, not the order of the additions.
     */
    static final int SMALL_K = 32;
    /** Columns of a {@link #direct} tile: 4 vectors (16 accumulators), 2 where there are 16 vector registers (see MR). */
    private static final int DIRECT_WIDTH = (V >= 16 ? 4 : 2) * V;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * The calling thread's buffer for packed blocks of B, taken while a product uses it (a product nested in the same
     * thread, say from a task it runs while waiting, finds none and allocates its own). A fresh block per slice of k
     * cost as much as the multiply for short products: zeroed by the JVM, written, then collected. Not taken from
     * {@link FloatBuffers}, which keys arrays by their exact length behind a lock: every product shape would park a
     * block of its own size there, where one thread-local block at least as long as the largest serves them all
     * without a lock; and it is scratch no tensor ever views, so the ownership rule FloatBuffers enforces buys nothing.
     */
    private static final ThreadLocal<float[]> PACKED_B = new ThreadLocal<>();
    /** Lane indexes of {@link FloatVector#selectFrom(jdk.incubator.vector.Vector, jdk.incubator.vector.Vector)} interleaving two vectors' low halves, and their high halves. */
    private static final float[] INTERLEAVE_LOW = interleave(0);
    private static final float[] INTERLEAVE_HIGH = interleave(V / 2);
    /**
     * The arrays {@link #takeScratch} hands out, in slots shared by all threads: a few per core, and one for each slice
     * of k a product holds edge rows for at once ({@link #sliceRows}: conv2's weight gradient as rows . cols^T, 64 rows
     * = 10 x MR + 4, holds 25; with 8 slots it allocated 17 arrays, 0.13 MB, a step).
     */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<float[]> SCRATCH =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(4 * CORES + 32);

    private Gemm() {
    }

    /**
     * A scratch array of MR x KC floats, with any contents: for A's rows after its last full MR (see
     * {@link RowPanels#takeEdge}) or an edge tile of C (MR x NR, or {@link #direct}'s 4 x 4V). From a few slots shared
     * by all threads, not a thread-local: the common pool's workers drop their thread-locals whenever they go idle,
     * so each task's first product allocated its arrays again (the edge rows were 3% of a cnn step's CPU samples, and
     * {@code ThreadLocal.get} for the edge tile 2.6%). Fresh arrays instead were 2 MB of garbage per cnn step, one
     * per row block of each product. {@link FloatBuffers} does not keep arrays this short.
     */
    private static float[] takeScratch() {
        for (int i = 0; i < SCRATCH.length(); i++) {
            float[] scratch = SCRATCH.getPlain(i) == null ? null : SCRATCH.getAndSet(i, null);
            if (scratch != null) {
                return scratch;
            }
        }
        return new float[MR * KC];
    }

    /** Hands a {@link #takeScratch} array back to a free slot once its product is done with it. */
    private static void giveScratch(float[] scratch) {
        for (int i = 0; i < SCRATCH.length(); i++) {
            if (SCRATCH.getPlain(i) == null && SCRATCH.compareAndSet(i, null, scratch)) {
                return;
            }
        }
    }

    private static float[] interleave(int from) {
        float[] lanes = new float[V];
        for (int i = 0; i < V / 2; i++) {
            lanes[2 * i] = from + i;
            lanes[2 * i + 1] = V + from + i;
        }
        return lanes;
    }

    static int columnBlock(long l2Bytes) {
        long panels = l2Bytes / 2 / ((long) KC * NR * Float.BYTES);
        return (int) Math.max(4, Math.min(panels, 256)) * NR;
    }

    /**
     * A strided 2-D view of a float array: element (i, j) is at {@code off + i * rs + j * cs}; or, with
     * {@code rowBlocks}, a B whose rows come in blocks (see {@link RowBlocks}), which only the packing reads.
     */
    record Matrix(float[] data, int off, int rs, int cs, RowBlocks rowBlocks) {
        Matrix(float[] data, int off, int rs, int cs) {
            this(data, off, rs, cs, null);
        }

        float get(int i, int j) {
            if (rowBlocks != null) {
                return rowsInBlock(i).get(0, j);
            }
            return data[off + i * rs + j * cs];
        }

        Matrix transposed() {
            if (rowBlocks != null) {
                throw new IllegalStateException("a matrix in row blocks is read as B only");
            }
            return new Matrix(data, off, cs, rs);
        }

        /** The view starting at element (i, j). */
        Matrix from(int i, int j) {
            if (rowBlocks != null) {
                int row = rowBlocks.first() + i;
                return new Matrix(data, off + row / rowBlocks.rows() * rowBlocks.stride() + j * cs, rs, cs,
                        new RowBlocks(rowBlocks.rows(), rowBlocks.stride(), row % rowBlocks.rows()));
            }
            return new Matrix(data, off + i * rs + j * cs, rs, cs);
        }

        /** The plain view from row i to the end of its block. */
        Matrix rowsInBlock(int i) {
            int row = rowBlocks.first() + i;
            return new Matrix(data, off + row / rowBlocks.rows() * rowBlocks.stride() + row % rowBlocks.rows() * rs, rs,
                    cs);
        }

        /** How many rows from row i to the end of its block. */
        int rowsLeftInBlock(int i) {
            return rowBlocks.rows() - (rowBlocks.first() + i) % rowBlocks.rows();
        }

        /** This k x n B copied as its transpose's rows (B^T dense, {@code [n, k]}), viewed as B. */
        Matrix copiedAsTransposeRows(int k, int n) {
            float[] rows = new float[n * k];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    rows[j * k + p] = get(p, j);
                }
            }
            return new Matrix(rows, 0, 1, k);
        }
    }

    /**
     * Rows of a B in blocks of {@code rows}, each block {@code stride} floats after the previous one; the view starts
     * at row {@code first} of the block at its offset. A conv's output gradient {@code [N, O, L]} is B = its rows'
     * transpose {@code [N*L, O]} this way (an image a block of L rows, each of stride 1, columns L apart), packed from
     * where it is instead of from a copy of its rows {@code [O, N*L]}.
     */
    record RowBlocks(int rows, int stride, int first) {
    }

    static void sgemm(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff) {
        boolean plain = inPlainJava(m, n, k);
        boolean transposed = !plain && computesTransposed(m, n, k, a, b);
        if (b.rowBlocks() != null && (plain || transposed)) {
            // only the packing reads B in blocks; these paths read it in place (the transposed one as A)
            b = b.copiedAsTransposeRows(k, n);
        }
        if (plain) {
            ScalarGemm.sgemm(m, n, k, a, b, c, cOff);
            return;
        }
        if (transposed) {
            // worth the transposed packing and the copy (computesTransposed)
            float[] ct = FloatBuffers.take(n * m);
            slicedOverK(n, m, k, b.transposed(), a.transposed(), ct, 0);
            transposeInto(ct, n, m, c, cOff);
            FloatBuffers.giveBack(ct);
            return;
        }
        slicedOverK(m, n, k, a, b, c, cOff);
    }

    /**
     * C (m x n, dense from cOff) from its transpose ct (n x m, dense): V x V blocks by register transposes, the rest a
     * float at a time (a float at a time throughout, the mlp's first layer forward ran 7% slower in GemmBench).
     */
    private static void transposeInto(float[] ct, int n, int m, float[] c, int cOff) {
        int rows = REGISTER_TRANSPOSES ? m / V * V : 0;
        int cols = REGISTER_TRANSPOSES ? n / V * V : 0;
        for (int i = 0; i < rows; i += V) {
            for (int j = 0; j < cols; j += V) {
                transposeBlock(ct, j * m + i, m, c, cOff + i * n + j, n);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = i < rows ? cols : 0; j < n; j++) {
                c[cOff + i * n + j] = ct[j * m + i];
            }
        }
    }

    /**
     * Whether C^T = B^T A^T moves fewer floats through transposes than C = A B, where the transposes are in registers:
     * B given as rows of its transpose (a linear layer's weight, x W^T) is transposed into its panels, all n x k of it,
     * where taking the weight as A reads it in place and transposes only A (m x k) and C^T (m x n). The mlp's forward at
     * batch 64 (64 x 784 x 256) packs 66 K floats instead of 200 K: its 8 x 8 register transposes were 19% of the
     * product on a Zen 3, and its 16 x 16 ones 17% of the mlp's training step on a Zen 5, where the product ran 14%
     * faster transposed (GemmBench, best windows, 3 of 3). Each element of C is the same chain of FMAs either way, so
     * are the bits.
     */
    private static boolean transposesLess(int m, int n, int k, Matrix a, Matrix b) {
        return REGISTER_TRANSPOSES && a.cs() == 1 && b.rs() == 1 && b.cs() != 1 && b.rowBlocks() == null
                && (long) m * (k + n) < (long) n * k && tileUse(n, m) >= tileUse(m, n);
    }

    /** The fraction of the MR x NR tiles covering an m x n C that holds C's elements. */
    private static double tileUse(int m, int n) {
        return (double) m * n / ((double) ceilDiv(m, MR) * MR * ceilDiv(n, NR) * NR);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Whether {@link #sgemm} computes this C slice by slice of k ({@link #sliceOfK} each, C stored by the first and
     * each later slice's chain of FMAs added to it in order): then {@link #sgemmOnThisThread} over the same slices, with
     * {@code addToC} from the second on, and over any rows of C, gives its bits. Not where it computes C^T, in plain
     * Java, or with slices of k summed apart.
     */
    static boolean addsSlicesInOrder(int m, int n, int k, Matrix a, Matrix b) {
        return !inPlainJava(m, n, k) && !computesTransposed(m, n, k, a, b) && !slicesOverK(m, n, k);
    }

    /**
     * Whether {@link #sgemm} computes C^T = B^T A^T: it fills the panels much better (a 9-column C against 32-column
     * panels), or transposes less.
     */
    private static boolean computesTransposed(int m, int n, int k, Matrix a, Matrix b) {
        return tileUse(n, m) > 1.5 * tileUse(m, n) || transposesLess(m, n, k, a, b);
    }

    /** The slice of k {@link #blocked} multiplies at a time: k cut into equal slices no longer than {@link #KC}. */
    static int sliceOfK(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /** Whether {@link #slicedOverK} sums slices of k apart for this shape, which sets the bits of C. */
    static boolean slicesOverK(int m, int n, int k) {
        return ceilDiv(k, K_SLICE) >= 2 && (long) ceilDiv(m, MR) * ceilDiv(n, NR) < FEW_TILES;
    }

    /**
     * C (m x n, dense from cOff) = A B. When C has too few tiles to keep the cores busy (fewer than {@link #FEW_TILES}),
     * slices of k are multiplied in parallel into separate buffers and summed in slice order. The slices are the same
     * whatever the cores and threads (on one thread they run one after the other), so are the bits.
     */
    private static void slicedOverK(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff) {
        int slices = ceilDiv(k, K_SLICE);
        if (!slicesOverK(m, n, k)) {
            blocked(m, n, k, a, b, c, cOff, true);
            return;
        }
        if (b.cs() == 1 && b.rowBlocks() == null && n % NR == 0) {
            streamedOverK(m, n, k, slices, a, b, c, cOff);
            return;
        }
        float[][] partial = new float[slices][];
        Parallel.range(slices).forEach(s -> {
            int p0 = s * K_SLICE;
            float[] part = s == 0 ? c : new float[m * n];
            int ks = Math.min(K_SLICE, k - p0);
            // the packing buffer from FloatBuffers: the common pool's workers drop their thread-locals after each task
            float[] packed = FloatBuffers.take(packedBSize(n, ks));
            blocked(m, n, ks, a.from(0, p0), b.from(p0, 0), part, s == 0 ? cOff : 0, n, false, false, packed);
            FloatBuffers.giveBack(packed);
            partial[s] = part;
        });
        for (int s = 1; s < slices; s++) {
            float[] part = partial[s];
            for (int i = 0; i < part.length; i++) {
                c[cOff + i] += part[i];
            }
        }
    }

    /**
     * {@link #slicedOverK} for a C of a few tiles whose B has contiguous rows (a weight gradient: im2col rows^T times
     * the output's gradient, k = batch x positions): each tile of C stays in registers while its slice of k streams
     * through, A and B read where they are. Packing B and copying A's edge rows per slice of KC (the blocked path)
     * moved every operand twice for 2 FMAs per element of A and cost 5–10 times the multiply: 9.8 GFLOP/s, with the
     * copies' fresh arrays page-faulting the growing heap. The additions are the blocked path's, in its order (a chain
     * of FMAs per piece of KC, pieces summed, slices summed in slice order), so the bits are those of every other
     * layout of the operands.
     */
    private static void streamedOverK(int m, int n, int k, int slices, Matrix a, Matrix b, float[] c, int cOff) {
        int mn = m * n;
        float[] partial = FloatBuffers.take(slices * mn);
        Parallel.range(slices).forEach(s -> {
            int p0 = s * K_SLICE;
            int ks = Math.min(K_SLICE, k - p0);
            int kc = sliceOfK(ks);
            // 6-row tiles (24 vectors live) where the registers hold them (AVX-512's 32), else rows by threes
            int full = V >= 16 ? m / 6 * 6 : 0;
            for (int jp = 0; jp < n; jp += NR) {
                int bOff = b.off() + p0 * b.rs() + jp * b.cs();
                for (int i = 0; i < full; i += 6) {
                    streamTile(a.data(), a.off() + i * a.rs() + p0 * a.cs(), a.rs(), a.cs(), b.data(), bOff, b.rs(),
                            ks, kc, partial, s * mn + i * n + jp, n);
                }
                int i = full;
                for (; m - i >= 3; i += 3) {
                    streamRows3(a.data(), a.off() + i * a.rs() + p0 * a.cs(), a.rs(), a.cs(), b.data(), bOff, b.rs(),
                            ks, kc, partial, s * mn + i * n + jp, n);
                }
                for (; i < m; i++) {
                    streamRow(a.data(), a.off() + i * a.rs() + p0 * a.cs(), a.cs(), b.data(), bOff, b.rs(),
                            ks, kc, partial, s * mn + i * n + jp);
                }
            }
        });
        System.arraycopy(partial, 0, c, cOff, mn);
        for (int s = 1; s < slices; s++) {
            for (int i = 0; i < mn; i++) {
                c[cOff + i] += partial[s * mn + i];
            }
        }
        FloatBuffers.giveBack(partial);
    }

    /**
     * A 6 x NR tile of C over k elements streamed in pieces of kc: element (r, p) of A at
     * {@code a[aOff + r * ars + p * acs]}, row p of B at {@code b[bOff + p * brs]}. Each piece is a fresh chain of FMAs
     * added to the tile's sum (a sum that starts at +0 adds exactly: a chain of FMAs from +0 never ends at -0).
     */
    private static void streamTile(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int k, int kc,
                                   float[] c, int cOff, int ldc) {
        int o1 = ars;
        int o2 = 2 * ars;
        int o3 = 3 * ars;
        int o4 = 4 * ars;
        int o5 = 5 * ars;
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES);
        FloatVector s11 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES);
        FloatVector s21 = FloatVector.zero(SPECIES);
        FloatVector s30 = FloatVector.zero(SPECIES);
        FloatVector s31 = FloatVector.zero(SPECIES);
        FloatVector s40 = FloatVector.zero(SPECIES);
        FloatVector s41 = FloatVector.zero(SPECIES);
        FloatVector s50 = FloatVector.zero(SPECIES);
        FloatVector s51 = FloatVector.zero(SPECIES);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int p1 = Math.min(k, p0 + kc);
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
            for (int p = p0; p < p1; p++) {
                int bi = bOff + p * brs;
                FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
                FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
                int ai = aOff + p * acs;
                FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
                c30 = a3.fma(b0, c30);
                c31 = a3.fma(b1, c31);
                FloatVector a4 = FloatVector.broadcast(SPECIES, a[ai + o4]);
                c40 = a4.fma(b0, c40);
                c41 = a4.fma(b1, c41);
                FloatVector a5 = FloatVector.broadcast(SPECIES, a[ai + o5]);
                c50 = a5.fma(b0, c50);
                c51 = a5.fma(b1, c51);
            }
            s00 = s00.add(c00);
            s01 = s01.add(c01);
            s10 = s10.add(c10);
            s11 = s11.add(c11);
            s20 = s20.add(c20);
            s21 = s21.add(c21);
            s30 = s30.add(c30);
            s31 = s31.add(c31);
            s40 = s40.add(c40);
            s41 = s41.add(c41);
            s50 = s50.add(c50);
            s51 = s51.add(c51);
        }
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        s00.intoArray(c, cOff);
        s01.intoArray(c, cOff + V);
        s10.intoArray(c, r1);
        s11.intoArray(c, r1 + V);
        s20.intoArray(c, r2);
        s21.intoArray(c, r2 + V);
        s30.intoArray(c, r3);
        s31.intoArray(c, r3 + V);
        s40.intoArray(c, r4);
        s41.intoArray(c, r4 + V);
        s50.intoArray(c, r5);
        s51.intoArray(c, r5 + V);
    }

    /**
     * {@link #streamTile} for three rows of C (a weight gradient's 9 or 27 rows end with three after the last full
     * MR): one pass over B for all three, and six chains of FMAs in flight where a row at a time had two, each step
     * waiting for the FMA before.
     */
    private static void streamRows3(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int k, int kc,
                                    float[] c, int cOff, int ldc) {
        int o1 = ars;
        int o2 = 2 * ars;
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES);
        FloatVector s11 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES);
        FloatVector s21 = FloatVector.zero(SPECIES);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int p1 = Math.min(k, p0 + kc);
            FloatVector c00 = FloatVector.zero(SPECIES);
            FloatVector c01 = FloatVector.zero(SPECIES);
            FloatVector c10 = FloatVector.zero(SPECIES);
            FloatVector c11 = FloatVector.zero(SPECIES);
            FloatVector c20 = FloatVector.zero(SPECIES);
            FloatVector c21 = FloatVector.zero(SPECIES);
            for (int p = p0; p < p1; p++) {
                int bi = bOff + p * brs;
                FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
                FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
                int ai = aOff + p * acs;
                FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
            }
            s00 = s00.add(c00);
            s01 = s01.add(c01);
            s10 = s10.add(c10);
            s11 = s11.add(c11);
            s20 = s20.add(c20);
            s21 = s21.add(c21);
        }
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        s00.intoArray(c, cOff);
        s01.intoArray(c, cOff + V);
        s10.intoArray(c, r1);
        s11.intoArray(c, r1 + V);
        s20.intoArray(c, r2);
        s21.intoArray(c, r2 + V);
    }

    /** {@link #streamTile} for one row of C (the rows after the last full MR and three). */
    private static void streamRow(float[] a, int aOff, int acs, float[] b, int bOff, int brs, int k, int kc,
                                  float[] c, int cOff) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        for (int p0 = 0; p0 < k; p0 += kc) {
            int p1 = Math.min(k, p0 + kc);
            FloatVector c0 = FloatVector.zero(SPECIES);
            FloatVector c1 = FloatVector.zero(SPECIES);
            for (int p = p0; p < p1; p++) {
                int bi = bOff + p * brs;
                FloatVector x = FloatVector.broadcast(SPECIES, a[aOff + p * acs]);
                c0 = x.fma(FloatVector.fromArray(SPECIES, b, bi), c0);
                c1 = x.fma(FloatVector.fromArray(SPECIES, b, bi + V), c1);
            }
            s0 = s0.add(c0);
            s1 = s1.add(c1);
        }
        s0.intoArray(c, cOff);
        s1.intoArray(c, cOff + V);
    }

    /**
     * C (m x n, dense from cOff) = A B over slices of k. B is always packed into NR-wide panels, once per slice and
     * column block, so the micro-kernel reads it at a stride the JIT knows. Blocks of MC rows run in parallel; with
     * fewer row blocks than two per core, tasks of consecutive column panels ({@link #byPanels}).
     */
    private static void blocked(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff, boolean parallel) {
        blocked(m, n, k, a, b, c, cOff, n, false, parallel);
    }

    /**
     * C (m x n at {@code c[cOff + i * ldc + j]}) = A B, or C + A B with {@code addToC}, on the calling thread, by the
     * vector kernels whatever the size (the caller decides as {@link #sgemm} does). With addToC each element is C plus
     * its chain of FMAs, the bits of the product followed by an addition of C only when k is one slice ({@code k <= KC});
     * a longer k adds its slices into C one by one.
     */
    static void sgemmOnThisThread(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff, int ldc, boolean addToC,
                                  float[] packedB) {
        blocked(m, n, k, a, b, c, cOff, ldc, addToC, false, packedB);
    }

    /** The floats {@link #sgemmOnThisThread}'s packedB needs for n columns of B and k rows. */
    static int packedBSize(int n, int k) {
        return ceilDiv(Math.min(NC, n), NR) * NR * sliceOfK(k);
    }

    /** Whether {@link #sgemm} computes an m x n x k product in plain Java ({@link ScalarGemm}). */
    static boolean inPlainJava(long m, long n, long k) {
        return m * n * k <= SMALL || V < 4;
    }

    private static void blocked(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff, int ldc, boolean addToC,
                                boolean parallel) {
        float[] buffer = PACKED_B.get();
        PACKED_B.set(null);
        int size = packedBSize(n, k);
        if (ceilDiv(m, MC) >= 2 * CORES && allSlicesColumns(k) > 0) {
            size = Math.max(size, allSlicesSize(n, k));
        }
        if (buffer == null || buffer.length < size) {
            buffer = new float[size];
        }
        blocked(m, n, k, a, b, c, cOff, ldc, addToC, parallel, buffer);
        PACKED_B.set(buffer);
    }

    private static void blocked(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff, int ldc, boolean addToC,
                                boolean parallel, float[] packedB) {
        int rowBlocks = ceilDiv(m, MC);
        int kcMax = sliceOfK(k);
        if (rowBlocks < 2 * CORES) {
            byPanels(m, n, k, kcMax, a, b, c, cOff, ldc, addToC, parallel, packedB);
            return;
        }
        if (k > kcMax && allSlicesColumns(k) > 0 && packedB.length >= allSlicesSize(n, k)) {
            allSlicesPerRowBlock(m, n, k, kcMax, rowBlocks, a, b, c, cOff, ldc, addToC, parallel, packedB);
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = ceilDiv(nc, NR);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean first = pc == 0 && !addToC;
                int cBase = cOff + jc;
                boolean worthIt = parallel && (long) m * nc * kc >= (1L << 18);
                final int pcf = pc;
                packB(b, pc, kc, jc, nc, packedB, 0);
                Parallel.when(worthIt && rowBlocks > 1, rowBlocks).forEach(ib -> {
                    int mc = Math.min(MC, m - ib * MC);
                    RowPanels rows = RowPanels.of(a, ib * MC, mc, pcf, kc);
                    macroKernel(rows, mc, kc, packedB, 0, 0, panels, nc, c, cBase + ib * MC * ldc, ldc, first);
                    rows.release();
                });
            }
        }
    }

    /** The floats {@link #allSlicesPerRowBlock} packs B into: every slice of k of a block of columns. */
    private static int allSlicesSize(int n, int k) {
        return ceilDiv(Math.min(allSlicesColumns(k), n), NR) * NR * k;
    }

    /**
     * Columns of B per block packed for all of k: half of L2, as {@link #NC} for one slice (at most NC); 0 when fewer
     * than two panels fit (k over 2048 with 1 MiB of L2), where B is packed slice by slice instead.
     */
    private static int allSlicesColumns(int k) {
        long panels = Math.min(L2_BYTES / 2 / ((long) k * NR * Float.BYTES), NC / NR);
        return panels < 2 ? 0 : (int) panels * NR;
    }

    /**
     * {@link #blocked} for a k of several slices: a block of B's columns is packed for all of k first (half of L2), then
     * each block of MC rows runs its slices one after the other, so the next slice finds that block's part of C in L2.
     * Slice by slice over all the row blocks, C (1-4 MB for squares 512-1024) came back from L3 or memory for every
     * slice after the first. Each element of C still sums its slices' chains of FMAs in slice order: the same bits.
     */
    private static void allSlicesPerRowBlock(int m, int n, int k, int kcMax, int rowBlocks, Matrix a, Matrix b,
                                             float[] c, int cOff, int ldc, boolean addToC, boolean parallel,
                                             float[] packedB) {
        int columns = allSlicesColumns(k);
        for (int jc = 0; jc < n; jc += columns) {
            int nc = Math.min(columns, n - jc);
            int panels = ceilDiv(nc, NR);
            for (int pc = 0; pc < k; pc += kcMax) {
                packB(b, pc, Math.min(kcMax, k - pc), jc, nc, packedB, pc * panels * NR);
            }
            int cBase = cOff + jc;
            boolean worthIt = parallel && (long) m * nc * k >= (1L << 18);
            Parallel.when(worthIt, rowBlocks).forEach(ib -> {
                int mc = Math.min(MC, m - ib * MC);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    RowPanels rows = RowPanels.of(a, ib * MC, mc, pc, kc);
                    macroKernel(rows, mc, kc, packedB, pc * panels * NR, 0, panels, nc, c, cBase + ib * MC * ldc,
                            ldc, pc == 0 && !addToC);
                    rows.release();
                }
            });
        }
    }

    /**
     * {@link #blocked} for few rows (fewer blocks of MC than two per core): A is taken as it is once per slice of k,
     * and each column panel of B is packed right before its tiles into a buffer of one panel, where it stays in L1 for
     * all of them. Packing a whole block of panels first wrote it out to L2 and read it back for the first tile of
     * each panel (fc1 dX, 64x128 . 128x1600: 12% of the CPU samples in packB). The tiles and their chains of FMAs are
     * those of the block path, so are the bits. Tasks of consecutive panels, a panel buffer each, run in parallel.
     */
    private static void byPanels(int m, int n, int k, int kcMax, Matrix a, Matrix b, float[] c, int cOff, int ldc,
                                 boolean addToC, boolean parallel, float[] packedB) {
        int panels = ceilDiv(n, NR);
        if (k <= SMALL_K && m >= 4 && n >= DIRECT_WIDTH && a.cs() == 1 && b.cs() == 1 && b.rowBlocks() == null
                && (long) k * n * Float.BYTES <= l1dBytes && !(parallel && (long) m * n * k >= (1L << 18))) {
            direct(m, n, k, a, b, c, cOff, ldc, addToC, packedB);
            return;
        }
        if (parallel && panels >= 4 * CORES && k > kcMax && (long) m * n * kcMax >= (1L << 18)) {
            panelsInParallel(m, n, k, kcMax, panels, a, b, c, cOff, ldc, addToC, packedB);
            return;
        }
        if (parallel && panels > 1 && k > kcMax && (long) m * n * kcMax >= (1L << 18)) {
            slicesInOneLoop(m, n, k, kcMax, panels, a, b, c, cOff, ldc, addToC, packedB);
            return;
        }
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            boolean first = pc == 0 && !addToC;
            RowPanels rows = RowPanels.of(a, 0, m, pc, kc);
            final int pcf = pc;
            if (parallel && panels > 1 && (long) m * n * kc >= (1L << 18)) {
                int tasks = Math.min(panels, 4 * CORES);
                int panelSize = kc * NR;
                float[] buffers = panelBuffers(tasks * panelSize, packedB);
                Parallel.range(tasks).forEach(t ->
                        panelTiles(rows, m, kc, b, pcf, t * panels / tasks, (t + 1) * panels / tasks, n, c, cOff, ldc,
                                first, buffers, t * panelSize));
                givePanelBuffersBack(buffers, packedB);
            } else {
                panelTiles(rows, m, kc, b, pc, 0, panels, n, c, cOff, ldc, first, packedB, 0);
            }
            rows.release();
        }
    }

    /**
     * {@link #byPanels} for several slices of k and at least four panels per core: tasks of consecutive panels, each
     * panel through all the slices in turn, in one parallel loop where a loop per slice woke the worker once per slice
     * and waited at each join (the mlp's first layer forward, 64 x 256 x 784: three slices, 230 -> 182 us on two cores
     * of a Zen 4). With fewer panels the slices keep a loop each: a task of all the slices of one of two panels (the
     * cnn's conv2 weight gradient, 25 slices) leaves the caller waiting for all of it when the worker is preempted
     * (eng-cnn-z4, session 14). Each element of C sums its slices' chains in slice order: the same bits.
     */
    private static void panelsInParallel(int m, int n, int k, int kcMax, int panels, Matrix a, Matrix b, float[] c,
                                         int cOff, int ldc, boolean addToC, float[] packedB) {
        RowPanels[] rows = sliceRows(a, m, k, kcMax);
        int slices = rows.length;
        int tasks = Math.min(panels, 4 * CORES);
        int panelSize = kcMax * NR;
        float[] buffers = panelBuffers(tasks * panelSize, packedB);
        Parallel.range(tasks).forEach(t -> {
            for (int jp = t * panels / tasks; jp < (t + 1) * panels / tasks; jp++) {
                for (int s = 0; s < slices; s++) {
                    int pc = s * kcMax;
                    panelTiles(rows[s], m, Math.min(kcMax, k - pc), b, pc, jp, jp + 1, n, c, cOff, ldc,
                            s == 0 && !addToC, buffers, t * panelSize);
                }
            }
        });
        givePanelBuffersBack(buffers, packedB);
        for (RowPanels r : rows) {
            r.release();
        }
    }

    /**
     * {@link #byPanels} for several slices of k and fewer panels: the tasks a loop per slice would run (consecutive
     * panels through one slice), all in one parallel loop, slice after slice; a task first waits until its panels'
     * previous slice is done, so each element of C sums its slices' chains in slice order: the same bits. A loop per
     * slice woke the worker at its fork and parked the caller at its join, each 15-40 us: conv2's weight gradient
     * (288 x 64, 25 slices of two 60 us panels) spent half its time there. A task all through the slices of its
     * panels would leave the caller waiting at the join for all of them when the worker is preempted (eng-cnn-z4,
     * session 14); here the caller takes the next slice's tasks meanwhile, as far as its own panels go.
     */
    private static void slicesInOneLoop(int m, int n, int k, int kcMax, int panels, Matrix a, Matrix b, float[] c,
                                        int cOff, int ldc, boolean addToC, float[] packedB) {
        RowPanels[] rows = sliceRows(a, m, k, kcMax);
        int slices = rows.length;
        int tasks = Math.min(panels, 4 * CORES);
        int panelSize = kcMax * NR;
        float[] buffers = panelBuffers(tasks * panelSize, packedB);
        // slices of each task's panels done; a task's tasks run one after another, so they share its buffer
        AtomicIntegerArray slicesDone = new AtomicIntegerArray(tasks);
        Parallel.range(slices * tasks).forEachInOrder(u -> {
            int s = u / tasks;
            int t = u % tasks;
            awaitSlices(slicesDone, t, s);
            int pc = s * kcMax;
            try {
                panelTiles(rows[s], m, Math.min(kcMax, k - pc), b, pc, t * panels / tasks, (t + 1) * panels / tasks, n,
                        c, cOff, ldc, s == 0 && !addToC, buffers, t * panelSize);
            } finally {
                // also when it failed: the loop rethrows, and no task waits for ever
                slicesDone.set(t, s + 1);
            }
        });
        givePanelBuffersBack(buffers, packedB);
        for (RowPanels r : rows) {
            r.release();
        }
    }

    /** A's rows for each slice of k (kcMax long, the last one shorter); each to be released after the product. */
    private static RowPanels[] sliceRows(Matrix a, int m, int k, int kcMax) {
        RowPanels[] rows = new RowPanels[ceilDiv(k, kcMax)];
        for (int s = 0; s < rows.length; s++) {
            rows[s] = RowPanels.of(a, 0, m, s * kcMax, Math.min(kcMax, k - s * kcMax));
        }
        return rows;
    }

    /**
     * Until {@code done[t]} reaches {@code slices}: spinning a while, then yielding the core (the thread it waits for
     * may need it).
     */
    static void awaitSlices(AtomicIntegerArray done, int t, int slices) {
        for (int spins = 0; done.get(t) < slices; spins++) {
            if (spins < (1 << 12)) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * The parallel tasks' panel buffers, side by side: in packedB when it has room (a block of NC columns), else one
     * array from FloatBuffers (an array per task was below its smallest cached length for kc < 128: the mlp's first
     * weight gradient, k = 64, made 66 KB of fresh arrays per step).
     */
    private static float[] panelBuffers(int size, float[] packedB) {
        return packedB.length >= size ? packedB : FloatBuffers.take(size);
    }

    private static void givePanelBuffersBack(float[] buffers, float[] packedB) {
        if (buffers != packedB) {
            FloatBuffers.giveBack(buffers);
        }
    }

    /**
     * {@link #byPanels} for a short k (at most {@link #SMALL_K}) whose B (k x n, rows contiguous) fits in L1: tiles of
     * 4 rows x 4 vectors read B where it is, 4 rows of C at a time left to right (B stays in L1 for all of them), as
     * OpenBLAS's direct sgemm does. With k = 9 (conv1's forward, 32 x 676 per image) the packed path spent 15% of the
     * time packing B's panels, 13% copying edge tiles (32 rows = 5 x MR + 2, 676 columns = 21 panels + 4) and ran
     * 6 x 2V tiles of 9 FMA steps each; this runs 16 accumulators per tile and no copies. The columns after the last
     * 4V go through a scratch tile, the rows after the last 4 through the packed path. Each element of C is the same
     * chain of FMAs (plus C with addToC), so the bits are those of the packed path.
     */
    private static void direct(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOff, int ldc, boolean addToC,
                               float[] packedB) {
        int width = DIRECT_WIDTH;
        int tiles = n / width * width;
        int rows = m / 4 * 4;
        float[] scratch = tiles < n ? takeScratch() : null;
        for (int i = 0; i < rows; i += 4) {
            int aOff = a.off() + i * a.rs();
            for (int j = 0; j < tiles; j += width) {
                if (width == 4 * V) {
                    directTile(a.data(), aOff, a.rs(), b.data(), b.off() + j, b.rs(), k, c, cOff + i * ldc + j, ldc,
                            addToC);
                } else {
                    directTile2(a.data(), aOff, a.rs(), b.data(), b.off() + j, b.rs(), k, c, cOff + i * ldc + j, ldc,
                            addToC);
                }
            }
            if (tiles < n) {
                // the columns after the last whole tile: the tile ending with them into a scratch tile, from which
                // they are copied (through the packed path, conv1's last 36 columns cost 15% of its time, 6 edge
                // tiles of MR x NR for the last 4; a vector at a time, 20%)
                if (width == 4 * V) {
                    directTile(a.data(), aOff, a.rs(), b.data(), b.off() + n - width, b.rs(), k, scratch, 0, width,
                            false);
                } else {
                    directTile2(a.data(), aOff, a.rs(), b.data(), b.off() + n - width, b.rs(), k, scratch, 0, width,
                            false);
                }
                for (int r = 0; r < 4; r++) {
                    int s = r * width - (n - width);
                    int ci = cOff + (i + r) * ldc;
                    int j = tiles;
                    for (; j + V <= n; j += V) {
                        FloatVector x = FloatVector.fromArray(SPECIES, scratch, s + j);
                        if (addToC) {
                            x = x.add(FloatVector.fromArray(SPECIES, c, ci + j));
                        }
                        x.intoArray(c, ci + j);
                    }
                    for (; j < n; j++) {
                        c[ci + j] = addToC ? scratch[s + j] + c[ci + j] : scratch[s + j];
                    }
                }
            }
        }
        if (scratch != null) {
            giveScratch(scratch);
        }
        if (rows < m) {
            byPanels(m - rows, n, k, k, a.from(rows, 0), b, c, cOff + rows * ldc, ldc, addToC, false, packedB);
        }
    }

    /**
     * A 4 x 4V tile of C for {@link #direct}: element (r, p) of A at {@code a[aOff + r * ars + p]}, row p of B at
     * {@code b[bOff + p * brs]}. One kernel for both C = AB and C + AB (the conv's forward adds to its bias; the last
     * columns' scratch tile is written over), the choice a branch after the loop.
     */
    private static void directTile(float[] a, int aOff, int ars, float[] b, int bOff, int brs, int k, float[] c,
                                   int cOff, int ldc, boolean addToC) {
        int o1 = ars;
        int o2 = 2 * ars;
        int o3 = 3 * ars;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c23 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        FloatVector c33 = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            int bi = bOff + p * brs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * V);
            int ai = aOff + p;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (addToC) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + V));
            c02 = c02.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * V));
            c03 = c03.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * V));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + V));
            c12 = c12.add(FloatVector.fromArray(SPECIES, c, r1 + 2 * V));
            c13 = c13.add(FloatVector.fromArray(SPECIES, c, r1 + 3 * V));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + V));
            c22 = c22.add(FloatVector.fromArray(SPECIES, c, r2 + 2 * V));
            c23 = c23.add(FloatVector.fromArray(SPECIES, c, r2 + 3 * V));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + V));
            c32 = c32.add(FloatVector.fromArray(SPECIES, c, r3 + 2 * V));
            c33 = c33.add(FloatVector.fromArray(SPECIES, c, r3 + 3 * V));
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c02.intoArray(c, cOff + 2 * V);
        c03.intoArray(c, cOff + 3 * V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c12.intoArray(c, r1 + 2 * V);
        c13.intoArray(c, r1 + 3 * V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c22.intoArray(c, r2 + 2 * V);
        c23.intoArray(c, r2 + 3 * V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
        c32.intoArray(c, r3 + 2 * V);
        c33.intoArray(c, r3 + 3 * V);
    }

    /** {@link #directTile} 2 vectors wide (see {@link #DIRECT_WIDTH}). */
    private static void directTile2(float[] a, int aOff, int ars, float[] b, int bOff, int brs, int k, float[] c,
                                   int cOff, int ldc, boolean addToC) {
        int o1 = ars;
        int o2 = 2 * ars;
        int o3 = 3 * ars;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            int bi = bOff + p * brs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (addToC) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + V));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + V));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + V));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + V));
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
    }

    /**
     * Column panels {@code jp0 <= jp < jp1} of C for all m rows of A (see {@link #byPanels}), each packed into
     * {@code panel} from {@code panelOff}.
     */
    private static void panelTiles(RowPanels a, int m, int kc, Matrix b, int pc, int jp0, int jp1, int n, float[] c,
                                   int cOff, int ldc, boolean overwrite, float[] panel, int panelOff) {
        float[] edgeTile = takeScratch();
        for (int jp = jp0; jp < jp1; jp++) {
            packPanel(b, pc, kc, jp * NR, Math.min(NR, n - jp * NR), panel, panelOff);
            for (int ip = fullTiles(a, m, kc, panel, panelOff, jp, n, c, cOff, ldc, overwrite); ip * MR < m; ip++) {
                tile(a, ip, m, kc, panel, panelOff, jp, n, c, cOff, ldc, overwrite, edgeTile);
            }
        }
        giveScratch(edgeTile);
    }

    /** B[pc:pc+kc, jc:jc+nc] into {@code out} as consecutive NR-wide column panels, zero-padded at the right edge. */
    private static void packB(Matrix b, int pc, int kc, int jc, int nc, float[] out, int outOff) {
        int panels = (nc + NR - 1) / NR;
        if (b.cs() == 1 && b.rowBlocks() == null) {
            float[] d = b.data();
            int last = (panels - 1) * NR;
            if (nc - last < NR) {
                // the last panel's padding: the buffer is reused, so it may hold an earlier block
                for (int p = 0; p < kc; p++) {
                    int row = outOff + (panels - 1) * kc * NR + p * NR;
                    java.util.Arrays.fill(out, row + nc - last, row + NR, 0f);
                }
            }
            // row by row across all the panels: each row of B is read as one contiguous run (reading one panel's
            // strip of every row instead left the copy waiting on a cache miss per row); full panels by two vector
            // loads and stores, where an arraycopy per NR floats cost its copy again in call overhead (packing B was
            // 18% of the CPU samples of fc1 dX, 64x128 . 128x1600)
            int full = nc / NR;
            for (int p = 0; p < kc; p++) {
                int src = b.off() + (pc + p) * b.rs() + jc;
                int dst = outOff + p * NR;
                for (int jp = 0; jp < full; jp++) {
                    FloatVector.fromArray(SPECIES, d, src + jp * NR).intoArray(out, dst + jp * kc * NR);
                    FloatVector.fromArray(SPECIES, d, src + jp * NR + V).intoArray(out, dst + jp * kc * NR + V);
                }
                if (full < panels) {
                    System.arraycopy(d, src + full * NR, out, dst + full * kc * NR, nc - full * NR);
                }
            }
            return;
        }
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jc + jp * NR;
            packPanel(b, pc, kc, j0, Math.min(NR, jc + nc - j0), out, outOff + jp * kc * NR);
        }
    }

    /**
     * B[pc:pc+kc, j0:j0+width] into {@code out} from {@code base} as one NR-wide panel (row p at {@code base + p * NR}),
     * zero-padded after {@code width} columns (the buffer is reused, so it may hold an earlier panel).
     */
    private static void packPanel(Matrix b, int pc, int kc, int j0, int width, float[] out, int base) {
        if (b.rowBlocks() != null) {
            // each block's run of rows is a plain view: the V x V transposes stay inside a block, the rows left at a
            // block's end are copied one by one
            for (int p = 0; p < kc; ) {
                int run = Math.min(kc - p, b.rowsLeftInBlock(pc + p));
                packPanel(b.rowsInBlock(pc + p), 0, run, j0, width, out, base + p * NR);
                p += run;
            }
            return;
        }
        float[] d = b.data();
        if (b.cs() == 1) {
            int src = b.off() + pc * b.rs() + j0;
            if (width == NR) {
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(SPECIES, d, src + p * b.rs()).intoArray(out, base + p * NR);
                    FloatVector.fromArray(SPECIES, d, src + p * b.rs() + V).intoArray(out, base + p * NR + V);
                }
            } else {
                // masked loads, whose lanes after width read as zeros: the padding written with the row. An arraycopy
                // and a fill per row were 7% of conv2's forward (121 columns: a last panel 9 wide, 288 rows)
                var low = SPECIES.indexInRange(0, width);
                var high = SPECIES.indexInRange(V, width);
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(SPECIES, d, src + p * b.rs(), low).intoArray(out, base + p * NR);
                    FloatVector.fromArray(SPECIES, d, src + p * b.rs() + V, high).intoArray(out, base + p * NR + V);
                }
            }
            return;
        }
        int from = 0;
        if (b.rs() == 1 && kc >= V && REGISTER_TRANSPOSES && width == NR) {
            // B^T (a weight's rows along k): V x V blocks transposed in registers; one element at a time, the
            // copy cost as much as the multiply for a linear layer's forward at batch 64
            from = kc / V * V;
            for (int half = 0; half < NR; half += V) {
                int src = b.off() + pc + (j0 + half) * b.cs();
                for (int p = 0; p < from; p += V) {
                    transposeBlock(d, src + p, b.cs(), out, base + p * NR + half, NR);
                }
            }
        }
        // a transposed B: each of the panel's columns is read along its contiguous run, one stream at a time
        for (int j = 0; j < width; j++) {
            int src = b.off() + pc * b.rs() + (j0 + j) * b.cs();
            for (int p = from; p < kc; p++) {
                out[base + p * NR + j] = d[src + p * b.rs()];
            }
        }
        if (width < NR) {
            for (int p = 0; p < kc; p++) {
                java.util.Arrays.fill(out, base + p * NR + width, base + (p + 1) * NR, 0f);
            }
        }
    }

    /**
     * The V x V block of B^T at {@code d[src + j * cs + p]} (column j of B, row p) written as rows p of a packed panel
     * at {@code out[dst + p * ld + j]} (ld = NR; or kc for a transposed A's rows, {@link RowPanels#of}; or n for C from
     * its transpose). Each step interleaves the low halves of rows i and i + V/2 into row 2i and their high halves into
     * row 2i + 1, which rotates an element's (row, column) bits left by one; log2(V) steps transpose.
     */
    private static void transpose16(float[] d, int src, int cs, float[] out, int dst, int ld) {
        FloatVector lo = FloatVector.fromArray(SPECIES, INTERLEAVE_LOW, 0);
        FloatVector hi = FloatVector.fromArray(SPECIES, INTERLEAVE_HIGH, 0);
        FloatVector x0 = FloatVector.fromArray(SPECIES, d, src);
        FloatVector x1 = FloatVector.fromArray(SPECIES, d, src + 1 * cs);
        FloatVector x2 = FloatVector.fromArray(SPECIES, d, src + 2 * cs);
        FloatVector x3 = FloatVector.fromArray(SPECIES, d, src + 3 * cs);
        FloatVector x4 = FloatVector.fromArray(SPECIES, d, src + 4 * cs);
        FloatVector x5 = FloatVector.fromArray(SPECIES, d, src + 5 * cs);
        FloatVector x6 = FloatVector.fromArray(SPECIES, d, src + 6 * cs);
        FloatVector x7 = FloatVector.fromArray(SPECIES, d, src + 7 * cs);
        FloatVector x8 = FloatVector.fromArray(SPECIES, d, src + 8 * cs);
        FloatVector x9 = FloatVector.fromArray(SPECIES, d, src + 9 * cs);
        FloatVector x10 = FloatVector.fromArray(SPECIES, d, src + 10 * cs);
        FloatVector x11 = FloatVector.fromArray(SPECIES, d, src + 11 * cs);
        FloatVector x12 = FloatVector.fromArray(SPECIES, d, src + 12 * cs);
        FloatVector x13 = FloatVector.fromArray(SPECIES, d, src + 13 * cs);
        FloatVector x14 = FloatVector.fromArray(SPECIES, d, src + 14 * cs);
        FloatVector x15 = FloatVector.fromArray(SPECIES, d, src + 15 * cs);
        FloatVector y0 = lo.selectFrom(x0, x8);
        FloatVector y1 = hi.selectFrom(x0, x8);
        FloatVector y2 = lo.selectFrom(x1, x9);
        FloatVector y3 = hi.selectFrom(x1, x9);
        FloatVector y4 = lo.selectFrom(x2, x10);
        FloatVector y5 = hi.selectFrom(x2, x10);
        FloatVector y6 = lo.selectFrom(x3, x11);
        FloatVector y7 = hi.selectFrom(x3, x11);
        FloatVector y8 = lo.selectFrom(x4, x12);
        FloatVector y9 = hi.selectFrom(x4, x12);
        FloatVector y10 = lo.selectFrom(x5, x13);
        FloatVector y11 = hi.selectFrom(x5, x13);
        FloatVector y12 = lo.selectFrom(x6, x14);
        FloatVector y13 = hi.selectFrom(x6, x14);
        FloatVector y14 = lo.selectFrom(x7, x15);
        FloatVector y15 = hi.selectFrom(x7, x15);
        x0 = lo.selectFrom(y0, y8);
        x1 = hi.selectFrom(y0, y8);
        x2 = lo.selectFrom(y1, y9);
        x3 = hi.selectFrom(y1, y9);
        x4 = lo.selectFrom(y2, y10);
        x5 = hi.selectFrom(y2, y10);
        x6 = lo.selectFrom(y3, y11);
        x7 = hi.selectFrom(y3, y11);
        x8 = lo.selectFrom(y4, y12);
        x9 = hi.selectFrom(y4, y12);
        x10 = lo.selectFrom(y5, y13);
        x11 = hi.selectFrom(y5, y13);
        x12 = lo.selectFrom(y6, y14);
        x13 = hi.selectFrom(y6, y14);
        x14 = lo.selectFrom(y7, y15);
        x15 = hi.selectFrom(y7, y15);
        y0 = lo.selectFrom(x0, x8);
        y1 = hi.selectFrom(x0, x8);
        y2 = lo.selectFrom(x1, x9);
        y3 = hi.selectFrom(x1, x9);
        y4 = lo.selectFrom(x2, x10);
        y5 = hi.selectFrom(x2, x10);
        y6 = lo.selectFrom(x3, x11);
        y7 = hi.selectFrom(x3, x11);
        y8 = lo.selectFrom(x4, x12);
        y9 = hi.selectFrom(x4, x12);
        y10 = lo.selectFrom(x5, x13);
        y11 = hi.selectFrom(x5, x13);
        y12 = lo.selectFrom(x6, x14);
        y13 = hi.selectFrom(x6, x14);
        y14 = lo.selectFrom(x7, x15);
        y15 = hi.selectFrom(x7, x15);
        x0 = lo.selectFrom(y0, y8);
        x1 = hi.selectFrom(y0, y8);
        x2 = lo.selectFrom(y1, y9);
        x3 = hi.selectFrom(y1, y9);
        x4 = lo.selectFrom(y2, y10);
        x5 = hi.selectFrom(y2, y10);
        x6 = lo.selectFrom(y3, y11);
        x7 = hi.selectFrom(y3, y11);
        x8 = lo.selectFrom(y4, y12);
        x9 = hi.selectFrom(y4, y12);
        x10 = lo.selectFrom(y5, y13);
        x11 = hi.selectFrom(y5, y13);
        x12 = lo.selectFrom(y6, y14);
        x13 = hi.selectFrom(y6, y14);
        x14 = lo.selectFrom(y7, y15);
        x15 = hi.selectFrom(y7, y15);
        x0.intoArray(out, dst + 0 * ld);
        x1.intoArray(out, dst + 1 * ld);
        x2.intoArray(out, dst + 2 * ld);
        x3.intoArray(out, dst + 3 * ld);
        x4.intoArray(out, dst + 4 * ld);
        x5.intoArray(out, dst + 5 * ld);
        x6.intoArray(out, dst + 6 * ld);
        x7.intoArray(out, dst + 7 * ld);
        x8.intoArray(out, dst + 8 * ld);
        x9.intoArray(out, dst + 9 * ld);
        x10.intoArray(out, dst + 10 * ld);
        x11.intoArray(out, dst + 11 * ld);
        x12.intoArray(out, dst + 12 * ld);
        x13.intoArray(out, dst + 13 * ld);
        x14.intoArray(out, dst + 14 * ld);
        x15.intoArray(out, dst + 15 * ld);
    }

    /** The V x V block transposed as {@link #transpose16} says, for 16 or 8 lanes ({@link #REGISTER_TRANSPOSES}). */
    private static void transposeBlock(float[] d, int src, int cs, float[] out, int dst, int ld) {
        if (V == 16) {
            transpose16(d, src, cs, out, dst, ld);
        } else {
            transpose8(d, src, cs, out, dst, ld);
        }
    }

    /** {@link #transpose16} for 8 lanes. */
    private static void transpose8(float[] d, int src, int cs, float[] out, int dst, int ld) {
        FloatVector lo = FloatVector.fromArray(SPECIES, INTERLEAVE_LOW, 0);
        FloatVector hi = FloatVector.fromArray(SPECIES, INTERLEAVE_HIGH, 0);
        FloatVector x0 = FloatVector.fromArray(SPECIES, d, src);
        FloatVector x1 = FloatVector.fromArray(SPECIES, d, src + 1 * cs);
        FloatVector x2 = FloatVector.fromArray(SPECIES, d, src + 2 * cs);
        FloatVector x3 = FloatVector.fromArray(SPECIES, d, src + 3 * cs);
        FloatVector x4 = FloatVector.fromArray(SPECIES, d, src + 4 * cs);
        FloatVector x5 = FloatVector.fromArray(SPECIES, d, src + 5 * cs);
        FloatVector x6 = FloatVector.fromArray(SPECIES, d, src + 6 * cs);
        FloatVector x7 = FloatVector.fromArray(SPECIES, d, src + 7 * cs);
        FloatVector y0 = lo.selectFrom(x0, x4);
        FloatVector y1 = hi.selectFrom(x0, x4);
        FloatVector y2 = lo.selectFrom(x1, x5);
        FloatVector y3 = hi.selectFrom(x1, x5);
        FloatVector y4 = lo.selectFrom(x2, x6);
        FloatVector y5 = hi.selectFrom(x2, x6);
        FloatVector y6 = lo.selectFrom(x3, x7);
        FloatVector y7 = hi.selectFrom(x3, x7);
        x0 = lo.selectFrom(y0, y4);
        x1 = hi.selectFrom(y0, y4);
        x2 = lo.selectFrom(y1, y5);
        x3 = hi.selectFrom(y1, y5);
        x4 = lo.selectFrom(y2, y6);
        x5 = hi.selectFrom(y2, y6);
        x6 = lo.selectFrom(y3, y7);
        x7 = hi.selectFrom(y3, y7);
        y0 = lo.selectFrom(x0, x4);
        y1 = hi.selectFrom(x0, x4);
        y2 = lo.selectFrom(x1, x5);
        y3 = hi.selectFrom(x1, x5);
        y4 = lo.selectFrom(x2, x6);
        y5 = hi.selectFrom(x2, x6);
        y6 = lo.selectFrom(x3, x7);
        y7 = hi.selectFrom(x3, x7);
        y0.intoArray(out, dst + 0 * ld);
        y1.intoArray(out, dst + 1 * ld);
        y2.intoArray(out, dst + 2 * ld);
        y3.intoArray(out, dst + 3 * ld);
        y4.intoArray(out, dst + 4 * ld);
        y5.intoArray(out, dst + 5 * ld);
        y6.intoArray(out, dst + 6 * ld);
        y7.intoArray(out, dst + 7 * ld);
    }

    /**
     * Rows {@code ic..ic+mc} of A over columns {@code pc..pc+kc}: element (r, p) at {@code data[off + r * rs + p * cs]}
     * with either {@code cs == 1} (rows contiguous: the micro-kernel steps through k at a unit stride, which the JIT
     * range-checks once per loop) or {@code rs == 1} (a transposed A, read down its columns by the column kernels). A
     * with neither, or a transposed A under 6-row tiles on 256-bit vectors, is copied into rows ({@code packed}: an
     * array from FloatBuffers that {@link #release} gives back). {@code edge} holds the rows after the last full MR as
     * rows of kc, zero-padded to MR (copied once, here).
     */
    record RowPanels(float[] data, int off, int rs, int cs, float[] edge, int edgeOff, boolean packed) {
        static RowPanels of(Matrix a, int ic, int mc, int pc, int kc) {
            int full = mc / MR * MR;
            if (a.cs() == 1) {
                int off = a.off() + ic * a.rs() + pc;
                float[] edge = a.data();
                int edgeOff = off + full * a.rs();
                if (full < mc) {
                    edge = takeEdge(mc - full, kc);
                    edgeOff = 0;
                    for (int r = 0; r < mc - full; r++) {
                        System.arraycopy(a.data(), off + (full + r) * a.rs(), edge, r * kc, kc);
                    }
                }
                return new RowPanels(a.data(), off, a.rs(), 1, edge, edgeOff, false);
            }
            if (a.rs() == 1 && readsTransposedAInPlace()) {
                // a transposed A (a weight gradient's input^T): each column's MR rows are adjacent, read in place by
                // the column kernels; copying it cost as much as multiplying it when B has few panels. Not with
                // 6-row tiles on 256-bit vectors: the column kernel's bounds checks (A's stride is not a constant)
                // split its loop, and C2 then kept two accumulators on the stack; packed, the row kernel runs it
                int off = a.off() + ic + pc * a.cs();
                return new RowPanels(a.data(), off, 1, a.cs(), edgeOf(a, ic, mc, pc, kc), 0, false);
            }
            float[] out = FloatBuffers.take(ceilDiv(mc, MR) * MR * kc);
            java.util.Arrays.fill(out, mc * kc, ceilDiv(mc, MR) * MR * kc, 0f);
            float[] d = a.data();
            int blocked = 0;
            if (a.rs() == 1 && REGISTER_TRANSPOSES && kc >= V) {
                // a transposed A (a weight gradient's input^T) by V x V register transposes; a float at a time, the
                // copy was 24% of fc1's weight gradient (1600 x 64 x 128) on a Zen 3
                blocked = mc / V * V;
                int columns = kc / V * V;
                for (int i = 0; i < blocked; i += V) {
                    int src = a.off() + ic + i + pc * a.cs();
                    for (int p = 0; p < columns; p += V) {
                        transposeBlock(d, src + p * a.cs(), a.cs(), out, i * kc + p, kc);
                    }
                    for (int p = columns; p < kc; p++) {
                        for (int r = 0; r < V; r++) {
                            out[(i + r) * kc + p] = d[src + p * a.cs() + r];
                        }
                    }
                }
            }
            for (int i0 = blocked; i0 < mc; i0 += MR) {
                int height = Math.min(MR, mc - i0);
                int o = i0 * kc;
                // MR rows at a time, so the writes go to MR lines and the reads along A's columns are adjacent
                for (int p = 0; p < kc; p++) {
                    int src = a.off() + (ic + i0) * a.rs() + (pc + p) * a.cs();
                    for (int r = 0; r < height; r++) {
                        out[o + r * kc + p] = d[src + r * a.rs()];
                    }
                }
            }
            return new RowPanels(out, 0, kc, 1, out, full * kc, true);
        }

        /**
         * A {@link #takeScratch} array for the edge rows, taken while a product uses it (conv1's weight gradient has 7
         * slices of k in each of 22 parallel slices, and each image's product of the conv's column layout its own).
         * The padding rows after {@code rows} are zeroed.
         */
        private static float[] takeEdge(int rows, int kc) {
            float[] edge = takeScratch();
            java.util.Arrays.fill(edge, rows * kc, MR * kc, 0f);
            return edge;
        }

        /** Hands the edge rows' array back to a free slot once the product's tiles are done (not A's own rows). */
        void release() {
            if (packed) {
                FloatBuffers.giveBack(data);
            } else if (edge != null && edge != data) {
                giveScratch(edge);
            }
        }

        /** The rows after the last full MR, copied as rows of kc and zero-padded to MR; null when there are none. */
        private static float[] edgeOf(Matrix a, int ic, int mc, int pc, int kc) {
            int full = mc / MR * MR;
            if (full == mc) {
                return null;
            }
            int rows = mc - full;
            float[] edge = takeEdge(rows, kc);
            float[] d = a.data();
            int src = a.off() + (ic + full) * a.rs() + pc * a.cs();
            // along k outside, the few rows inside: each step reads one short run of A's column (rows are adjacent
            // in a transposed A); a row at a time instead walked the whole slice of A once per row, through
            // Matrix.get, and cost more than the multiply for a 9-row weight gradient with k = 43,264
            for (int p = 0; p < kc; p++) {
                int s = src + p * a.cs();
                for (int r = 0; r < rows; r++) {
                    edge[r * kc + p] = d[s + r * a.rs()];
                }
            }
            return edge;
        }
    }

    /**
     * The tiles of C for the mc rows of A and column panels {@code jp0 <= jp < jp1} of the packed B (panel jp starts
     * at {@code jp * kc * NR}). Full tiles go straight to C, and so do full-width tiles of 4 rows (the 4-row kernels);
     * any other tile at the bottom or right edge is computed whole (A's short panel and B's last panel are zero-padded)
     * into a scratch tile and its part inside C copied out.
     */
    private static void macroKernel(RowPanels a, int mc, int kc, float[] b, int bBase, int jp0, int jp1, int nc, float[] c,
                                    int cBase, int ldc, boolean overwrite) {
        float[] tile = takeScratch();
        if ((long) kc * (NR + MR) * Float.BYTES <= l1dBytes) {
            // column panels outer: a panel of B (kc x NR floats) stays in L1 while the mc rows of A (in L2) pass under
            // it, MR floats of A from L2 per step of k; row panels outer streamed the whole packed block of B from L2
            // for every MR rows, NR floats per step (square 512: +5% GFLOP per CPU-s, A/B)
            for (int jp = jp0; jp < jp1; jp++) {
                int bOff = bBase + jp * kc * NR;
                for (int ip = fullTiles(a, mc, kc, b, bOff, jp, nc, c, cBase, ldc, overwrite); ip * MR < mc; ip++) {
                    tile(a, ip, mc, kc, b, bOff, jp, nc, c, cBase, ldc, overwrite, tile);
                }
            }
        } else {
            // a panel of B does not fit in L1 (KC x NR of 512-bit vectors in a 32 KiB L1): A's MR rows stay there
            // instead, each row of C written left to right
            for (int ip = 0; ip * MR < mc; ip++) {
                for (int jp = jp0; jp < jp1; jp++) {
                    tile(a, ip, mc, kc, b, bBase + jp * kc * NR, jp, nc, c, cBase, ldc, overwrite, tile);
                }
            }
        }
        giveScratch(tile);
    }

    /**
     * The full MR x NR tiles of column panel jp whose A rows are contiguous, top to bottom, by {@link #rowTiles};
     * returns the first row panel left for {@link #tile} (the edge rows, or 0 when this panel or A does not qualify).
     */
    private static int fullTiles(RowPanels a, int mc, int kc, float[] b, int bOff, int jp, int nc, float[] c, int cBase,
                                 int ldc, boolean overwrite) {
        int tiles = mc / MR;
        if (a.cs() != 1 || nc - jp * NR < NR || tiles == 0) {
            return 0;
        }
        rowTiles(a.data(), a.off(), a.rs(), b, bOff, kc, c, cBase + jp * NR, ldc, !overwrite, tiles);
        return tiles;
    }

    /**
     * The register kernel for {@code tiles} full tiles down one column panel, in a loop of its own: called through
     * {@link #tile}, inlined into its callers with their many live values, each tile's call spilled and reloaded its
     * ten arguments around the kernel, ~240 cycles a tile where a short k (64: conv2's input gradient) takes ~400 in
     * the kernel (a Zen 3 profile: 29% of that product). The same kernel per tile, so the same bits.
     */
    private static void rowTiles(float[] a, int aOff, int ars, float[] b, int bOff, int kc, float[] c, int cOff, int ldc,
                                 boolean addToC, int tiles) {
        for (int t = 0; t < tiles; t++) {
            if (MR == 4) {
                microKernel4(a, aOff + t * MR * ars, ars, b, bOff, kc, c, cOff + t * MR * ldc, ldc, addToC);
            } else {
                microKernel(a, aOff + t * MR * ars, ars, b, bOff, kc, c, cOff + t * MR * ldc, ldc, addToC);
            }
        }
    }

    /** The tile of C at row panel ip and column panel jp (see {@link #macroKernel}). */
    private static void tile(RowPanels a, int ip, int mc, int kc, float[] b, int bOff, int jp, int nc, float[] c,
                             int cBase, int ldc, boolean overwrite, float[] tile) {
        int cols = Math.min(NR, nc - jp * NR);
        int rows = Math.min(MR, mc - ip * MR);
        float[] ad = rows < MR ? a.edge() : a.data();
        int aOff = rows < MR ? a.edgeOff() : a.off() + ip * MR * a.rs();
        int ars = rows < MR ? kc : a.rs();
        boolean byColumns = rows == MR && a.cs() != 1;
        int cTile = cBase + ip * MR * ldc + jp * NR;
        if (rows == 4 && cols == NR && !byColumns) {
            // a batch of 64 rows ends with 4 (10 x MR + 4): straight to C from A's edge rows (copied as rows of kc);
            // with MR = 4 these are the full tiles
            microKernel4(ad, aOff, ars, b, bOff, kc, c, cTile, ldc, !overwrite);
        } else if (MR == 4 && rows == 4 && cols == NR) {
            if (overwrite) {
                microKernelStoreColumns4(ad, aOff, a.cs(), b, bOff, kc, c, cTile, ldc);
            } else {
                microKernelAddColumns4(ad, aOff, a.cs(), b, bOff, kc, c, cTile, ldc);
            }
        } else if (((MR - rows) | (NR - cols)) == 0) {
            // one test for both edges: as two (rows == MR && cols == NR), training's batches of 64 columns never
            // saw the second fail, C2 compiled it to a trap, and the evaluation's 1,000 columns (a last panel 8
            // wide) threw macroKernel back to C1; as one, any edge tile (bottom or right) trains both outcomes
            //
            // the column kernels stay two: training only ever stores with them (their k is one slice), so a flag's
            // add side would compile to a trap that the first product to take it deoptimises
            if (byColumns) {
                if (overwrite) {
                    microKernelStoreColumns(ad, aOff, a.cs(), b, bOff, kc, c, cTile, ldc);
                } else {
                    microKernelAddColumns(ad, aOff, a.cs(), b, bOff, kc, c, cTile, ldc);
                }
            } else {
                microKernel(ad, aOff, ars, b, bOff, kc, c, cTile, ldc, !overwrite);
            }
        } else {
            if (MR == 4) {
                if (byColumns) {
                    microKernelStoreColumns4(ad, aOff, a.cs(), b, bOff, kc, tile, 0, NR);
                } else {
                    microKernel4(ad, aOff, ars, b, bOff, kc, tile, 0, NR, false);
                }
            } else if (byColumns) {
                microKernelStoreColumns(ad, aOff, a.cs(), b, bOff, kc, tile, 0, NR);
            } else {
                microKernel(ad, aOff, ars, b, bOff, kc, tile, 0, NR, false);
            }
            copyOut(tile, rows, cols, c, cTile, ldc, overwrite);
        }
    }

    /**
     * Rows x cols of a scratch tile (rows NR apart) written over C or added to it, a vector at a time, the last of each
     * row masked, not a float at a time: conv2's input gradient (121 columns, a last panel 25 wide) copies 48 such
     * tiles of 6 x 25 per image.
     */
    private static void copyOut(float[] tile, int rows, int cols, float[] c, int cTile, int ldc, boolean overwrite) {
        for (int r = 0; r < rows; r++) {
            int ci = cTile + r * ldc;
            for (int j = 0; j < cols; j += V) {
                var inC = SPECIES.indexInRange(j, cols);
                FloatVector x = FloatVector.fromArray(SPECIES, tile, r * NR + j);
                if (!overwrite) {
                    x = x.add(FloatVector.fromArray(SPECIES, c, ci + j, inC));
                }
                x.intoArray(c, ci + j, inC);
            }
        }
    }

    /**
     * One MR x NR tile written over C, or added to it with addToC: element (r, p) of A at {@code a[aOff + r * ars + p]},
     * row p of B at {@code b[bOff + p * NR]}. One kernel for both, the choice a branch after the loop: as two kernels
     * (the same loop, a different write-back) C1 and C2 compiled it twice at each tier. A branch the JIT's profile
     * never saw taken compiles to a trap, but training takes both sides in its first step (a product over several
     * slices of k stores the first and adds the others), before C2 compiles the kernel.
     */
    private static void microKernel(float[] a, int aOff, int ars, float[] b, int bOff, int kc, float[] c, int cOff,
                                    int ldc, boolean addToC) {
        int o1 = ars;
        int o2 = 2 * ars;
        int o3 = 3 * ars;
        int o4 = 4 * ars;
        int o5 = 5 * ars;
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
        // every index below is the loop counter times a constant plus a loop invariant, so C2 checks the bounds once
        // before the loop instead of at every load (a variable stride kept a check at each of them)
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[ai + o4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[ai + o5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        // written out rather than through a helper: a helper called once per tile is not hot enough for C2 to
        // inline, and a vector passed to a method that is not inlined gets boxed (the adds then run as plain Java)
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        if (addToC) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + V));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + V));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + V));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + V));
            c40 = c40.add(FloatVector.fromArray(SPECIES, c, r4));
            c41 = c41.add(FloatVector.fromArray(SPECIES, c, r4 + V));
            c50 = c50.add(FloatVector.fromArray(SPECIES, c, r5));
            c51 = c51.add(FloatVector.fromArray(SPECIES, c, r5 + V));
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + V);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + V);
    }

    /**
     * {@link #microKernel} for 4 rows (the last of a batch of 64 = 10 x MR + 4): as an edge tile of MR rows through the
     * scratch tile, 2 rows were computed for nothing and 4 copied out one float at a time.
     */
    private static void microKernel4(float[] a, int aOff, int ars, float[] b, int bOff, int kc, float[] c, int cOff,
                                     int ldc, boolean addToC) {
        int o1 = ars;
        int o2 = 2 * ars;
        int o3 = 3 * ars;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        // every index below is the loop counter times a constant plus a loop invariant, so C2 checks the bounds once
        // before the loop instead of at every load (a variable stride kept a check at each of them)
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // written out rather than through a helper: a helper called once per tile is not hot enough for C2 to
        // inline, and a vector passed to a method that is not inlined gets boxed (the adds then run as plain Java)
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        if (addToC) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + V));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + V));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + V));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + V));
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
    }

    /** {@link #microKernel} for A read down its columns: element (r, p) of A at {@code a[aOff + r + p * acs]}, row p of B at {@code b[bOff + p * NR]}. */
    private static void microKernelStoreColumns(float[] a, int aOff, int acs, float[] b, int bOff, int kc, float[] c, int cOff,
                                         int ldc) {
        int o1 = 1;
        int o2 = 2;
        int o3 = 3;
        int o4 = 4;
        int o5 = 5;
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
        // B's index is the loop counter times a constant, checked once before the loop; A's column stride is a
        // variable, so its MR adjacent loads keep one combined check per step
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p * acs;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[ai + o4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[ai + o5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        // written out rather than through a helper: a helper called once per tile is not hot enough for C2 to
        // inline, and a vector passed to a method that is not inlined gets boxed (the adds then run as plain Java)
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + V);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + V);
    }

    /** {@link #microKernelStoreColumns} for 4 rows (MR = 4). */
    private static void microKernelStoreColumns4(float[] a, int aOff, int acs, float[] b, int bOff, int kc, float[] c, int cOff,
                                         int ldc) {
        int o1 = 1;
        int o2 = 2;
        int o3 = 3;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        // B's index is the loop counter times a constant, checked once before the loop; A's column stride is a
        // variable, so its 4 adjacent loads keep one combined check per step
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p * acs;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // written out rather than through a helper: a helper called once per tile is not hot enough for C2 to
        // inline, and a vector passed to a method that is not inlined gets boxed (the adds then run as plain Java)
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
    }

    /** {@link #microKernel} with addToC for A read down its columns: element (r, p) of A at {@code a[aOff + r + p * acs]}, row p of B at {@code b[bOff + p * NR]}. */
    private static void microKernelAddColumns(float[] a, int aOff, int acs, float[] b, int bOff, int kc, float[] c, int cOff,
                                       int ldc) {
        int o1 = 1;
        int o2 = 2;
        int o3 = 3;
        int o4 = 4;
        int o5 = 5;
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
        // B's index is the loop counter times a constant, checked once before the loop; A's column stride is a
        // variable, so its MR adjacent loads keep one combined check per step
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p * acs;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SPECIES, a[ai + o4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SPECIES, a[ai + o5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        // written out rather than through a helper: a helper called once per tile is not hot enough for C2 to
        // inline, and a vector passed to a method that is not inlined gets boxed (the adds then run as plain Java)
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
        c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + V));
        c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
        c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + V));
        c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
        c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + V));
        c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
        c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + V));
        c40 = c40.add(FloatVector.fromArray(SPECIES, c, r4));
        c41 = c41.add(FloatVector.fromArray(SPECIES, c, r4 + V));
        c50 = c50.add(FloatVector.fromArray(SPECIES, c, r5));
        c51 = c51.add(FloatVector.fromArray(SPECIES, c, r5 + V));
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + V);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + V);
    }

    /** {@link #microKernelAddColumns} for 4 rows (MR = 4). */
    private static void microKernelAddColumns4(float[] a, int aOff, int acs, float[] b, int bOff, int kc, float[] c, int cOff,
                                       int ldc) {
        int o1 = 1;
        int o2 = 2;
        int o3 = 3;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        // B's index is the loop counter times a constant, checked once before the loop; A's column stride is a
        // variable, so its 4 adjacent loads keep one combined check per step
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + V);
            int ai = aOff + p * acs;
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // written out rather than through a helper: a helper called once per tile is not hot enough for C2 to
        // inline, and a vector passed to a method that is not inlined gets boxed (the adds then run as plain Java)
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
        c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + V));
        c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
        c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + V));
        c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
        c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + V));
        c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
        c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + V));
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + V);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + V);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + V);
    }
}
