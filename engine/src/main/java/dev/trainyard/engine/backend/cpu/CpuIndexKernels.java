package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

import java.util.Arrays;

/**
 * The CPU indexing primitives: take and put over flat row-major positions, cumulative sum and stable argsort along a
 * dim. Inputs may be strided views; results are new contiguous tensors. Elements move in their own type (no rounding
 * through double), so int64 values keep all their bits.
 */
final class CpuIndexKernels {
    private static final int SHORT_BLOCK = 16;

    private CpuIndexKernels() {
    }

    // ---- take / put ----

    static Tensor take(Tensor x, Tensor index) {
        int n = index.numel();
        long[] flat = longValues(index);
        int[] from = storagePositions(x, flat, "take");
        int[] to = new int[n];
        Arrays.setAll(to, i -> i);
        Storage out = Storage.allocate(x.dtype(), n);
        transfer(x.storage(), from, out, to, false);
        return Tensor.wrap(out, index.shape());
    }

    /**
     * The slices of {@code x} along {@code dim} at the checked {@code index}. Each selected slice is, for every
     * position of the dims before {@code dim}, one block of the dims after it; a block that sits in storage without
     * gaps (any contiguous source, e.g. the rows of a batch) is one array copy, any other is copied element by element.
     */
    static Tensor indexSelect(Tensor x, int dim, long[] index) {
        int[] shape = x.shape();
        int[] strides = x.stride();
        int[] outShape = shape.clone();
        outShape[dim] = index.length;
        int n = Shapes.numel(outShape);
        Storage out = x.dtype() == DType.FLOAT32 ? Storage.uninitializedFloats(n) : Storage.allocate(x.dtype(), n);
        if (n == 0) {
            return Tensor.wrap(out, outShape);
        }
        int[] blockShape = Arrays.copyOfRange(shape, dim + 1, shape.length);
        int[] blockStrides = Arrays.copyOfRange(strides, dim + 1, strides.length);
        int block = Shapes.numel(blockShape);
        // short blocks (a label per index) are cheaper copied in a loop than by an array copy each
        int[] blockOffsets = block >= SHORT_BLOCK && Shapes.isRowMajor(blockShape, blockStrides) ? null
                : Strided.offsets(blockShape, blockStrides, 0);
        int[] outerStarts = Strided.offsets(Arrays.copyOf(shape, dim), Arrays.copyOf(strides, dim), x.storageOffset());
        Object from = x.storage().array();
        Object to = out.array();
        int stride = strides[dim];
        int q = 0;
        for (int outer : outerStarts) {
            for (long i : index) {
                int start = outer + (int) i * stride;
                if (blockOffsets == null) {
                    System.arraycopy(from, start, to, q, block);
                } else {
                    copyElements(x.storage(), start, blockOffsets, out, q);
                }
                q += block;
            }
        }
        return Tensor.wrap(out, outShape);
    }


    /** {@code to[q + j] = from[start + offsets[j]]} for every j; one dtype. */
    private static void copyElements(Storage from, int start, int[] offsets, Storage to, int q) {
        int n = offsets.length;
        switch (from.dtype()) {
            case FLOAT32 -> {
                float[] a = from.floats();
                float[] o = to.floats();
                for (int j = 0; j < n; j++) {
                    o[q + j] = a[start + offsets[j]];
                }
            }
            case FLOAT64 -> {
                double[] a = from.doubles();
                double[] o = to.doubles();
                for (int j = 0; j < n; j++) {
                    o[q + j] = a[start + offsets[j]];
                }
            }
            case INT64 -> {
                long[] a = from.longs();
                long[] o = to.longs();
                for (int j = 0; j < n; j++) {
                    o[q + j] = a[start + offsets[j]];
                }
            }
            case INT32 -> {
                int[] a = from.ints();
                int[] o = to.ints();
                for (int j = 0; j < n; j++) {
                    o[q + j] = a[start + offsets[j]];
                }
            }
            case UINT8, BOOL -> {
                byte[] a = from.bytes();
                byte[] o = to.bytes();
                for (int j = 0; j < n; j++) {
                    o[q + j] = a[start + offsets[j]];
                }
            }
        }
    }

    static Tensor put(Tensor x, Tensor index, Tensor src, boolean accumulate) {
        int n = index.numel();
        if (src.numel() != n) {
            throw new IllegalArgumentException("put: index has " + n + " elements (shape " + Arrays.toString(index.shape())
                    + ") but src has " + src.numel() + " (shape " + Arrays.toString(src.shape()) + ")");
        }
        Tensor out = isBroadcastZero(x) ? Tensor.wrap(Storage.allocate(x.dtype(), x.numel()), x.shape())
                : CpuKernels.INSTANCE.copy(x, x.dtype());
        int size = out.numel();
        long[] flat = longValues(index);
        if (accumulate && x.dtype() == DType.FLOAT32 && src.dtype() == DType.FLOAT32 && src.isContiguous()) {
            // a gradient scattered into zeros (max pooling's backward): one pass, no tables of positions
            float[] o = out.storage().floats();
            float[] a = src.storage().floats();
            int srcOff = src.storageOffset();
            for (int i = 0; i < n; i++) {
                long f = flat[i];
                if (f < 0 || f >= size) {
                    throw outOfBounds(f, x.shape(), size);
                }
                o[(int) f] += a[srcOff + i];
            }
            return out;
        }
        int[] to = new int[n];
        for (int i = 0; i < n; i++) {
            long f = flat[i];
            if (f < 0 || f >= size) {
                throw outOfBounds(f, x.shape(), size);
            }
            to[i] = (int) f;
        }
        Tensor s = src.dtype() == x.dtype() ? src : CpuKernels.INSTANCE.copy(src, x.dtype());
        transfer(s.storage(), Strided.offsets(s), out.storage(), to, accumulate);
        return out;
    }

    /** A zero expanded to a shape (every stride 0): a new tensor of it is already zeroed, nothing to copy. */
    private static boolean isBroadcastZero(Tensor x) {
        for (int st : x.stride()) {
            if (st != 0) {
                return false;
            }
        }
        Storage s = x.storage();
        // +0.0 only: a -0.0 would have to stay -0.0 where nothing is added
        return x.dtype().isFloatingPoint() ? Double.doubleToRawLongBits(s.getDouble(x.storageOffset())) == 0
                : s.getLong(x.storageOffset()) == 0;
    }

    private static IndexOutOfBoundsException outOfBounds(long position, int[] shape, int size) {
        return new IndexOutOfBoundsException("put: flat position " + position + " is out of bounds for a tensor of shape "
                + Arrays.toString(shape) + " (" + size + " elements)");
    }

    /** The values of an integer tensor in row-major order, without copying when it already is a dense int64 array. */
    private static long[] longValues(Tensor t) {
        Storage s = t.storage();
        if (s.dtype() == DType.INT64 && t.isContiguous() && t.storageOffset() == 0 && s.size() == t.numel()) {
            return s.longs();
        }
        return CpuKernels.INSTANCE.copy(t, DType.INT64).storage().longs();
    }

    /** Storage positions of the elements of {@code x} at row-major positions {@code flat}, checking each. */
    private static int[] storagePositions(Tensor x, long[] flat, String op) {
        int size = x.numel();
        int[] shape = x.shape();
        int[] strides = x.stride();
        int offset = x.storageOffset();
        boolean dense = x.isContiguous();
        int[] pos = new int[flat.length];
        for (int i = 0; i < flat.length; i++) {
            long f = flat[i];
            if (f < 0 || f >= size) {
                throw new IndexOutOfBoundsException(op + ": flat position " + f + " is out of bounds for a tensor of shape "
                        + Arrays.toString(shape) + " (" + size + " elements)");
            }
            if (dense) {
                pos[i] = offset + (int) f;
            } else {
                int rest = (int) f;
                int p = offset;
                for (int d = shape.length - 1; d >= 0 && rest > 0; d--) {
                    p += (rest % shape[d]) * strides[d];
                    rest /= shape[d];
                }
                pos[i] = p;
            }
        }
        return pos;
    }

    /** {@code to[toPos[i]] = from[fromPos[i]]}, or {@code +=} with {@code add} (logical or for bool); one dtype. */
    private static void transfer(Storage from, int[] fromPos, Storage to, int[] toPos, boolean add) {
        int n = fromPos.length;
        switch (from.dtype()) {
            case FLOAT32 -> {
                float[] a = from.floats();
                float[] o = to.floats();
                if (add) {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] += a[fromPos[i]];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] = a[fromPos[i]];
                    }
                }
            }
            case FLOAT64 -> {
                double[] a = from.doubles();
                double[] o = to.doubles();
                if (add) {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] += a[fromPos[i]];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] = a[fromPos[i]];
                    }
                }
            }
            case INT64 -> {
                long[] a = from.longs();
                long[] o = to.longs();
                if (add) {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] += a[fromPos[i]];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] = a[fromPos[i]];
                    }
                }
            }
            case INT32 -> {
                int[] a = from.ints();
                int[] o = to.ints();
                if (add) {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] += a[fromPos[i]];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        o[toPos[i]] = a[fromPos[i]];
                    }
                }
            }
            case UINT8, BOOL -> {
                byte[] a = from.bytes();
                byte[] o = to.bytes();
                boolean bool = from.dtype() == DType.BOOL;
                for (int i = 0; i < n; i++) {
                    int t = toPos[i];
                    byte v = a[fromPos[i]];
                    o[t] = !add ? v : bool ? (byte) (o[t] | v) : (byte) (o[t] + v);
                }
            }
        }
    }

    // ---- along a dim ----

    /** Storage positions of x's elements ordered slice by slice along {@code dim} (each slice's elements adjacent). */
    private static int[] slicePositions(int[] shape, int[] strides, int offset, int dim) {
        int nd = shape.length;
        int[] s = new int[nd];
        int[] st = new int[nd];
        for (int d = 0, k = 0; d < nd; d++) {
            if (d != dim) {
                s[k] = shape[d];
                st[k++] = strides[d];
            }
        }
        s[nd - 1] = shape[dim];
        st[nd - 1] = strides[dim];
        return Strided.offsets(s, st, offset);
    }

    static Tensor cumsum(Tensor x, int dim) {
        int[] shape = x.shape();
        int n = x.numel();
        if (shape.length == 0 || n == 0) {
            return CpuKernels.INSTANCE.copy(x, x.dtype());
        }
        int len = shape[dim];
        int[] from = slicePositions(shape, x.stride(), x.storageOffset(), dim);
        int[] to = slicePositions(shape, Shapes.contiguousStrides(shape), 0, dim);
        Storage in = x.storage();
        Storage out = Storage.allocate(x.dtype(), n);
        boolean floating = x.dtype().isFloatingPoint();
        for (int start = 0; start < n; start += len) {
            if (floating) {
                // accumulate in double and round each prefix once, as PyTorch's CPU kernel does for float32
                double acc = 0;
                for (int j = start; j < start + len; j++) {
                    acc += in.getDouble(from[j]);
                    out.setDouble(to[j], acc);
                }
            } else {
                long acc = 0;
                for (int j = start; j < start + len; j++) {
                    acc += in.getLong(from[j]);
                    out.setLong(to[j], acc);
                }
            }
        }
        return Tensor.wrap(out, shape);
    }

    static Tensor argsort(Tensor x, int dim, boolean descending) {
        int[] shape = x.shape();
        int n = x.numel();
        long[] result = new long[n];
        if (shape.length == 0 || n == 0) {
            return Tensor.wrap(Storage.wrap(result), shape);
        }
        int len = shape[dim];
        int[] from = slicePositions(shape, x.stride(), x.storageOffset(), dim);
        int[] to = slicePositions(shape, Shapes.contiguousStrides(shape), 0, dim);
        Storage in = x.storage();
        DType dtype = x.dtype();
        // keys of at most 32 bits are packed with their position into one long: a plain sort is then stable
        boolean packed = dtype != DType.FLOAT64 && dtype != DType.INT64;
        long[] keys = new long[len];
        int[] perm = new int[len];
        int[] tmp = packed ? null : new int[len];
        for (int start = 0; start < n; start += len) {
            for (int j = 0; j < len; j++) {
                long k = sortKey(in, from[start + j], dtype);
                if (descending) {
                    k = ~k;
                }
                if (packed) {
                    keys[j] = k << 32 | j;
                } else {
                    keys[j] = k;
                    perm[j] = j;
                }
            }
            if (packed) {
                Arrays.sort(keys);
                for (int j = 0; j < len; j++) {
                    result[to[start + j]] = (int) keys[j];
                }
            } else {
                mergeSort(perm, tmp, keys);
                for (int j = 0; j < len; j++) {
                    result[to[start + j]] = perm[j];
                }
            }
        }
        return Tensor.wrap(Storage.wrap(result), shape);
    }

    /**
     * A signed long ordered like the element: NaN above +inf, -0.0 equal to 0.0. Float32, int32, uint8 and bool keys
     * fit in an int.
     */
    private static long sortKey(Storage s, int pos, DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> {
                float f = s.floats()[pos];
                int b = f == 0 ? 0 : Float.floatToIntBits(f);
                yield b ^ ((b >> 31) & 0x7fffffff);
            }
            case FLOAT64 -> {
                double d = s.doubles()[pos];
                long b = d == 0 ? 0 : Double.doubleToLongBits(d);
                yield b ^ ((b >> 63) & 0x7fffffffffffffffL);
            }
            default -> s.getLong(pos);
        };
    }

    /** Stable bottom-up merge sort of positions {@code a} by {@code keys[a[i]]}; insertion sort for short runs first. */
    static void mergeSort(int[] a, int[] tmp, long[] keys) {
        int n = a.length;
        final int run = 16;
        for (int lo = 0; lo < n; lo += run) {
            int hi = Math.min(lo + run, n);
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i];
                long kv = keys[v];
                int j = i - 1;
                while (j >= lo && keys[a[j]] > kv) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }
        for (int width = run; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                if (keys[a[mid - 1]] <= keys[a[mid]]) {
                    continue;
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = keys[a[j]] < keys[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
    }
}
