package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.backend.Storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Indexing, joining and ordering ops. Everything that picks or writes elements by index lowers to two kernel
 * primitives over flat row-major positions, {@code take} and {@code put}: an op validates its indices, computes the
 * positions with ordinary int64 tensor arithmetic, and applies {@link Take} or {@link Put}, whose gradients are each
 * other. Ordering uses the {@code argsort} primitive, with values gathered through {@link Take} so they are
 * differentiable; cumsum has its own primitive. Joining and splitting are copies into and views of narrowed slices.
 */
public final class Indexing {
    private Indexing() {
    }

    // ------------------------------------------------------------------ cumsum

    /** Cumulative sum along {@code dim}; integer and bool inputs give int64, as in PyTorch. */
    public static Tensor cumsum(Tensor x, int dim) {
        int d = Shapes.wrapDim(dim, x.dim(), "cumsum");
        if (x.dim() == 0) {
            return cumsum(x.reshape(1), 0).reshape();
        }
        if (!x.dtype().isFloatingPoint()) {
            Tensor in = x.to(DType.INT64);
            return in.device().kernels().cumsum(in, d);
        }
        return new Cumsum(d).apply(x);
    }

    // ------------------------------------------------------------------ gather / scatter

    /** {@code out[i][j] = x[index[i][j]][j]} for dim 0, and so on: picks along {@code dim} at the index's positions. */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        Tensor idx = indexTensor("gather", "index", index);
        int d = Shapes.wrapDim(dim, x.dim(), "gather");
        int[] xs = atLeast1d(x.shape());
        int[] is = atLeast1d(idx.shape());
        if (is.length != xs.length) {
            throw new IllegalArgumentException("gather: index must have as many dimensions as the input, got index "
                    + Arrays.toString(idx.shape()) + " and input " + Arrays.toString(x.shape()));
        }
        for (int e = 0; e < xs.length; e++) {
            if (e != d && is[e] > xs[e]) {
                throw new IllegalArgumentException("gather: index " + Arrays.toString(idx.shape()) + " is larger than input "
                        + Arrays.toString(x.shape()) + " in dimension " + e + " (only dimension " + d + " may be larger)");
            }
        }
        checkRange("gather", idx, d, xs[d], false);
        return gatherUnchecked("GatherBackward0", x, d, idx);
    }

    /** {@link #gather} without validation, for indices an op produced itself; the result has the index's shape. */
    private static Tensor gatherUnchecked(String name, Tensor x, int d, Tensor idx) {
        Tensor positions = flatPositions(atLeast1d(x.shape()), d, atLeast1d(idx));
        return new Take(name, idx.dim() == 0 ? positions.reshape() : positions).apply(x);
    }

    /** Out of place {@code scatter_}: a copy of {@code x} with {@code src}'s elements written at the index's positions. */
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        return scatterOp("scatter", "ScatterBackward0", x, dim, index, src, false);
    }

    /** Out of place {@code scatter_} of one value: a copy of {@code x} with {@code value} at the index's positions. */
    public static Tensor scatter(Tensor x, int dim, Tensor index, double value) {
        Tensor src = Tensor.full(index.shape(), value, x.dtype());
        return scatterOp("scatter", "ScatterBackward1", x, dim, index, src, false);
    }

    /** Out of place {@code scatter_add_}: a copy of {@code x} with {@code src}'s elements added at the index's positions. */
    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        return scatterOp("scatterAdd", "ScatterAddBackward0", x, dim, index, src, true);
    }

    private static Tensor scatterOp(String op, String name, Tensor x, int dim, Tensor index, Tensor src, boolean accumulate) {
        Tensor idx = indexTensor(op, "index", index);
        if (src.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": expected src to have the input's dtype " + x.dtype() + ", got "
                    + src.dtype());
        }
        int d = Shapes.wrapDim(dim, x.dim(), op);
        int[] xs = atLeast1d(x.shape());
        int[] is = atLeast1d(idx.shape());
        int[] ss = atLeast1d(src.shape());
        if (is.length != xs.length || ss.length != xs.length) {
            throw new IllegalArgumentException(op + ": index and src must have as many dimensions as the input, got input "
                    + Arrays.toString(x.shape()) + ", index " + Arrays.toString(idx.shape()) + " and src "
                    + Arrays.toString(src.shape()));
        }
        for (int e = 0; e < xs.length; e++) {
            if ((e != d && is[e] > xs[e]) || is[e] > ss[e]) {
                throw new IllegalArgumentException(op + ": index " + Arrays.toString(idx.shape()) + " must be no larger than src "
                        + Arrays.toString(src.shape()) + " in every dimension and no larger than the input "
                        + Arrays.toString(x.shape()) + " apart from dimension " + d + ", but dimension " + e + " differs");
            }
        }
        checkRange(op, idx, d, xs[d], false);
        Tensor srcUsed = atLeast1d(src);
        for (int e = 0; e < ss.length; e++) {
            if (ss[e] != is[e]) {
                srcUsed = srcUsed.narrow(e, 0, is[e]);
            }
        }
        Tensor positions = flatPositions(xs, d, atLeast1d(idx));
        Tensor out = new Put(name, positions, accumulate).apply(atLeast1d(x), srcUsed);
        return x.dim() == 0 ? out.reshape() : out;
    }

    // ------------------------------------------------------------------ indexSelect / masks

    /** The slices of {@code x} along {@code dim} at the positions in a 1-D index, as {@code torch.index_select}. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        Tensor idx = indexTensor("indexSelect", "index", index);
        if (idx.dim() > 1) {
            throw new IllegalArgumentException("indexSelect: index must be a vector (at most 1-D), got shape "
                    + Arrays.toString(idx.shape()));
        }
        int d = Shapes.wrapDim(dim, x.dim(), "indexSelect");
        long[] positions = idx.toLongArray();
        checkRange("indexSelect", positions, d, atLeast1d(x.shape())[d]);
        Tensor out = new IndexSelect(d, positions).apply(x);
        return x.dim() == 0 ? out.reshape(idx.shape()) : out;
    }

    /** {@code x} with {@code value} where the bool {@code mask} (broadcast with x) is true; keeps x's dtype. */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        checkMask("maskedFill", mask);
        Shapes.broadcast(x.shape(), mask.shape(), "maskedFill");
        return Tensor.where(mask, Tensor.full(new int[0], value, x.dtype()), x);
    }

    /** The elements of {@code x} where the bool {@code mask} is true (both broadcast), as a 1-D tensor. */
    public static Tensor maskedSelect(Tensor x, Tensor mask) {
        checkMask("maskedSelect", mask);
        int[] shape = Shapes.broadcast(x.shape(), mask.shape(), "maskedSelect");
        Tensor positions = truePositions(mask.expand(shape));
        return new Take("MaskedSelectBackward0", positions).apply(x.expand(shape));
    }

    /**
     * PyTorch's advanced indexing {@code x[i0, i1, ...]} for the leading dims: int64 or int32 index tensors,
     * broadcast together to a shape B, pick {@code x[i0[b], i1[b], ...]}; the result has shape B followed by the
     * unindexed dims. Negative indices count from the end. A single bool tensor is a mask over the leading
     * {@code mask.dim()} dims, as {@code x[mask]}.
     */
    public static Tensor index(Tensor x, Tensor... indices) {
        if (indices.length == 0) {
            return x.view(x.shape());
        }
        boolean anyBool = false;
        for (Tensor t : indices) {
            anyBool |= t.dtype() == DType.BOOL;
        }
        if (anyBool) {
            if (indices.length != 1) {
                throw new IllegalArgumentException("index: a bool mask must be the only index, got " + indices.length
                        + " indices");
            }
            return indexByMask(x, indices[0]);
        }
        int k = indices.length;
        if (k > x.dim()) {
            throw new IndexOutOfBoundsException("index: too many indices for a tensor of dimension " + x.dim() + " (got "
                    + k + ")");
        }
        Tensor[] idx = new Tensor[k];
        int[] b = new int[0];
        for (int j = 0; j < k; j++) {
            if (indices[j].dtype() != DType.INT64 && indices[j].dtype() != DType.INT32) {
                throw new IllegalArgumentException("index: tensors used as indices must be int64, int32 or bool, got "
                        + indices[j].dtype() + " at position " + j);
            }
            idx[j] = indices[j].to(DType.INT64);
            b = broadcastIndices(b, idx[j].shape(), indices, j);
        }
        int[] shape = x.shape();
        int[] strides = Shapes.contiguousStrides(shape);
        Tensor lead = Tensor.zeros(b, DType.INT64);
        for (int j = 0; j < k; j++) {
            checkRange("index", idx[j], j, shape[j], true);
            Tensor wrapped = idx[j].remainder(Math.max(shape[j], 1));
            lead = lead.add(wrapped.mul((long) strides[j]));
        }
        int[] outShape = new int[b.length + shape.length - k];
        System.arraycopy(b, 0, outShape, 0, b.length);
        System.arraycopy(shape, k, outShape, b.length, shape.length - k);
        int[] leadView = new int[outShape.length];
        Arrays.fill(leadView, 1);
        System.arraycopy(b, 0, leadView, 0, b.length);
        Tensor positions = lead.reshape(leadView);
        for (int d = k; d < shape.length; d++) {
            positions = positions.add(axisOffsets(outShape.length, b.length + d - k, shape[d], strides[d]));
        }
        return new Take("IndexBackward0", positions.expand(outShape).contiguous()).apply(x);
    }

    private static int[] broadcastIndices(int[] b, int[] shape, Tensor[] indices, int j) {
        try {
            return Shapes.broadcast(b, shape, "index");
        } catch (IllegalArgumentException e) {
            StringBuilder shapes = new StringBuilder();
            for (int i = 0; i <= j; i++) {
                shapes.append(i == 0 ? "" : ", ").append(Arrays.toString(indices[i].shape()));
            }
            throw new IllegalArgumentException("index: shape mismatch: indexing tensors could not be broadcast together with "
                    + "shapes " + shapes, e);
        }
    }

    private static Tensor indexByMask(Tensor x, Tensor mask) {
        int[] ms = mask.shape();
        int[] xs = x.shape();
        if (ms.length > xs.length) {
            throw new IndexOutOfBoundsException("index: too many indices for a tensor of dimension " + xs.length
                    + " (a bool mask of " + ms.length + " dimensions)");
        }
        for (int d = 0; d < ms.length; d++) {
            if (ms[d] != xs[d]) {
                throw new IndexOutOfBoundsException("index: the shape of the mask " + Arrays.toString(ms) + " at index " + d
                        + " does not match the shape of the indexed tensor " + Arrays.toString(xs) + " at index " + d);
            }
        }
        int[] flat = new int[xs.length - ms.length + 1];
        flat[0] = Shapes.numel(ms);
        System.arraycopy(xs, ms.length, flat, 1, xs.length - ms.length);
        Tensor rows = truePositions(mask);
        int[] strides = Shapes.contiguousStrides(flat);
        int[] outShape = flat.clone();
        outShape[0] = rows.numel();
        int[] leadView = new int[flat.length];
        Arrays.fill(leadView, 1);
        leadView[0] = rows.numel();
        Tensor positions = rows.mul((long) strides[0]).reshape(leadView);
        for (int d = 1; d < flat.length; d++) {
            positions = positions.add(axisOffsets(flat.length, d, flat[d], strides[d]));
        }
        return new Take("IndexBackward0", positions.expand(outShape).contiguous()).apply(x.reshape(flat));
    }

    // ------------------------------------------------------------------ joining and splitting

    /**
     * Concatenates along {@code dim}. Inputs are promoted to a common dtype as in PyTorch; 1-D empty tensors are
     * skipped whatever their rank, for compatibility with code that starts from {@code Tensor.empty(0)}.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        Tensor ref = null;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() == 0) {
                throw new IllegalArgumentException("cat: zero-dimensional tensor (at position " + i + ") cannot be "
                        + "concatenated; unsqueeze it or use stack");
            }
            if (ref == null && !isLegacyEmpty(t)) {
                ref = t;
            }
        }
        if (ref == null) {
            ref = tensors.get(0);
        }
        int d = Shapes.wrapDim(dim, ref.dim(), "cat");
        int[] refShape = ref.shape();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == ref || isLegacyEmpty(t)) {
                continue;
            }
            if (!t.device().equals(ref.device())) {
                throw new IllegalArgumentException("cat: expected all tensors to be on the same device, but found "
                        + ref.device() + " and " + t.device() + " (at position " + i + ")");
            }
            if (t.dim() != refShape.length) {
                throw new IllegalArgumentException("cat: tensors must have the same number of dimensions, got "
                        + refShape.length + " and " + t.dim() + " (at position " + i + ")");
            }
            for (int e = 0; e < refShape.length; e++) {
                if (e != d && t.size(e) != refShape[e]) {
                    throw new IllegalArgumentException("cat: tensors must have the same shape except in dim " + d + ", got "
                            + Arrays.toString(refShape) + " and " + Arrays.toString(t.shape()) + " (at position " + i + ")");
                }
            }
        }
        DType dtype = tensors.get(0).dtype();
        for (Tensor t : tensors) {
            dtype = DType.promote(dtype, t.dtype());
        }
        Tensor[] in = new Tensor[tensors.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = Elementwise.cast(tensors.get(i), dtype);
        }
        return new Cat(d, isLegacyEmpty(ref) ? -1 : refShape.length).apply(in);
    }

    private static boolean isLegacyEmpty(Tensor t) {
        return t.dim() == 1 && t.numel() == 0;
    }

    /** Joins same-shape tensors along a new dim {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        int[] shape = tensors.get(0).shape();
        for (int i = 1; i < tensors.size(); i++) {
            if (!Arrays.equals(tensors.get(i).shape(), shape)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got "
                        + Arrays.toString(shape) + " at entry 0 and " + Arrays.toString(tensors.get(i).shape())
                        + " at entry " + i);
            }
        }
        int d = Shapes.wrapDim(dim, shape.length + 1, "stack");
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            parts.add(t.unsqueeze(d));
        }
        return cat(parts, d);
    }

    /** Views of consecutive pieces of {@code splitSize} along {@code dim}; the last may be smaller. */
    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = splitDim(x, dim, "split");
        int size = x.size(d);
        if (splitSize < 0 || (splitSize == 0 && size != 0)) {
            throw new IllegalArgumentException("split: split size must be positive (0 only for a dimension of size 0), got "
                    + splitSize + " for dimension " + d + " of size " + size);
        }
        int pieces = splitSize == 0 ? 1 : Math.max(1, (size + splitSize - 1) / splitSize);
        List<Tensor> out = new ArrayList<>(pieces);
        for (int i = 0; i < pieces; i++) {
            int start = i * splitSize;
            out.add(x.narrow(d, start, Math.min(splitSize, size - start)));
        }
        return out;
    }

    /** Views of consecutive pieces with the given sizes along {@code dim}; the sizes must add up to the dim's size. */
    public static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = splitDim(x, dim, "split");
        int size = x.size(d);
        long total = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: split sizes must be non-negative, got " + Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != size) {
            throw new IllegalArgumentException("split: split sizes " + Arrays.toString(sizes) + " add up to " + total
                    + ", not to " + size + ", the size of dimension " + d + " of a tensor of shape "
                    + Arrays.toString(x.shape()));
        }
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, start, s));
            start += s;
        }
        return out;
    }

    /** Splits into {@code chunks} views of {@code ceil(size / chunks)}, as {@code torch.chunk} (possibly fewer pieces). */
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: number of chunks must be greater than 0, got " + chunks);
        }
        int d = splitDim(x, dim, "chunk");
        int size = x.size(d);
        if (size == 0) {
            List<Tensor> out = new ArrayList<>(chunks);
            for (int i = 0; i < chunks; i++) {
                out.add(x.narrow(d, 0, 0));
            }
            return out;
        }
        return split(x, (size + chunks - 1) / chunks, d);
    }

    private static int splitDim(Tensor x, int dim, String op) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + ": expects at least a 1-dimensional tensor");
        }
        return Shapes.wrapDim(dim, x.dim(), op);
    }

    // ------------------------------------------------------------------ ordering

    /** Stable sort along {@code dim}; NaN sorts as the largest value. Values are differentiable. */
    public static ValuesIndices sort(Tensor x, int dim, boolean descending) {
        int d = Shapes.wrapDim(dim, x.dim(), "sort");
        if (x.dim() == 0) {
            return new ValuesIndices(x.clone(), Tensor.scalar(0L));
        }
        Tensor indices = x.device().kernels().argsort(x, d, descending);
        return new ValuesIndices(gatherUnchecked("SortBackward0", x, d, indices), indices);
    }

    /**
     * The {@code k} largest (or smallest) elements along {@code dim} with their indices, ordered from the extreme
     * and with ties in index order; {@code sorted} is accepted for PyTorch compatibility (results are always sorted).
     */
    public static ValuesIndices topk(Tensor x, int k, int dim, boolean largest, boolean sorted) {
        int d = Shapes.wrapDim(dim, x.dim(), "topk");
        int size = x.dim() == 0 ? 1 : x.size(d);
        if (k < 0 || k > size) {
            throw new IllegalArgumentException("topk: k (" + k + ") is out of range for dimension " + d + " with size " + size);
        }
        if (x.dim() == 0) {
            return k == 1 ? new ValuesIndices(x.clone(), Tensor.scalar(0L))
                    : new ValuesIndices(x.reshape(1).narrow(0, 0, 0), Tensor.zeros(new int[] {0}, DType.INT64));
        }
        Tensor indices = x.device().kernels().argsort(x, d, largest).narrow(d, 0, k).contiguous();
        return new ValuesIndices(gatherUnchecked("TopkBackward0", x, d, indices), indices);
    }

    // ------------------------------------------------------------------ oneHot

    /** int64 class indices to an int64 one-hot tensor with a new last dim of {@code numClasses} (-1: max + 1). */
    public static Tensor oneHot(Tensor x, int numClasses) {
        if (x.dtype() != DType.INT64) {
            throw new IllegalArgumentException("oneHot: expected an int64 tensor of class indices, got " + x.dtype());
        }
        if (numClasses < -1) {
            throw new IllegalArgumentException("oneHot: numClasses must be -1 (infer) or non-negative, got " + numClasses);
        }
        long min = 0;
        long max = -1;
        if (x.numel() > 0) {
            min = x.amin().itemLong();
            max = x.amax().itemLong();
        }
        if (numClasses == -1) {
            if (x.numel() == 0) {
                throw new IllegalArgumentException("oneHot: cannot infer the number of classes from an empty tensor; "
                        + "pass numClasses");
            }
            if (min >= 0) {
                numClasses = Math.toIntExact(max + 1);
            }
        }
        if (min < 0) {
            throw new IllegalArgumentException("oneHot: class values must be non-negative, got " + min);
        }
        if (max >= numClasses) {
            throw new IllegalArgumentException("oneHot: class value " + max + " is out of range for numClasses " + numClasses
                    + " (values must be in [0, " + numClasses + "))");
        }
        return x.unsqueeze(-1).eq(Tensor.arange(numClasses)).to(DType.INT64);
    }

    // ------------------------------------------------------------------ helpers

    private static Tensor indexTensor(String op, String what, Tensor index) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": " + what + " must be int64 or int32, got " + index.dtype());
        }
        return index.to(DType.INT64);
    }

    private static void checkMask(String op, Tensor mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException(op + ": expected mask to be a bool tensor, got " + mask.dtype()
                    + "; compare first (e.g. mask.ne(0))");
        }
    }

    /** Fails, naming the most extreme offending value, unless every index is in [0, size) (or [-size, size)). */
    private static void checkRange(String op, Tensor index, int dim, int size, boolean allowNegative) {
        if (index.numel() == 0) {
            return;
        }
        long min = index.amin().itemLong();
        long max = index.amax().itemLong();
        long bad = min < (allowNegative ? -size : 0) ? min : max >= size ? max : Long.MIN_VALUE;
        if (bad != Long.MIN_VALUE) {
            throw new IndexOutOfBoundsException(op + ": index " + bad + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
    }

    /** {@link #checkRange} for indices already in an array: none may be negative. */
    private static void checkRange(String op, long[] index, int dim, int size) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long i : index) {
            min = Math.min(min, i);
            max = Math.max(max, i);
        }
        long bad = min < 0 ? min : max >= size ? max : Long.MIN_VALUE;
        if (bad != Long.MIN_VALUE) {
            throw new IndexOutOfBoundsException(op + ": index " + bad + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
    }

    private static int[] atLeast1d(int[] shape) {
        return shape.length == 0 ? new int[] {1} : shape;
    }

    /** PyTorch's gather and scatter treat a 0-dim tensor as one of shape [1]. */
    private static Tensor atLeast1d(Tensor t) {
        return t.dim() == 0 ? t.reshape(1) : t;
    }

    /**
     * The row-major positions in a tensor of {@code shape} of the slices {@code index} (checked) along {@code dim}, in
     * the order of the result of shape {@code outShape}: each selected slice's positions are consecutive runs.
     */
    private static Tensor selectedPositions(int[] shape, int dim, long[] index, int[] outShape) {
        int outer = 1;
        for (int d = 0; d < dim; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        long[] positions = new long[outer * index.length * inner];
        int q = 0;
        for (int o = 0; o < outer; o++) {
            for (long i : index) {
                long start = ((long) o * shape[dim] + i) * inner;
                for (int j = 0; j < inner; j++) {
                    positions[q++] = start + j;
                }
            }
        }
        return Tensor.wrap(Storage.wrap(positions), outShape);
    }

    /**
     * Row-major positions, in a contiguous tensor of {@code shape}, of the elements whose coordinate along {@code dim}
     * is given by {@code index} (int64, as many dims as shape) and whose other coordinates are the index's own.
     */
    private static Tensor flatPositions(int[] shape, int dim, Tensor index) {
        int[] strides = Shapes.contiguousStrides(shape);
        int[] is = index.shape();
        Tensor positions = index.mul((long) strides[dim]);
        for (int d = 0; d < is.length; d++) {
            if (d != dim && is[d] > 1) {
                positions = positions.add(axisOffsets(is.length, d, is[d], strides[d]));
            }
        }
        return positions.contiguous();
    }

    /** {@code arange(size) * stride} laid along dim {@code d} of an {@code nd}-dim shape of ones. */
    private static Tensor axisOffsets(int nd, int d, int size, int stride) {
        int[] view = new int[nd];
        Arrays.fill(view, 1);
        view[d] = size;
        return Tensor.arange(size).mul((long) stride).reshape(view);
    }

    /** The int64 row-major positions of a bool tensor's true elements, in order (a composed {@code nonzero}). */
    private static Tensor truePositions(Tensor mask) {
        Tensor m = mask.reshape(-1).to(DType.INT64);
        int n = m.numel();
        Tensor rank = m.device().kernels().cumsum(m, 0);
        int count = n == 0 ? 0 : (int) rank.select(0, n - 1).itemLong();
        // true elements go to slot rank (1-based); false ones all land in the spare slot 0, cut off below
        Tensor slot = rank.mul(m);
        Tensor out = m.device().kernels().put(Tensor.zeros(new int[] {count + 1}, DType.INT64), slot, Tensor.arange(n), false);
        return out.narrow(0, 1, count);
    }

    /** Reverses a tensor along {@code dim}, differentiably. */
    private static Tensor flip(Tensor x, int dim) {
        int n = x.size(dim);
        return x.indexSelect(dim, Tensor.arange(n - 1, -1, -1));
    }

    // ------------------------------------------------------------------ autograd functions

    /** {@code x.flatten()[positions]}; the gradient puts (adding) back into zeros of x's shape. */
    static final class Take extends Function {
        private final String name;
        private final Tensor positions;
        private int[] inputShape;

        Take(String name, Tensor positions) {
            this.name = name;
            this.positions = positions;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            inputShape = in[0].shape();
            return new Tensor[] {in[0].device().kernels().take(in[0], positions)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor zeros = Tensor.zeros(inputShape, g[0].dtype());
            return new Tensor[] {new Put("IndexPutBackward0", positions, true).apply(zeros, g[0])};
        }
    }

    /**
     * {@code torch.index_select} by the kernel's slice copies; the gradient adds each selected slice's gradient back
     * into zeros of x's shape (repeated indices add up), as {@link Take}'s does.
     */
    static final class IndexSelect extends Function {
        private final int dim;
        private final long[] index;
        private int[] inputShape;

        IndexSelect(int dim, long[] index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        public String name() {
            return "IndexSelectBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            inputShape = in[0].shape();
            Tensor x = in[0].dim() == 0 ? in[0].reshape(1) : in[0];
            return new Tensor[] {x.device().kernels().indexSelect(x, dim, index)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            int[] shape = atLeast1d(inputShape);
            int[] outShape = shape.clone();
            outShape[dim] = index.length;
            Tensor positions = selectedPositions(shape, dim, index, outShape);
            Tensor zeros = Tensor.zeros(inputShape, g[0].dtype());
            return new Tensor[] {new Put("IndexPutBackward0", positions, true).apply(zeros, g[0])};
        }
    }

    /**
     * A copy of {@code x} with {@code src} written (or added) at flat {@code positions} of {@code src}'s shape. The
     * gradient for x is the output's gradient, with the written positions zeroed unless adding; for src it is taken at
     * the positions.
     */
    static final class Put extends Function {
        private final String name;
        private final Tensor positions;
        private final boolean accumulate;

        Put(String name, Tensor positions, boolean accumulate) {
            this.name = name;
            this.positions = positions;
            this.accumulate = accumulate;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].device().kernels().put(in[0], positions, in[1], accumulate)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = grads[0];
            Tensor gx = null;
            if (ctx.needsInputGrad(0)) {
                gx = accumulate ? g
                        : new Put("IndexPutBackward0", positions, false).apply(g, Tensor.zeros(positions.shape(), g.dtype()));
            }
            Tensor gsrc = ctx.needsInputGrad(1) ? new Take("TakeBackward0", positions).apply(g) : null;
            return new Tensor[] {gx, gsrc};
        }
    }

    /** Concatenation along {@code dim}; the gradient of each input is its slice of the output's gradient. */
    static final class Cat extends Function {
        private final int dim;
        /** The rank of the non-skipped inputs; -1 when every input is a skipped 1-D empty tensor. */
        private final int rank;
        private int[][] shapes;
        private int[] starts;

        Cat(int dim, int rank) {
            this.dim = dim;
            this.rank = rank;
        }

        @Override
        public String name() {
            return "CatBackward0";
        }

        private boolean skipped(int[] shape) {
            return shape.length == 1 && shape[0] == 0 && rank != 1;
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            shapes = new int[in.length][];
            starts = new int[in.length];
            int[] outShape = null;
            int total = 0;
            for (int i = 0; i < in.length; i++) {
                shapes[i] = in[i].shape();
                starts[i] = total;
                if (!skipped(shapes[i])) {
                    total += shapes[i][dim];
                    outShape = shapes[i].clone();
                }
            }
            if (outShape == null) {
                return new Tensor[] {Tensor.empty(new int[] {0}, in[0].dtype())};
            }
            outShape[dim] = total;
            Tensor out = Tensor.empty(outShape, in[0].dtype());
            for (int i = 0; i < in.length; i++) {
                if (!skipped(shapes[i]) && in[i].numel() > 0) {
                    out.device().kernels().copyInto(out.narrow(dim, starts[i], shapes[i][dim]), in[i]);
                }
            }
            return new Tensor[] {out};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] out = new Tensor[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                if (!ctx.needsInputGrad(i)) {
                    continue;
                }
                out[i] = skipped(shapes[i]) ? Tensor.zeros(shapes[i], g[0].dtype())
                        : g[0].narrow(dim, starts[i], shapes[i][dim]);
            }
            return out;
        }
    }

    /** Inclusive cumulative sum; the gradient is the reversed cumulative sum of the output's gradient. */
    static final class Cumsum extends Function {
        private final int dim;

        Cumsum(int dim) {
            this.dim = dim;
        }

        @Override
        public String name() {
            return "CumsumBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].device().kernels().cumsum(in[0], dim)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {flip(flip(g[0], dim).cumsum(dim), dim)};
        }
    }
}
