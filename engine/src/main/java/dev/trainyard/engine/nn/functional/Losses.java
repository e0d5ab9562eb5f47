package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.nn.Reduction;
import dev.trainyard.engine.ops.Reductions;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's semantics and reductions. Most are composed of tensor ops (log-softmax, masks,
 * {@code where}), so autograd derives their gradients; the two binary cross entropies are small autograd functions
 * whose forward is PyTorch's numerically stable formula and whose backward is PyTorch's closed form (itself made of
 * tensor ops, so it can be differentiated again).
 */
public final class Losses {
    private Losses() {
    }

    // ------------------------------------------------------------------ regression

    /** Squared error {@code (input - target)^2}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Tensor d = input.sub(checkSameShape("mseLoss", input, target));
        return reduce(d.mul(d), reduction, "mseLoss");
    }

    /** Absolute error {@code |input - target|}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return reduce(input.sub(checkSameShape("l1Loss", input, target)).abs(), reduction, "l1Loss");
    }

    /** {@code 0.5 d^2 / beta} where {@code |d| < beta}, {@code |d| - 0.5 beta} elsewhere; plain L1 for beta 0. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1Loss: beta must be non-negative, got " + beta);
        }
        Tensor d = input.sub(checkSameShape("smoothL1Loss", input, target));
        Tensor z = d.abs();
        if (beta == 0) {
            return reduce(z, reduction, "smoothL1Loss");
        }
        Tensor loss = Tensor.where(z.lt(beta), d.mul(d).mul(0.5 / beta), z.sub(0.5 * beta));
        return reduce(loss, reduction, "smoothL1Loss");
    }

    /** {@code 0.5 d^2} where {@code |d| < delta}, {@code delta (|d| - 0.5 delta)} elsewhere. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huberLoss: delta must be positive, got " + delta);
        }
        Tensor d = input.sub(checkSameShape("huberLoss", input, target));
        Tensor z = d.abs();
        Tensor loss = Tensor.where(z.lt(delta), d.mul(d).mul(0.5), z.sub(0.5 * delta).mul(delta));
        return reduce(loss, reduction, "huberLoss");
    }

    // ------------------------------------------------------------------ classification

    /**
     * Cross entropy of unnormalized scores {@code input} ({@code [N, C]}, {@code [N, C, d1, ...]} or unbatched
     * {@code [C]}) against {@code target}: class indices (an integer tensor of the input's shape without the class
     * dim; entries equal to {@code ignoreIndex} contribute nothing) or class probabilities (a float tensor of the
     * input's shape). {@code weight} ({@code [C]} or null) rescales each class; {@code labelSmoothing} mixes the target
     * with the uniform distribution. The mean with class indices is weighted: divided by the summed weights of the
     * non-ignored targets.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        String op = "crossEntropy";
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": labelSmoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        checkReduction(reduction, op);
        int classDim = classDim(input, op);
        int numClasses = input.size(classDim);
        checkWeight(weight, numClasses, op);
        if (input.dim() == 2 && input.dtype().isFloatingPoint() && target.dtype().isIntegral() && weight == null
                && labelSmoothing == 0) {
            checkTarget(op, input, target, ignoreIndex, classDim);
            return new CrossEntropy(reduction, ignoreIndex).apply(input, target);
        }
        Tensor logp = input.logSoftmax(classDim);
        if (target.dtype().isFloatingPoint()) {
            if (!Arrays.equals(target.shape(), input.shape())) {
                throw new IllegalArgumentException(op + ": a class-probability target must have the input's shape "
                        + Arrays.toString(input.shape()) + ", got " + Arrays.toString(target.shape())
                        + " (for class indices pass an int64 target)");
            }
            Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / numClasses) : target;
            Tensor prod = logp.mul(t);
            if (weight != null) {
                prod = prod.mul(weight.view(classShape(input.dim(), classDim, numClasses)));
            }
            Tensor loss = prod.sum(classDim).neg();
            return switch (reduction) {
                case NONE -> loss;
                case SUM -> loss.sum();
                default -> loss.sum().div((double) (input.numel() / Math.max(numClasses, 1)));
            };
        }
        Nll nll = nll(op, logp, target, weight, ignoreIndex, classDim);
        if (labelSmoothing == 0) {
            return nll.reduce(reduction);
        }
        Tensor weighted = weight == null ? logp : logp.mul(weight.view(classShape(input.dim(), classDim, numClasses)));
        Tensor smooth = Tensor.where(nll.valid, weighted.sum(classDim).neg(), 0.0);
        double eps = labelSmoothing / numClasses;
        return switch (reduction) {
            case NONE -> nll.loss.mul(1 - labelSmoothing).add(smooth.mul(eps));
            case SUM -> nll.loss.sum().mul(1 - labelSmoothing).add(smooth.sum().mul(eps));
            default -> {
                Tensor total = nll.weights.sum();
                yield nll.loss.sum().div(total).mul(1 - labelSmoothing).add(smooth.sum().div(total).mul(eps));
            }
        };
    }

    /**
     * Negative log likelihood of log-probabilities {@code input} ({@code [N, C]}, {@code [N, C, d1, ...]} or
     * {@code [C]}) at the class indices {@code target}: {@code -weight[t] * input[n, t]}, zero where
     * {@code t == ignoreIndex}; the mean divides by the summed weights of the counted targets.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        String op = "nllLoss";
        checkReduction(reduction, op);
        int classDim = classDim(input, op);
        checkWeight(weight, input.size(classDim), op);
        if (target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a target of class indices (int64), got " + target.dtype());
        }
        return nll(op, input, target, weight, ignoreIndex, classDim).reduce(reduction);
    }

    /** Per-element NLL terms: the weighted losses, the weight each element counts with, and which were not ignored. */
    private record Nll(Tensor loss, Tensor weights, Tensor valid) {
        Tensor reduce(Reduction reduction) {
            return switch (reduction) {
                case NONE -> loss;
                case SUM -> loss.sum();
                default -> loss.sum().div(weights.sum());
            };
        }
    }

    /**
     * A method of its own, not a loop inside {@link #nll}: the loop's back-edges made the JIT compile nll (and the whole
     * graph of tensor operations it inlines, 8 KB of bytecode) with C2 again and again, on-stack and whole, during the
     * first epochs: seconds of compiler time for a method that runs once per step.
     */
    private static void checkClasses(String op, long[] targets, int numClasses, int ignoreIndex) {
        for (long t : targets) {
            if (t != ignoreIndex && (t < 0 || t >= numClasses)) {
                throw new IndexOutOfBoundsException(op + ": target class " + t + " is out of bounds for " + numClasses
                        + " classes" + (t < 0 ? " (and is not the ignoreIndex " + ignoreIndex + ")" : ""));
            }
        }
    }

    /** A target of class indices with the input's shape without the class dim, every class in range or ignored. */
    private static void checkTarget(String op, Tensor input, Tensor target, int ignoreIndex, int classDim) {
        int[] expected = Shapes.dropDims(input.shape(), new int[] {classDim});
        if (!target.dtype().isIntegral()) {
            throw new IllegalArgumentException(op + ": expected a target of class indices (int64) or class probabilities "
                    + "(float), got " + target.dtype());
        }
        if (!Arrays.equals(target.shape(), expected)) {
            throw new IllegalArgumentException(op + ": expected target of shape " + Arrays.toString(expected)
                    + " for input of shape " + Arrays.toString(input.shape()) + ", got " + Arrays.toString(target.shape()));
        }
        checkClasses(op, target.toLongArray(), input.size(classDim), ignoreIndex);
    }

    private static Nll nll(String op, Tensor logp, Tensor target, Tensor weight, int ignoreIndex, int classDim) {
        int numClasses = logp.size(classDim);
        checkTarget(op, logp, target, ignoreIndex, classDim);
        Tensor t = target.to(DType.INT64);
        int[] classShape = classShape(logp.dim(), classDim, numClasses);
        Tensor valid = t.ne(Tensor.scalar((long) ignoreIndex));
        // one-hot mask of the target class along the class dim (all false for ignored elements)
        Tensor mask = t.unsqueeze(classDim).eq(Tensor.arange(numClasses).view(classShape))
                .logicalAnd(valid.unsqueeze(classDim));
        Tensor picked = Tensor.where(mask, logp, 0.0).sum(classDim);
        Tensor w = weight == null
                ? valid.to(logp.dtype())
                : Tensor.where(mask, weight.to(logp.dtype()).view(classShape), 0.0).sum(classDim);
        return new Nll(picked.mul(w).neg(), w, valid);
    }

    /**
     * Binary cross entropy of probabilities {@code input} (in [0, 1]) against {@code target} of the same shape:
     * {@code -w (t log x + (1 - t) log(1 - x))}, each log clamped to {@code >= -100} as in PyTorch.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        String op = "binaryCrossEntropy";
        checkReduction(reduction, op);
        checkSameShapeStrict(op, input, target);
        double min = input.amin().item();
        double max = input.amax().item();
        if (input.numel() > 0 && !(min >= 0 && max <= 1)) {
            throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1, got values in [" + min
                    + ", " + max + "] (apply sigmoid first, or use binaryCrossEntropyWithLogits)");
        }
        Tensor t = target.to(input.dtype());
        Tensor loss = weight == null
                ? new BinaryCrossEntropy().apply(input, t)
                : new BinaryCrossEntropy().apply(input, t, broadcastWeight(op, weight, input).to(input.dtype()));
        return reduce(loss, reduction, op);
    }

    /**
     * Binary cross entropy of logits, {@code -w (p t log σ(x) + (1 - t) log(1 - σ(x)))}, computed stably for large
     * |x|; {@code posWeight} (broadcast along the last dim, e.g. one per class) weighs the positive term.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction,
                                                      Tensor posWeight) {
        String op = "binaryCrossEntropyWithLogits";
        checkReduction(reduction, op);
        checkSameShapeStrict(op, input, target);
        Tensor w = weight == null ? null : broadcastWeight(op, weight, input).to(input.dtype());
        Tensor pw = posWeight == null ? null : broadcastWeight(op + " posWeight", posWeight, input).to(input.dtype());
        Tensor loss = new BinaryCrossEntropyWithLogits(w != null, pw != null)
                .apply(input, target.to(input.dtype()), w, pw);
        return reduce(loss, reduction, op);
    }

    /**
     * Kullback-Leibler divergence {@code target (log target - input)} for log-probabilities {@code input}; with
     * {@code logTarget} the target is given as log-probabilities too. {@link Reduction#BATCHMEAN} (the sum over the
     * batch size) is the true KL mean; {@code MEAN} averages over all elements, as PyTorch does.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        String op = "klDiv";
        Tensor t = checkSameShape(op, input, target);
        Tensor loss;
        if (logTarget) {
            loss = t.exp().mul(t.sub(input));
        } else {
            // xlogy(t, t): 0 where t == 0 (the double where keeps log(0) out of the gradient)
            Tensor zero = t.eq(0.0);
            Tensor tLogT = Tensor.where(zero, 0.0, t.mul(Tensor.where(zero, 1.0, t).log()));
            loss = tLogT.sub(t.mul(input));
        }
        if (reduction == Reduction.BATCHMEAN) {
            return input.dim() == 0 ? loss.sum() : loss.sum().div((double) input.size(0));
        }
        return reduce(loss, reduction, op);
    }

    // ------------------------------------------------------------------ helpers

    /** Applies a reduction to per-element losses. */
    public static Tensor reduce(Tensor loss, Reduction reduction, String op) {
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case BATCHMEAN -> throw batchmean(op);
        };
    }

    private static void checkReduction(Reduction reduction, String op) {
        if (reduction == Reduction.BATCHMEAN) {
            throw batchmean(op);
        }
    }

    private static IllegalArgumentException batchmean(String op) {
        return new IllegalArgumentException(op + ": reduction batchmean is only valid for klDiv; use none, mean or sum");
    }

    /** The target, which must have the input's shape or broadcast to it (a target that would grow the input is a bug). */
    private static Tensor checkSameShape(String op, Tensor input, Tensor target) {
        int[] in = input.shape();
        int[] tg = target.shape();
        if (Arrays.equals(in, tg)) {
            return target;
        }
        int[] b;
        try {
            b = Shapes.broadcast(in, tg, op);
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !Arrays.equals(b, in)) {
            throw new IllegalArgumentException(op + ": target shape " + Arrays.toString(tg) + " does not match input shape "
                    + Arrays.toString(in) + (b == null ? "" : " (it would broadcast to " + Arrays.toString(b) + ")")
                    + "; reshape one of them, e.g. target.view(input.shape())");
        }
        return target;
    }

    private static void checkSameShapeStrict(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": target size " + Arrays.toString(target.shape())
                    + " must be the same as input size " + Arrays.toString(input.shape()));
        }
    }

    private static Tensor broadcastWeight(String op, Tensor weight, Tensor input) {
        int[] b;
        try {
            b = Shapes.broadcast(input.shape(), weight.shape(), op);
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !Arrays.equals(b, input.shape())) {
            throw new IllegalArgumentException(op + ": weight of shape " + Arrays.toString(weight.shape())
                    + " does not broadcast to the input shape " + Arrays.toString(input.shape()));
        }
        return weight;
    }

    private static int classDim(Tensor input, String op) {
        if (input.dim() == 0) {
            throw new IllegalArgumentException(op + ": expected input of shape [N, C], [N, C, d1, ...] or [C], got a scalar");
        }
        return input.dim() == 1 ? 0 : 1;
    }

    private static int[] classShape(int ndim, int classDim, int numClasses) {
        int[] shape = new int[ndim];
        Arrays.fill(shape, 1);
        shape[classDim] = numClasses;
        return shape;
    }

    private static void checkWeight(Tensor weight, int numClasses, String op) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != numClasses)) {
            throw new IllegalArgumentException(op + ": weight must have one entry per class, shape [" + numClasses + "], got "
                    + Arrays.toString(weight.shape()));
        }
    }

    // ------------------------------------------------------------------ autograd functions

    /** Elementwise {@code (t - 1) max(log(1 - x), -100) - t max(log x, -100)}, times the weight if given. */
    static final class BinaryCrossEntropy extends Function {
        private static final double EPSILON = 1e-12;

        @Override
        public String name() {
            return "BinaryCrossEntropyBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor t = in[1];
            Tensor w = in.length > 2 ? in[2] : null;
            Tensor logX = x.log().clampMin(-100.0);
            Tensor log1mX = x.neg().log1p().clampMin(-100.0);
            Tensor loss = t.sub(1.0).mul(log1mX).sub(t.mul(logX));
            if (w != null) {
                loss = loss.mul(w);
            }
            ctx.saveForBackward(x, t, w);
            return new Tensor[] {loss};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            Tensor t = s[1];
            Tensor w = s[2];
            Tensor g = w == null ? grads[0] : grads[0].mul(w);
            Tensor dx = null;
            Tensor dt = null;
            if (ctx.needsInputGrad(0)) {
                dx = g.mul(x.sub(t)).div(x.neg().add(1.0).mul(x).clampMin(EPSILON));
            }
            if (ctx.needsInputGrad(1)) {
                dt = g.mul(x.neg().log1p().sub(x.log()));
            }
            return new Tensor[] {dx, dt, null};
        }
    }

    /**
     * Elementwise {@code (1 - t) x + lw (log(exp(-m) + exp(-x - m)) + m)} with {@code m = max(-x, 0)} and
     * {@code lw = 1 + (p - 1) t}, times the weight: PyTorch's stable formula. Inputs: x, t, weight (or null),
     * posWeight (or null), the last two already broadcastable to x.
     */
    static final class BinaryCrossEntropyWithLogits extends Function {
        private final boolean hasWeight;
        private final boolean hasPosWeight;
        private int[] shapeW;
        private int[] shapeP;

        BinaryCrossEntropyWithLogits(boolean hasWeight, boolean hasPosWeight) {
            this.hasWeight = hasWeight;
            this.hasPosWeight = hasPosWeight;
        }

        @Override
        public String name() {
            return "BinaryCrossEntropyWithLogitsBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor t = in[1];
            Tensor w = hasWeight ? in[2] : null;
            Tensor p = hasPosWeight ? in[3] : null;
            Tensor m = x.neg().clampMin(0.0);
            Tensor logTerm = m.neg().exp().add(x.neg().sub(m).exp()).log();
            Tensor loss;
            if (p != null) {
                shapeP = p.shape();
                Tensor logWeight = p.sub(1.0).mul(t).add(1.0);
                loss = t.neg().add(1.0).mul(x).add(logWeight.mul(logTerm.add(m)));
            } else {
                loss = t.neg().add(1.0).mul(x).add(m).add(logTerm);
            }
            if (w != null) {
                shapeW = w.shape();
                loss = loss.mul(w);
            }
            ctx.saveForBackward(x, t, w, p);
            return new Tensor[] {loss};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            Tensor t = s[1];
            Tensor w = s[2];
            Tensor p = s[3];
            Tensor g = w == null ? grads[0] : grads[0].mul(w);
            Tensor dx = null;
            Tensor dt = null;
            Tensor dw = null;
            Tensor dp = null;
            if (ctx.needsInputGrad(0)) {
                if (p != null) {
                    Tensor pt = p.mul(t);
                    dx = pt.add(1.0).sub(t).mul(x.sigmoid()).sub(pt).mul(g);
                } else {
                    dx = x.sigmoid().sub(t).mul(g);
                }
            }
            if (ctx.needsInputGrad(1)) {
                // d/dt = p softplus(-x) - softplus(x)  (= -x without a posWeight)
                dt = p != null ? p.mul(x.neg().softplus()).sub(x.softplus()).mul(g) : x.neg().mul(g);
            }
            if (ctx.needsInputGrad(2) || ctx.needsInputGrad(3)) {
                Tensor m = x.neg().clampMin(0.0);
                Tensor softplusNeg = m.neg().exp().add(x.neg().sub(m).exp()).log().add(m);
                if (ctx.needsInputGrad(2)) {
                    Tensor lw = p == null ? null : p.sub(1.0).mul(t).add(1.0);
                    Tensor unweighted = t.neg().add(1.0).mul(x).add(lw == null ? softplusNeg : lw.mul(softplusNeg));
                    dw = Reductions.sumToShape(grads[0].mul(unweighted), shapeW);
                }
                if (ctx.needsInputGrad(3)) {
                    dp = Reductions.sumToShape(g.mul(t).mul(softplusNeg), shapeP);
                }
            }
            return new Tensor[] {dx, dt, dw, dp};
        }
    }
}
