package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;

/** Maps the elements of a strided tensor, in row-major order, to positions in its storage. */
final class Strided {
    private Strided() {
    }

    /** True when the elements sit in storage in row-major order without gaps, starting at the offset. */
    static boolean isDense(Tensor t) {
        return t.isContiguous();
    }

    /** Storage position of each element, in row-major order. */
    static int[] offsets(Tensor t) {
        return offsets(t.shape(), t.stride(), t.storageOffset());
    }

    static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int nd = shape.length;
        if (nd == 0) {
            out[0] = offset;
            return out;
        }
        int inner = shape[nd - 1];
        int innerStride = strides[nd - 1];
        int[] index = new int[nd];
        int base = offset;
        int pos = 0;
        while (true) {
            for (int j = 0, p = base; j < inner; j++, p += innerStride) {
                out[pos++] = p;
            }
            int d = nd - 2;
            while (d >= 0) {
                index[d]++;
                base += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * shape[d];
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    /**
     * Copies a strided float32 view into {@code dst} in row-major order, walking dims without an offsets table; a large
     * view is copied in slices of its first dim on all cores.
     */
    static void gatherFloats(float[] src, int[] shape, int[] strides, int offset, float[] dst) {
        int n = dst.length;
        if (shape.length == 2 && strides[0] == 1 && strides[1] != 1 && shape[0] >= TILE && shape[1] >= TILE) {
            int bands = (shape[0] + TILE - 1) / TILE;
            Parallel.when(n >= (1 << 16), bands).forEach(band -> transpose(src, band * TILE, Math.min(shape[0], (band + 1) * TILE),
                    shape[1], strides[1], offset, dst));
            return;
        }
        if (shape.length >= 2 && shape[0] > 1 && n >= (1 << 16)) {
            int[] inner = java.util.Arrays.copyOfRange(shape, 1, shape.length);
            int[] innerStrides = java.util.Arrays.copyOfRange(strides, 1, strides.length);
            int slice = n / shape[0];
            Parallel.range(shape[0])
                    .forEach(i -> gatherFloats(src, inner, innerStrides, offset + i * strides[0], dst, i * slice, slice));
            return;
        }
        gatherFloats(src, shape, strides, offset, dst, 0, n);
    }

    private static void gatherFloats(float[] src, int[] shape, int[] strides, int offset, float[] dst, int dstOff, int n) {
        int nd = shape.length;
        if (n == 0) {
            return;
        }

        if (nd == 0) {
            dst[dstOff] = src[offset];
            return;
        }
        int inner = shape[nd - 1];
        int innerStride = strides[nd - 1];
        int[] index = new int[nd];
        int base = offset;
        int pos = dstOff;
        while (true) {
            if (innerStride == 1) {
                System.arraycopy(src, base, dst, pos, inner);
                pos += inner;
            } else {
                for (int j = 0, p = base; j < inner; j++, p += innerStride) {
                    dst[pos++] = src[p];
                }
            }
            int d = nd - 2;
            while (d >= 0) {
                index[d]++;
                base += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * shape[d];
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static final int TILE = 16;

    /**
     * Rows r0..r1 of a transposed matrix (element (r, c) at {@code offset + r + c * colStride}) copied in TILE x TILE
     * tiles: the cache lines of a tile's source columns and destination rows are reused before they are evicted, where
     * a row-by-row copy of a wide matrix (a weight gradient of 256 x 784) touches a new source line per element.
     */
    private static void transpose(float[] src, int r0, int r1, int cols, int colStride, int offset, float[] dst) {
        for (int c0 = 0; c0 < cols; c0 += TILE) {
            int c1 = Math.min(cols, c0 + TILE);
            for (int c = c0; c < c1; c++) {
                int from = offset + c * colStride;
                for (int r = r0; r < r1; r++) {
                    dst[r * cols + c] = src[from + r];
                }
            }
        }
    }

    /**
     * The runs of two strided operands of one shape, in row-major order, one innermost run at a time, after merging dims
     * that both operands lay out contiguously relative to each other (so a contiguous tensor plus a per-channel bias runs
     * over whole planes). No offsets table is built. A cursor rather than a callback: each caller's loop over the runs is
     * compiled with its own body inlined, where one walker calling several callers' lambdas was recompiled each time the
     * JIT met another of them.
     * <pre>for (Strided.Runs r = Strided.runs(...); r.next(); ) { out r.out.., inputs at r.a + j * r.aStride, r.b + j * r.bStride }</pre>
     */
    static Runs runs(int[] shape, int[] sa, int oa, int[] sb, int ob) {
        return new Runs(shape, sa, oa, sb, ob);
    }

    static final class Runs {
        /** Elements per run and the operands' strides along it. */
        final int len;
        final int aStride;
        final int bStride;
        /** The current run: its first output position and the storage positions of its first elements. */
        int out;
        int a;
        int b;
        private final int[] dims;
        private final int[] as;
        private final int[] bs;
        private final int[] index;
        private final int k;
        private int runsLeft;
        private boolean started;

        private Runs(int[] shape, int[] sa, int oa, int[] sb, int ob) {
            int nd = shape.length;
            dims = new int[Math.max(nd, 1)];
            as = new int[Math.max(nd, 1)];
            bs = new int[Math.max(nd, 1)];
            int merged = 0;
            for (int d = 0; d < nd; d++) {
                if (shape[d] == 1) {
                    continue;
                }
                if (merged > 0 && as[merged - 1] == sa[d] * shape[d] && bs[merged - 1] == sb[d] * shape[d]) {
                    dims[merged - 1] *= shape[d];
                    as[merged - 1] = sa[d];
                    bs[merged - 1] = sb[d];
                } else {
                    dims[merged] = shape[d];
                    as[merged] = sa[d];
                    bs[merged] = sb[d];
                    merged++;
                }
            }
            k = merged;
            index = new int[Math.max(k, 1)];
            a = oa;
            b = ob;
            if (k == 0) {
                len = 1;
                aStride = 0;
                bStride = 0;
            } else {
                len = dims[k - 1];
                aStride = as[k - 1];
                bStride = bs[k - 1];
            }
            int count = 1;
            for (int d = 0; d < k - 1; d++) {
                count *= dims[d];
            }
            for (int d = 0; d < nd; d++) {
                if (shape[d] == 0) {
                    count = 0;
                }
            }
            runsLeft = count;
        }

        /** Moves to the next run; false when there is none left. */
        boolean next() {
            if (runsLeft == 0) {
                return false;
            }
            if (started) {
                advance();
            }
            started = true;
            runsLeft--;
            return true;
        }

        private void advance() {
            out += len;
            int d = k - 2;
            while (d >= 0) {
                index[d]++;
                a += as[d];
                b += bs[d];
                if (index[d] < dims[d]) {
                    return;
                }
                a -= as[d] * dims[d];
                b -= bs[d] * dims[d];
                index[d] = 0;
                d--;
            }
        }
    }
}
