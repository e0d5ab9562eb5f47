package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.backend.BinaryOp;
import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.ReduceOp;
import dev.trainyard.engine.nn.Reduction;

/**
 * {@code cross_entropy} of logits {@code [N, C]} against class indices, without class weights or label smoothing, as
 * one node: log_softmax and nll_loss in one kernel forward ({@link Kernels#crossEntropy}) and one backward, where the
 * composition (max, subtract, exp, sum, log, subtract, masks, where, sums, multiply, negate, divide) runs some fifteen
 * ops each way, most of a small classifier's loss time. The kernels round every value as the composition does, in
 * the same order, and the reduction is the composition's sum (and division by the summed weights), so the loss and
 * the logits' gradient are the composition's bits. Named {@code NllLossBackward0}, the node PyTorch's cross_entropy
 * ends in.
 */
final class CrossEntropy extends Function {
    private final Reduction reduction;
    private final long ignoreIndex;
    /** The int64 targets, and exp(x - max) and its row sums as the forward kernel rounded them. */
    private Tensor target;
    private Tensor exps;
    private Tensor sums;
    /** The summed weights (the count of targets not ignored) the mean divides by. */
    private Tensor total;

    CrossEntropy(Reduction reduction, long ignoreIndex) {
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public String name() {
        return "NllLossBackward0";
    }

    @Override
    protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
        Tensor x = in[0];
        Kernels kernels = x.device().kernels();
        // a copy, as the old per-row int[] was: the backward uses the targets of the forward even if the caller's change
        target = kernels.copy(in[1], DType.INT64);
        Tensor[] parts = kernels.crossEntropy(x, target, ignoreIndex);
        Tensor loss = parts[0];
        exps = parts[2];
        sums = parts[3];
        ctx.saveForBackward(x);
        if (reduction == Reduction.NONE) {
            return new Tensor[] {loss};
        }
        Tensor sum = kernels.reduce(ReduceOp.SUM, loss, new int[] {0});
        if (reduction == Reduction.SUM) {
            return new Tensor[] {sum};
        }
        total = kernels.reduce(ReduceOp.SUM, parts[1], new int[] {0});
        return new Tensor[] {kernels.binary(BinaryOp.DIV, sum, total)};
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
        if (GradMode.isEnabled()) {
            return new Tensor[] {differentiableBackward(ctx.savedTensors()[0], grads[0]), null};
        }
        Tensor g = grads[0];
        Kernels kernels = g.device().kernels();
        if (reduction == Reduction.MEAN) {
            g = kernels.binary(BinaryOp.DIV, g, total);
        }
        if (reduction != Reduction.NONE) {
            g = g.asStrided(new int[] {exps.size(0)}, new int[] {0}, g.storageOffset());
        }
        return new Tensor[] {kernels.crossEntropyBackward(g, target, ignoreIndex, exps, sums), null};
    }

    /** With createGraph: the same gradient from differentiable ops, {@code gLogp - softmax(x) * sum(gLogp)}. */
    private Tensor differentiableBackward(Tensor x, Tensor gOut) {
        int rows = x.size(0);
        int classes = x.size(1);
        Tensor valid = target.ne(Tensor.scalar(ignoreIndex));
        Tensor picked = target.unsqueeze(1).eq(Tensor.arange(classes).view(1, classes))
                .logicalAnd(valid.unsqueeze(1)).to(x.dtype());
        Tensor perRow = switch (reduction) {
            case NONE -> gOut.view(rows, 1);
            case SUM -> gOut.view(1, 1);
            default -> gOut.div(total).view(1, 1);
        };
        Tensor gLogp = picked.mul(perRow).neg();
        Tensor softmax = x.logSoftmax(1).exp();
        return gLogp.sub(softmax.mul(gLogp.sum(new int[] {1}, true)));
    }
}
