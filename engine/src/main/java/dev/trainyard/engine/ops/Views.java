package dev.trainyard.engine.ops;

import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;

import java.util.Arrays;

/** Movement ops. All but clone return views that share storage with their input. */
public final class Views {
    private Views() {
    }

    public static Tensor view(Tensor x, int[] shape) {
        int[] size = Shapes.inferSize(shape, x.numel(), "view");
        int[] strides = Shapes.viewStrides(x.shape(), x.stride(), size);
        if (strides == null) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(size) + " is not compatible with the input's size "
                    + Arrays.toString(x.shape()) + " and stride " + Arrays.toString(x.stride())
                    + " (at least one dimension spans across two contiguous subspaces); use reshape(...) instead");
        }
        return new Restride(size, strides, "ViewBackward0").apply(x);
    }

    public static Tensor reshape(Tensor x, int[] shape) {
        int[] size = Shapes.inferSize(shape, x.numel(), "reshape");
        int[] strides = Shapes.viewStrides(x.shape(), x.stride(), size);
        if (strides == null) {
            return new Restride(size, Shapes.contiguousStrides(size), "ViewBackward0").apply(x.clone());
        }
        return new Restride(size, strides, "ViewBackward0").apply(x);
    }

    public static Tensor permute(Tensor x, int[] dims) {
        int nd = x.dim();
        if (dims.length != nd) {
            throw new IllegalArgumentException("permute: number of dims don't match: tensor has " + nd + " dims but "
                    + dims.length + " were given (" + Arrays.toString(dims) + ")");
        }
        int[] wrapped = new int[nd];
        boolean[] seen = new boolean[nd];
        for (int i = 0; i < nd; i++) {
            wrapped[i] = Shapes.wrapDim(dims[i], nd, "permute");
            if (seen[wrapped[i]]) {
                throw new IllegalArgumentException("permute: repeated dim " + wrapped[i] + " in " + Arrays.toString(dims));
            }
            seen[wrapped[i]] = true;
        }
        return new Permute(wrapped).apply(x);
    }

    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        int nd = x.dim();
        if (nd == 0) {
            Shapes.wrapDim(dim0, nd, "transpose");
            Shapes.wrapDim(dim1, nd, "transpose");
            return new Permute(new int[0]).apply(x);
        }
        int[] perm = Shapes.allDims(nd);
        int a = Shapes.wrapDim(dim0, nd, "transpose");
        int b = Shapes.wrapDim(dim1, nd, "transpose");
        perm[a] = b;
        perm[b] = a;
        return new Permute(perm).apply(x);
    }

    public static Tensor squeeze(Tensor x, Integer dim) {
        int[] shape = x.shape();
        int[] strides = x.stride();
        int only = dim == null ? -1 : Shapes.wrapDim(dim, shape.length, "squeeze");
        int[] newShape = new int[shape.length];
        int[] newStrides = new int[shape.length];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            boolean drop = shape[d] == 1 && (dim == null || d == only);
            if (!drop) {
                newShape[k] = shape[d];
                newStrides[k++] = strides[d];
            }
        }
        return new Restride(Arrays.copyOf(newShape, k), Arrays.copyOf(newStrides, k), "SqueezeBackward0").apply(x);
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int[] shape = x.shape();
        int[] strides = x.stride();
        int d = Shapes.wrapDim(dim, shape.length + 1, "unsqueeze");
        int[] newShape = new int[shape.length + 1];
        int[] newStrides = new int[shape.length + 1];
        for (int i = 0, j = 0; i < newShape.length; i++) {
            if (i == d) {
                newShape[i] = 1;
                newStrides[i] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                newShape[i] = shape[j];
                newStrides[i] = strides[j++];
            }
        }
        return new Restride(newShape, newStrides, "UnsqueezeBackward0").apply(x);
    }

    public static Tensor expand(Tensor x, int[] sizes) {
        int[] shape = x.shape();
        int[] strides = x.stride();
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + sizes.length + ") must be greater or "
                    + "equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        int lead = sizes.length - shape.length;
        int[] newShape = new int[sizes.length];
        int[] newStrides = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            if (i < lead) {
                if (sizes[i] < 0) {
                    throw new IllegalArgumentException("expand: the expanded size " + sizes[i] + " is not allowed in a leading, "
                            + "non-existing dimension " + i + " (target sizes " + Arrays.toString(sizes) + ")");
                }
                newShape[i] = sizes[i];
                newStrides[i] = 0;
            } else {
                int s = shape[i - lead];
                int target = sizes[i] == -1 ? s : sizes[i];
                if (s == target) {
                    newShape[i] = s;
                    newStrides[i] = strides[i - lead];
                } else if (s == 1) {
                    newShape[i] = target;
                    newStrides[i] = 0;
                } else {
                    throw new IllegalArgumentException("expand: the expanded size of the tensor (" + target + ") must match the "
                            + "existing size (" + s + ") at non-singleton dimension " + i + ". Target sizes: "
                            + Arrays.toString(sizes) + ". Tensor sizes: " + Arrays.toString(shape));
                }
            }
        }
        if (Arrays.equals(newShape, shape)) {
            return x;
        }
        return new Expand(newShape, newStrides).apply(x);
    }

    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shapes.wrapDim(dim, x.dim(), "slice");
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be greater than zero, got " + step);
        }
        int size = x.size(d);
        int s = clampIndex(start, size);
        int e = clampIndex(end, size);
        int length = e > s ? (e - s + step - 1) / step : 0;
        return new Slice(d, s, length, step).apply(x);
    }

    private static int clampIndex(int i, int size) {
        if (i < 0) {
            i += size;
        }
        return Math.max(0, Math.min(i, size));
    }

    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shapes.wrapDim(dim, x.dim(), "narrow");
        int size = x.size(d);
        int s = start < 0 ? start + size : start;
        if (s < 0 || s > size) {
            throw new IndexOutOfBoundsException("narrow: start (" + start + ") out of range for dimension " + d + " of size " + size);
        }
        if (length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("narrow: start (" + s + ") + length (" + length + ") exceeds dimension size ("
                    + size + ") of dim " + d);
        }
        return new Slice(d, s, length, 1).apply(x);
    }

    public static Tensor select(Tensor x, int dim, int index) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException("select: cannot be applied to a 0-dim tensor");
        }
        int d = Shapes.wrapDim(dim, x.dim(), "select");
        int size = x.size(d);
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for tensor of size "
                    + Arrays.toString(x.shape()) + " at dimension " + d);
        }
        return new Select(d, index < 0 ? index + size : index).apply(x);
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) {
            return x.reshape(1);
        }
        int s = Shapes.wrapDim(startDim, x.dim(), "flatten");
        int e = Shapes.wrapDim(endDim, x.dim(), "flatten");
        if (s > e) {
            throw new IllegalArgumentException("flatten: startDim (" + startDim + ") cannot come after endDim (" + endDim + ")");
        }
        int[] shape = x.shape();
        int[] out = new int[shape.length - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            out[k++] = shape[d];
        }
        int m = 1;
        for (int d = s; d <= e; d++) {
            m *= shape[d];
        }
        out[k++] = m;
        for (int d = e + 1; d < shape.length; d++) {
            out[k++] = shape[d];
        }
        return reshape(x, out);
    }

    public static Tensor unflatten(Tensor x, int dim, int[] sizes) {
        int d = Shapes.wrapDim(dim, x.dim(), "unflatten");
        int[] inner = Shapes.inferSize(sizes, x.size(d), "unflatten");
        int[] shape = x.shape();
        int[] out = new int[shape.length - 1 + inner.length];
        System.arraycopy(shape, 0, out, 0, d);
        System.arraycopy(inner, 0, out, d, inner.length);
        System.arraycopy(shape, d + 1, out, d + inner.length, shape.length - d - 1);
        return reshape(x, out);
    }

    public static Tensor cloneTensor(Tensor x) {
        return new Clone().apply(x);
    }

    // ------------------------------------------------------------------ autograd functions

    /** A view with new shape and strides over the same elements; backward reshapes back. */
    static final class Restride extends Function {
        private final int[] shape;
        private final int[] strides;
        private final String name;
        private int[] inputShape;

        Restride(int[] shape, int[] strides, String name) {
            this.shape = shape;
            this.strides = strides;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            inputShape = in[0].shape();
            return new Tensor[] {in[0].asStrided(shape, strides, in[0].storageOffset())};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor gradInput = g[0].reshape(inputShape);
            if (ctx.gradientOwned(0)) {
                // its array's one holder now (a view of it, or a fresh copy): a flatten's gradient stays owned, so the
                // relu below it selects into it instead of a fresh array
                ctx.markGradientsOwned(gradInput);
            }
            return new Tensor[] {gradInput};
        }
    }

    static final class Permute extends Function {
        private final int[] dims;

        Permute(int[] dims) {
            this.dims = dims;
        }

        @Override
        public String name() {
            return "PermuteBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            int[] shape = x.shape();
            int[] strides = x.stride();
            int[] newShape = new int[dims.length];
            int[] newStrides = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                newShape[i] = shape[dims[i]];
                newStrides[i] = strides[dims[i]];
            }
            return new Tensor[] {x.asStrided(newShape, newStrides, x.storageOffset())};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            int[] inverse = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                inverse[dims[i]] = i;
            }
            return new Tensor[] {g[0].permute(inverse)};
        }
    }

    static final class Expand extends Function {
        private final int[] shape;
        private final int[] strides;
        private int[] inputShape;

        Expand(int[] shape, int[] strides) {
            this.shape = shape;
            this.strides = strides;
        }

        @Override
        public String name() {
            return "ExpandBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            inputShape = in[0].shape();
            return new Tensor[] {in[0].asStrided(shape, strides, in[0].storageOffset())};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {Reductions.sumToShape(g[0], inputShape)};
        }
    }

    /** Elements {@code start, start+step, ...} ({@code length} of them) along {@code dim}. */
    static final class Slice extends Function {
        private final int dim;
        private final int start;
        private final int length;
        private final int step;
        private int[] inputShape;

        Slice(int dim, int start, int length, int step) {
            this.dim = dim;
            this.start = start;
            this.length = length;
            this.step = step;
        }

        @Override
        public String name() {
            return "SliceBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            inputShape = x.shape();
            int[] shape = x.shape();
            int[] strides = x.stride();
            int offset = x.storageOffset() + (length > 0 ? start * strides[dim] : 0);
            shape[dim] = length;
            strides[dim] *= step;
            return new Tensor[] {x.asStrided(shape, strides, offset)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {new SliceScatter(inputShape, dim, start, length, step).apply(g[0])};
        }
    }

    static final class Select extends Function {
        private final int dim;
        private final int index;
        private int[] inputShape;

        Select(int dim, int index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        public String name() {
            return "SelectBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            inputShape = x.shape();
            int[] shape = x.shape();
            int[] strides = x.stride();
            int offset = x.storageOffset() + index * strides[dim];
            int[] newShape = new int[shape.length - 1];
            int[] newStrides = new int[shape.length - 1];
            for (int d = 0, k = 0; d < shape.length; d++) {
                if (d != dim) {
                    newShape[k] = shape[d];
                    newStrides[k++] = strides[d];
                }
            }
            return new Tensor[] {x.asStrided(newShape, newStrides, offset)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {new SliceScatter(inputShape, dim, index, 1, 1).apply(g[0].unsqueeze(dim))};
        }
    }

    /** Zeros of {@code shape} with the input written into a slice: the gradient of {@link Slice}. */
    static final class SliceScatter extends Function {
        private final int[] shape;
        private final int dim;
        private final int start;
        private final int length;
        private final int step;

        SliceScatter(int[] shape, int dim, int start, int length, int step) {
            this.shape = shape;
            this.dim = dim;
            this.start = start;
            this.length = length;
            this.step = step;
        }

        @Override
        public String name() {
            return "SliceScatterBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = Tensor.zeros(shape, in[0].dtype());
            Tensor region = new Slice(dim, start, length, step).apply(out);
            out.device().kernels().copyInto(region, in[0]);
            return new Tensor[] {out};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {new Slice(dim, start, length, step).apply(g[0])};
        }
    }

    static final class Clone extends Function {
        @Override
        public String name() {
            return "CloneBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].device().kernels().copy(in[0], in[0].dtype())};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {g[0]};
        }
    }
}
