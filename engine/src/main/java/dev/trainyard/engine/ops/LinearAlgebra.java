package dev.trainyard.engine.ops;

import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.ReduceOp;

import java.util.Arrays;

/** Matrix products. The batched product is the one primitive; matmul's broadcasting is made of views around it. */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim();
        int db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, but got " + da + "D and " + db + "D");
        }
        checkDtypes("matmul", a, b);
        if (da == 1 && db == 1) {
            return dot(a, b);
        }
        int k = a.size(-1);
        int kb = db == 1 ? b.size(0) : b.size(-2);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + " cannot be multiplied (" + k + " != " + kb + ")");
        }
        Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b3 = db == 1 ? b.unsqueeze(1) : b;
        int[] as = a3.shape();
        int[] bs = b3.shape();
        int m = as[as.length - 2];
        int n = bs[bs.length - 1];
        int[] batch = Shapes.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2), "matmul");
        int batchSize = Shapes.numel(batch);
        Tensor left = a3.expand(concat(batch, m, k)).reshape(batchSize, m, k);
        Tensor right = b3.expand(concat(batch, k, n)).reshape(batchSize, k, n);
        Tensor out = new Bmm().apply(left, right).reshape(concat(batch, m, n));
        if (da == 1) {
            out = out.squeeze(-2);
        }
        if (db == 1) {
            out = out.squeeze(-1);
        }
        return out;
    }

    /**
     * {@code F.linear} of a 2-D input with a bias as one node ({@code AddmmBackward0}, as PyTorch names it):
     * {@code input [N, in]}, {@code weight [out, in]}, {@code bias [out]} of one floating dtype. The same products and
     * rounding as {@code input.matmul(weight.t()).add(bias)}, so the same bits, but the bias is added into the product's
     * own array and the weight's gradient is computed in its layout, {@code g^T x}, instead of as {@code (x^T g)^T}
     * and copied.
     */
    public static Tensor addmm(Tensor input, Tensor weight, Tensor bias) {
        return new Addmm().apply(input, weight, bias);
    }

    public static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected 2D tensors, got shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        return matmul(a, b);
    }

    public static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expected 3D tensors, got shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        if (a.size(0) != b.size(0) || a.size(2) != b.size(1)) {
            throw new IllegalArgumentException("bmm: shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + " cannot be multiplied");
        }
        checkDtypes("bmm", a, b);
        return new Bmm().apply(a, b);
    }

    public static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("dot: 1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        }
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("dot: inconsistent tensor size, expected tensor [" + a.size(0)
                    + "] and src [" + b.size(0) + "] to have the same number of elements");
        }
        checkDtypes("dot", a, b);
        return new Bmm().apply(a.view(1, 1, -1), b.view(1, -1, 1)).reshape();
    }

    public static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: 1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    private static void checkDtypes(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected both tensors to have the same dtype, but got " + a.dtype()
                    + " and " + b.dtype());
        }
        if (a.dtype().isBool()) {
            throw new IllegalArgumentException(op + ": not implemented for bool tensors");
        }
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = x;
        out[batch.length + 1] = y;
        return out;
    }

    static final class Bmm extends Function {
        @Override
        public String name() {
            return "BmmBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(ctx.needsInputGrad(1) ? in[0] : null, ctx.needsInputGrad(0) ? in[1] : null);
            return new Tensor[] {in[0].device().kernels().matmul(in[0], in[1])};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = grads[0];
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                    ctx.needsInputGrad(0) ? new Bmm().apply(g, s[1].transpose(1, 2)) : null,
                    ctx.needsInputGrad(1) ? new Bmm().apply(s[0].transpose(1, 2), g) : null};
        }
    }

    static final class Addmm extends Function {
        @Override
        public String name() {
            return "AddmmBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor weight = in[1];
            Tensor bias = in[2];
            int n = x.size(0);
            int out = weight.size(0);
            Tensor product = x.device().kernels().matmul(x.unsqueeze(0), weight.t().unsqueeze(0)).view(n, out);
            ctx.saveForBackward(ctx.needsInputGrad(1) ? x : null, ctx.needsInputGrad(0) ? weight : null);
            // the product's fresh array is given up: the kernel may add the bias in place
            return new Tensor[] {x.device().kernels().addBias(product, bias)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = grads[0];
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            Tensor weight = s[1];
            if (GradMode.isEnabled()) {
                // createGraph: the composition's differentiable ops, so the gradient has a graph of its own
                return new Tensor[] {
                        ctx.needsInputGrad(0) ? g.matmul(weight) : null,
                        ctx.needsInputGrad(1) ? x.t().matmul(g).t() : null,
                        ctx.needsInputGrad(2) ? g.sum(new int[] {0}, false) : null};
            }
            int n = g.size(0);
            int out = g.size(1);
            Tensor gradInput = null;
            Tensor gradWeight = null;
            Tensor gradBias = null;
            if (ctx.needsInputGrad(0)) {
                gradInput = g.device().kernels().matmul(g.unsqueeze(0), weight.unsqueeze(0)).view(n, weight.size(1));
            }
            if (ctx.needsInputGrad(1)) {
                // (g^T x)[o, i] and (x^T g)[i, o] are the same chain of products over the batch, added in the same order
                gradWeight = g.device().kernels().matmul(g.t().unsqueeze(0), x.unsqueeze(0)).view(out, x.size(1));
            }
            if (ctx.needsInputGrad(2)) {
                gradBias = g.device().kernels().reduce(ReduceOp.SUM, g, new int[] {0});
            }
            if (ctx.gradientOwned(0)) {
                // relu's gradient, written into the next layer's input gradient: dead once the products have read it
                FloatBuffers.giveBack(g);
            }
            // fresh arrays of the kernels, each returned once: a leaf may keep them as its grad without a copy
            ctx.markGradientsOwned(gradInput, gradWeight, gradBias);
            return new Tensor[] {gradInput, gradWeight, gradBias};
        }
    }
}
