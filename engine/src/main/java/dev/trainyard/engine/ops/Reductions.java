package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.backend.ReduceOp;

import java.util.Arrays;

/** Reductions; sum, prod, amax and amin are primitives, the rest (mean, var, norm, logsumexp, softmax) compose them. */
public final class Reductions {
    private Reductions() {
    }

    /** Sums a broadcast gradient back to the shape of the input it was broadcast from. */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] dims = new int[gs.length];
        int k = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && gs[d] != 1)) {
                dims[k++] = d;
            }
        }
        Tensor summed = k == 0 ? g : g.sum(Arrays.copyOf(dims, k), true);
        return summed.reshape(shape);
    }

    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        int[] d = Shapes.wrapDims(dims, x.dim(), "sum");
        Tensor in = x.dtype().isFloatingPoint() ? x : x.to(DType.INT64);
        if (!in.dtype().isFloatingPoint()) {
            return keep(in.device().kernels().reduce(ReduceOp.SUM, in, d), x.shape(), d, keepdim);
        }
        return new Reduce(ReduceOp.SUM, d, keepdim, 1.0, d.length == x.dim()).apply(in);
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be a floating point "
                    + "dtype, got " + x.dtype() + "; convert with to(DType.FLOAT32) first");
        }
        int[] d = Shapes.wrapDims(dims, x.dim(), "mean");
        return new Reduce(ReduceOp.SUM, d, keepdim, 1.0 / countOf(x.shape(), d), d.length == x.dim()).apply(x);
    }

    public static Tensor prod(Tensor x, int[] dims, boolean keepdim) {
        int[] d = Shapes.wrapDims(dims, x.dim(), "prod");
        Tensor in = x.dtype().isFloatingPoint() ? x : x.to(DType.INT64);
        if (!in.dtype().isFloatingPoint()) {
            return keep(in.device().kernels().reduce(ReduceOp.PROD, in, d), x.shape(), d, keepdim);
        }
        return new Reduce(ReduceOp.PROD, d, keepdim, 1.0, d.length == x.dim()).apply(in);
    }

    public static Tensor amaxAmin(Tensor x, int[] dims, boolean keepdim, boolean max) {
        String op = max ? "amax" : "amin";
        int[] d = Shapes.wrapDims(dims, x.dim(), op);
        for (int dim : d) {
            if (x.size(dim) == 0) {
                throw new IllegalArgumentException(op + "(): expected reduction dim " + dim + " to have non-zero size, tensor shape "
                        + Arrays.toString(x.shape()));
            }
        }
        ReduceOp r = max ? ReduceOp.MAX : ReduceOp.MIN;
        if (!x.dtype().isFloatingPoint()) {
            return keep(x.device().kernels().reduce(r, x, d), x.shape(), d, keepdim);
        }
        return new Reduce(r, d, keepdim, 1.0, false).apply(x);
    }

    public static ValuesIndices maxMin(Tensor x, int dim, boolean keepdim, boolean max) {
        if (x.dim() == 0) {
            Shapes.wrapDim(dim, 0, max ? "max" : "min");
            return new ValuesIndices(x.clone(), Tensor.scalar(0L));
        }
        int d = Shapes.wrapDim(dim, x.dim(), max ? "max" : "min");
        ReduceOp r = max ? ReduceOp.MAX : ReduceOp.MIN;
        if (!x.dtype().isFloatingPoint()) {
            Tensor[] vi = x.device().kernels().argReduce(r, x, d);
            int[] dims = {d};
            return new ValuesIndices(keep(vi[0], x.shape(), dims, keepdim), keep(vi[1], x.shape(), dims, keepdim));
        }
        Tensor[] out = new ArgReduce(r, d, keepdim).applyAll(x);
        return new ValuesIndices(out[0], out[1]);
    }

    public static Tensor var(Tensor x, int[] dims, double correction, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("var(): input dtype should be floating point, got " + x.dtype());
        }
        int[] d = Shapes.wrapDims(dims, x.dim(), "var");
        long n = countOf(x.shape(), d);
        Tensor centered = x.sub(x.mean(d, true));
        return centered.mul(centered).sum(d, keepdim).div(Math.max(0.0, n - correction));
    }

    public static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
        Tensor in = x.to(x.dtype().toFloating());
        if (p == 1) {
            return in.abs().sum(dims, keepdim);
        }
        if (p == Double.POSITIVE_INFINITY) {
            return in.abs().amax(dims, keepdim);
        }
        if (p == Double.NEGATIVE_INFINITY) {
            return in.abs().amin(dims, keepdim);
        }
        if (p == 0) {
            return in.ne(0.0).to(in.dtype()).sum(dims, keepdim);
        }
        return new PNorm(p, Shapes.wrapDims(dims, in.dim(), "norm"), keepdim).apply(in);
    }

    public static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        Tensor in = x.to(x.dtype().toFloating());
        int[] d = Shapes.wrapDims(dims, in.dim(), "logsumexp");
        Tensor m = in.detach().amax(d, true);
        // an all -inf (or +inf) slice must not turn into inf - inf = NaN
        m = Tensor.where(m.abs().eq(Double.POSITIVE_INFINITY), Tensor.zerosLike(m), m);
        Tensor out = in.sub(m).exp().sum(d, true).log().add(m);
        return keepdim ? out : out.reshape(Shapes.dropDims(in.shape(), d));
    }

    public static Tensor softmax(Tensor x, int dim) {
        Tensor in = x.to(x.dtype().toFloating());
        int d = Shapes.wrapDim(dim, in.dim(), "softmax");
        Tensor e = in.sub(in.detach().amax(d, true)).exp();
        return e.div(e.sum(d, true));
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        Tensor in = x.to(x.dtype().toFloating());
        int d = Shapes.wrapDim(dim, in.dim(), "logSoftmax");
        // (x - m) - log(sum(exp(x - m))) keeps float32 precision for large logits; m cancels, so detaching it is exact
        Tensor shifted = in.sub(in.detach().amax(d, true));
        return shifted.sub(shifted.exp().sum(d, true).log());
    }

    public static Tensor allAny(Tensor x, int[] dims, boolean keepdim, boolean all) {
        int[] d = Shapes.wrapDims(dims, x.dim(), all ? "all" : "any");
        Tensor b = x.detach().to(DType.BOOL);
        Tensor r;
        if (b.numel() == 0) {
            r = Tensor.full(Shapes.dropDims(x.shape(), d), all ? 1 : 0, DType.BOOL);
        } else {
            r = b.device().kernels().reduce(all ? ReduceOp.MIN : ReduceOp.MAX, b, d);
        }
        return keep(r, x.shape(), d, keepdim);
    }

    private static long countOf(int[] shape, int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= shape[d];
        }
        return n;
    }

    private static Tensor keep(Tensor reduced, int[] inputShape, int[] dims, boolean keepdim) {
        return keepdim ? reduced.view(Shapes.keepDims(inputShape, dims)) : reduced;
    }

    // ------------------------------------------------------------------ autograd functions

    /** A primitive reduction; a SUM with {@code scale} 1/n is the mean. */
    static final class Reduce extends Function {
        private final ReduceOp op;
        private final int[] dims;
        private final boolean keepdim;
        private final double scale;
        private final boolean overAllDims;
        private int[] inputShape;

        Reduce(ReduceOp op, int[] dims, boolean keepdim, double scale, boolean overAllDims) {
            this.op = op;
            this.dims = dims;
            this.keepdim = keepdim;
            this.scale = scale;
            this.overAllDims = overAllDims;
        }

        @Override
        public String name() {
            // PyTorch numbers the whole-tensor overload 0 and the dim overload 1
            String variant = overAllDims ? "0" : "1";
            return switch (op) {
                case SUM -> (scale == 1.0 ? "SumBackward" : "MeanBackward") + variant;
                case PROD -> "ProdBackward" + variant;
                case MAX -> "AmaxBackward0";
                case MIN -> "AminBackward0";
            };
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            inputShape = x.shape();
            Tensor out = keep(x.device().kernels().reduce(op, x, dims), inputShape, dims, keepdim);
            if (scale != 1.0) {
                out = out.device().kernels().binary(dev.trainyard.engine.backend.BinaryOp.MUL, out,
                        Tensor.full(new int[0], scale, out.dtype()).expand(out.shape()));
            }
            if (op != ReduceOp.SUM) {
                ctx.saveForBackward(x, out);
            }
            return new Tensor[] {out};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            int[] keptShape = Shapes.keepDims(inputShape, dims);
            Tensor g = grads[0].reshape(keptShape);
            if (op == ReduceOp.SUM) {
                return new Tensor[] {(scale == 1.0 ? g : g.mul(scale)).expand(inputShape)};
            }
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            Tensor out = s[1].reshape(keptShape);
            if (op == ReduceOp.PROD) {
                return new Tensor[] {g.mul(prodOfOthers(x, dims))};
            }
            // ties share the gradient evenly, as in PyTorch
            Tensor mask = x.eq(out).to(g.dtype());
            return new Tensor[] {g.mul(mask).div(mask.sum(dims, true))};
        }
    }

    /**
     * For each element, the product of the other elements of its slice, without dividing by it: with one zero in the
     * slice only the zero's position gets a nonzero gradient, with two or more none does.
     */
    static Tensor prodOfOthers(Tensor x, int[] dims) {
        Tensor isZero = x.eq(0.0);
        Tensor zeros = isZero.to(DType.INT64).sum(dims, true);
        Tensor nonZero = Tensor.where(isZero, Tensor.onesLike(x), x);
        Tensor prodNonZero = prod(nonZero, dims, true);
        Tensor zero = Tensor.zeros(new int[0], x.dtype());
        Tensor atZero = Tensor.where(zeros.eq(1.0), prodNonZero, zero);
        Tensor elsewhere = Tensor.where(zeros.eq(0.0), prodNonZero.div(nonZero), zero);
        return Tensor.where(isZero, atZero, elsewhere);
    }

    /** (sum |x|^p)^(1/p); its gradient is 0 where the norm is 0, as in PyTorch, rather than 0/0. */
    static final class PNorm extends Function {
        private final double p;
        private final int[] dims;
        private final boolean keepdim;
        private int[] inputShape;

        PNorm(double p, int[] dims, boolean keepdim) {
            this.p = p;
            this.dims = dims;
            this.keepdim = keepdim;
        }

        @Override
        public String name() {
            return "NormBackward1";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            inputShape = x.shape();
            Tensor out = p == 2 ? x.mul(x).sum(dims, keepdim).sqrt() : x.abs().pow(p).sum(dims, keepdim).pow(1.0 / p);
            ctx.saveForBackward(x, out);
            return new Tensor[] {out};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            int[] kept = Shapes.keepDims(inputShape, dims);
            Tensor norm = s[1].reshape(kept);
            Tensor g = grads[0].reshape(kept);
            Tensor zero = Tensor.zeros(new int[0], x.dtype());
            Tensor scale = Tensor.where(norm.eq(0.0), zero, g.div(p == 2 ? norm : norm.pow(p - 1)));
            Tensor direction = p == 2 ? x : x.mul(x.abs().pow(p - 2));
            return new Tensor[] {direction.mul(scale)};
        }
    }

    static final class ArgReduce extends Function {
        private final ReduceOp op;
        private final int dim;
        private final boolean keepdim;
        private int[] inputShape;

        ArgReduce(ReduceOp op, int dim, boolean keepdim) {
            this.op = op;
            this.dim = dim;
            this.keepdim = keepdim;
        }

        @Override
        public String name() {
            return op == ReduceOp.MAX ? "MaxBackward0" : "MinBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            inputShape = x.shape();
            Tensor[] vi = x.device().kernels().argReduce(op, x, dim);
            int[] dims = {dim};
            Tensor values = keep(vi[0], inputShape, dims, keepdim);
            Tensor indices = keep(vi[1], inputShape, dims, keepdim);
            ctx.saveForBackward(indices);
            ctx.markNonDifferentiable(indices);
            return new Tensor[] {values, indices};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            int[] keptShape = Shapes.keepDims(inputShape, new int[] {dim});
            Tensor g = grads[0].reshape(keptShape);
            Tensor indices = ctx.savedTensors()[0].reshape(keptShape);
            return new Tensor[] {Tensor.zeros(inputShape, g.dtype()).scatter(dim, indices, g)};
        }
    }
}
