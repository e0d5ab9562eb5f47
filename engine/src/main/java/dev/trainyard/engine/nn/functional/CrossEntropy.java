package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.nn.Reduction;

/**
 * {@code cross_entropy} of logits {@code [N, C]} against class indices, without class weights or label smoothing, as
 * one node: log_softmax and nll_loss in one pass over the logits forward and one backward, where the composition
 * (max, subtract, exp, sum, log, subtract, masks, where, sums, multiply, negate, divide) runs some fifteen ops each
 * way, most of a small classifier's loss time. Every value is rounded as the composition rounds it, in the same
 * order (float32 results of single float operations; sums added in double, in index order, then rounded), so the loss
 * and the logits' gradient are the composition's bits. Named {@code NllLossBackward0}, the node PyTorch's
 * cross_entropy ends in.
 */
final class CrossEntropy extends Function {
    private final Reduction reduction;
    private final long ignoreIndex;
    private boolean single;
    private int rows;
    private int classes;
    /** The target class of each row, -1 where it is ignored. */
    private int[] target;
    /** exp(x - max) per element and its row sums, as rounded in the forward pass. */
    private double[] exps;
    private double[] sums;
    private double total;

    CrossEntropy(Reduction reduction, long ignoreIndex) {
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public String name() {
        return "NllLossBackward0";
    }

    /** The value {@code v} as the input's dtype holds it. */
    private double r(double v) {
        return single ? (float) v : v;
    }

    @Override
    protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
        Tensor x = in[0];
        single = x.dtype() == DType.FLOAT32;
        rows = x.size(0);
        classes = x.size(1);
        double[] logits = values(x);
        long[] t = in[1].toLongArray();
        target = new int[rows];
        exps = new double[rows * classes];
        sums = new double[rows];
        double[] loss = new double[rows];
        int counted = 0;
        for (int b = 0; b < rows; b++) {
            int row = b * classes;
            double max = logits[row];
            for (int j = 1; j < classes && !Double.isNaN(max); j++) {
                double v = logits[row + j];
                if (Double.isNaN(v) || v > max) {
                    max = v;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                double e = r(Math.exp(r(logits[row + j] - max)));
                exps[row + j] = e;
                sum += e;
            }
            sums[b] = r(sum);
            boolean valid = t[b] != ignoreIndex;
            target[b] = valid ? (int) t[b] : -1;
            if (valid) {
                counted++;
                double logp = r(r(logits[row + target[b]] - max) - r(Math.log(sums[b])));
                // the composition picks log p by a sum from +0.0 (so -0.0 becomes +0.0), then multiplies by 1 and negates
                loss[b] = -(0.0 + logp);
            } else {
                loss[b] = -(0.0 * 0.0);
            }
        }
        total = counted;
        ctx.saveForBackward(x);
        if (reduction == Reduction.NONE) {
            return new Tensor[] {tensor(loss, rows)};
        }
        double sum = 0;
        for (double l : loss) {
            sum += l;
        }
        double value = reduction == Reduction.SUM ? r(sum) : r(r(sum) / total);
        return new Tensor[] {tensor(new double[] {value})};
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
        if (GradMode.isEnabled()) {
            return new Tensor[] {differentiableBackward(ctx.savedTensors()[0], grads[0]), null};
        }
        double[] gOut = values(grads[0]);
        double[] grad = new double[rows * classes];
        for (int b = 0; b < rows; b++) {
            int row = b * classes;
            double coefficient = 0;
            if (target[b] >= 0) {
                double g = switch (reduction) {
                    case NONE -> gOut[b];
                    case SUM -> gOut[0];
                    default -> r(gOut[0] / total);
                };
                coefficient = -g;
            }
            // log_softmax's backward: g - exp(logp) * sum(g), as the composition's sub, log and exp backwards round it
            double negSum = 0.0 + -coefficient;
            double scale = r(r(negSum) / sums[b]);
            for (int j = 0; j < classes; j++) {
                double gLogp = j == target[b] ? coefficient : 0.0;
                grad[row + j] = r(gLogp + r(scale * exps[row + j]));
            }
        }
        return new Tensor[] {tensor(grad, rows, classes), null};
    }

    /** With createGraph: the same gradient from differentiable ops, {@code gLogp - softmax(x) * sum(gLogp)}. */
    private Tensor differentiableBackward(Tensor x, Tensor gOut) {
        double[] mask = new double[rows * classes];
        for (int b = 0; b < rows; b++) {
            if (target[b] >= 0) {
                mask[b * classes + target[b]] = 1;
            }
        }
        Tensor picked = Tensor.of(mask, rows, classes).to(x.dtype());
        Tensor perRow = switch (reduction) {
            case NONE -> gOut.view(rows, 1);
            case SUM -> gOut.view(1, 1);
            default -> gOut.div(total).view(1, 1);
        };
        Tensor gLogp = picked.mul(perRow).neg();
        Tensor softmax = x.logSoftmax(1).exp();
        return gLogp.sub(softmax.mul(gLogp.sum(new int[] {1}, true)));
    }

    private static double[] values(Tensor t) {
        return t.toDoubleArray();
    }

    private Tensor tensor(double[] v, int... shape) {
        if (!single) {
            return Tensor.wrap(Storage.wrap(v), shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.wrap(Storage.wrap(f), shape);
    }
}
