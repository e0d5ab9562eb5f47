package dev.trainyard.engine.backend;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

/**
 * The primitive kernels one device provides. Every tensor op is composed from these; autograd, broadcasting and type
 * promotion happen above this line, so a kernel sees inputs that already have the output's shape (broadcast inputs
 * arrive as stride-0 views) and a common dtype. Kernels never record autograd history and always return new,
 * contiguous tensors unless they write into a given destination.
 */
public interface Kernels {

    /** A contiguous copy of {@code src} converted to {@code dtype}. */
    Tensor copy(Tensor src, DType dtype);

    /** Writes {@code src} (same shape, any dtype) into {@code dst}, which may be a strided view. */
    void copyInto(Tensor dst, Tensor src);

    /** Elementwise op; the result has the input's dtype, or bool for LOGICAL_NOT. */
    Tensor unary(UnaryOp op, Tensor x);

    /** Elementwise op of two same-shape, same-dtype inputs; the result has that dtype, or bool for comparisons. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /**
     * relu of {@code x} and, for its backward, where {@code x} is not {@code <= 0} (positive or NaN: where relu's output
     * is not {@code <= 0}) in a form of the kernel's choosing (null when it keeps none; an array of it may come from
     * {@link IntBuffers}, for the caller to give back once no backward will read it). The output is
     * {@code unary(RELU, x)}'s, bit for bit.
     */
    default Tensor[] reluWithMask(Tensor x) {
        return new Tensor[] {unary(UnaryOp.RELU, x), null};
    }

    /**
     * Whether a floating-point {@code x} holds a -0.0 (its exact bits): where relu keeps it, a max-pool after the relu
     * can see another zero than the pool before it (see {@code Sequential}).
     */
    default boolean anyNegativeZero(Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            return false;
        }
        Tensor d = copy(x, DType.FLOAT64);
        Storage values = d.storage();
        for (int i = 0; i < d.numel(); i++) {
            if (Double.doubleToRawLongBits(values.getDouble(d.storageOffset() + i)) == Long.MIN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * relu's backward, as PyTorch's {@code threshold_backward(grad, output, 0)}: {@code output <= 0 ? +0 : grad},
     * elementwise, for two same-shape tensors of one floating-point dtype. A select, not a product: where the output is
     * 0 the gradient is +0 whatever grad holds (-0, NaN, infinities), and where it is NaN grad passes. Reads
     * {@link #reluWithMask}'s mask instead of the output when it is not null; writes into grad's own array when
     * {@code inPlace} (grad must then be contiguous, cover its whole array and be viewed by no other tensor: an owned
     * gradient) and returns grad.
     */
    default Tensor reluBackward(Tensor grad, Tensor output, Tensor mask, boolean inPlace) {
        Tensor zeros = everywhere(grad.shape(), Tensor.full(new int[0], 0.0, grad.dtype()));
        Tensor dx = where(binary(BinaryOp.LE, output, zeros), zeros, grad);
        if (!inPlace) {
            return dx;
        }
        copyInto(grad, dx);
        return grad;
    }

    /** {@code cond ? a : b}, elementwise; {@code cond} is bool, {@code a} and {@code b} share a dtype, all one shape. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Reduces over {@code dims} (sorted, distinct); the result drops those dims and keeps the input's dtype. */
    Tensor reduce(ReduceOp op, Tensor x, int[] dims);

    /** Max or min along {@code dim} with the index of the first extreme (NaN counts as the extreme): {values, int64 indices}. */
    Tensor[] argReduce(ReduceOp op, Tensor x, int dim);

    /** Batched matrix product of {@code [B, M, K]} and {@code [B, K, N]} of one dtype. */
    Tensor matmul(Tensor a, Tensor b);

    /**
     * im2row: {@code [N, C, H, W]} to {@code [N, L, C*kh*kw]}, one row per output position (L = outH*outW), padding
     * read as {@code padValue}.
     */
    Tensor unfold(Tensor x, ConvGeometry geometry, double padValue);

    /** row2im, the adjoint of unfold: rows {@code [N, L, C*kh*kw]} summed into {@code [N, C, H, W]}. */
    Tensor fold(Tensor rows, int channels, ConvGeometry geometry);

    /**
     * A convolution's output from its product: rows {@code [N, L, O]} (one per output position) transposed to
     * {@code [N, O, L]}, plus {@code bias[o]}: the values of {@code binary(ADD, product.transpose(1, 2), bias)} with
     * the bias broadcast.
     */
    default Tensor transposeAddBias(Tensor product, Tensor bias) {
        int[] shape = {product.size(0), product.size(2), product.size(1)};
        return binary(BinaryOp.ADD, product.transpose(1, 2), bias.view(1, shape[1], 1).expand(shape));
    }

    /**
     * A convolution's output gradient {@code [N, O, L]} as product rows: a contiguous copy of its transpose,
     * {@code [N, L, O]}, and the bias gradient {@code [O]}, the values of {@code reduce(SUM, grad, {0, 2})}.
     */
    default Tensor[] transposeAndSumRows(Tensor grad) {
        return new Tensor[] {copy(grad.transpose(1, 2), grad.dtype()), reduce(ReduceOp.SUM, grad, new int[] {0, 2})};
    }

    /**
     * Max pooling of {@code [N, C, H, W]}: the maxima {@code [N, C, outH, outW]} (x's dtype) and where each was found,
     * as int32 positions {@code h * W + w} within its (image, channel) plane, in an array that may come from
     * {@link IntBuffers} (the caller gives it back once it has finished with it). Padding is never chosen; a window
     * is scanned in row-major order, an element replacing the best if greater or NaN (as PyTorch's CPU kernel), so the
     * first maximum wins, or the last NaN. Every window must reach the image. Floating-point dtypes.
     */
    Tensor[] maxPool2d(Tensor x, ConvGeometry geometry);

    /**
     * The input gradient {@code [N, C, H, W]} ({@code inputShape}) of {@link #maxPool2d}: each output's gradient added
     * at its maximum's position (as a sequential scatter into zeros adds them), zero elsewhere.
     */
    Tensor maxPool2dBackward(Tensor grad, Tensor positions, ConvGeometry geometry, int[] inputShape);

    // ---- indexing primitives (implemented for the CPU in cpu/CpuIndexKernels) ----

    /**
     * {@code x.flatten()[index]}: the elements of {@code x} at row-major positions {@code index} (int64, any shape,
     * values in {@code [0, x.numel())}). The result has the index's shape and x's dtype. Gather, index select, masked
     * select and advanced indexing all lower to this once their positions are computed.
     */
    Tensor take(Tensor x, Tensor index);

    /**
     * {@code torch.index_select}: the slices of {@code x} along {@code dim} at {@code index} (values already checked to
     * lie in {@code [0, x.size(dim))}), in index order; the result has x's shape with {@code index.length} at
     * {@code dim}. The same elements as {@link #take} at the slices' row-major positions, without a table of them.
     */
    Tensor indexSelect(Tensor x, int dim, long[] index);

    /**
     * A contiguous copy of {@code x} whose elements at row-major positions {@code index} (int64) are replaced by, or with
     * {@code accumulate} increased by, the matching elements of {@code src} (as many elements as the index, x's dtype).
     * With {@code accumulate} repeated positions add up; without it one of the writes wins. Scatter, scatter-add and
     * the backward of {@link #take} lower to this.
     */
    Tensor put(Tensor x, Tensor index, Tensor src, boolean accumulate);

    /** Inclusive cumulative sum along {@code dim}; the result is contiguous with x's shape and dtype. */
    Tensor cumsum(Tensor x, int dim);

    /**
     * The int64 positions that stably sort each slice of {@code x} along {@code dim} (ties keep their order; NaN sorts
     * above everything, -0.0 equals 0.0), as {@code torch.sort(stable=True).indices}; contiguous, x's shape.
     */
    Tensor argsort(Tensor x, int dim, boolean descending);

    // ---- fused nodes' kernels: each default is composed of the primitives above, so a device gets them for free ----
    // (constants the defaults need are made by Tensor's factories, as the ops' scalar operands are)

    /**
     * conv2d with one group and a bias, {@code x [N, C, H, W]}, {@code weight [O, C, kh, kw]}, {@code bias [O]}, one
     * floating dtype: {@code {output [N, O, outH, outW], unfolded}}, where {@code unfolded} is the input's windows in
     * the kernel's own layout, kept for {@link #conv2dBackward} and given to nothing else, or null where the kernel
     * keeps none (its backward takes the windows from the input again). The output has the values of
     * {@code unfold(x).view(N*L, C*kh*kw).matmul(W^T).view(N, L, O).transpose(1, 2) + bias}; a float32 unfolded array
     * may come from {@link FloatBuffers} (the caller gives it back).
     */
    default Tensor[] conv2d(Tensor x, Tensor weight, Tensor bias, ConvGeometry geometry) {
        int n = x.size(0);
        int o = weight.size(0);
        int ckk = weight.size(1) * weight.size(2) * weight.size(3);
        int l = geometry.outH() * geometry.outW();
        Tensor rows = unfold(x, geometry, 0.0).view(1, n * l, ckk);
        Tensor product = matmul(rows, weight.reshape(o, ckk).t().reshape(1, ckk, o));
        Tensor out = transposeAddBias(product.view(n, l, o), bias).view(n, o, geometry.outH(), geometry.outW());
        if (product.dtype() == DType.FLOAT32) {
            FloatBuffers.giveBack(product.storage().floats());
        }
        return new Tensor[] {out, rows};
    }

    /**
     * The gradients of {@link #conv2d} from the output's gradient {@code grad [N, O, L]} (contiguous), the forward's
     * input {@code x} and its {@code unfolded} input (null where the forward kept none: the windows are then taken
     * from x again): {@code {input's [N, C, H, W], weight's, bias's}}, each null unless asked for; the values of the
     * composition's gradients (the bias's summed over images, then positions, in double precision). The weight is
     * needed (and may be null otherwise) only for the input's gradient.
     */
    default Tensor[] conv2dBackward(Tensor grad, Tensor x, Tensor unfolded, Tensor weight, int[] weightShape,
                                    ConvGeometry geometry, int[] inputShape, boolean input, boolean weightGrad,
                                    boolean biasGrad) {
        int n = grad.size(0);
        int o = grad.size(1);
        int l = grad.size(2);
        int ckk = weightShape[1] * weightShape[2] * weightShape[3];
        Tensor gradBias = null;
        Tensor gradProduct = null;
        Tensor gradInput = null;
        Tensor gradWeight = null;
        if (input || weightGrad) {
            // the product rows' gradient and the bias's from one pass over the output's gradient
            Tensor[] rowsAndSums = transposeAndSumRows(grad);
            gradProduct = rowsAndSums[0].view(1, n * l, o);
            gradBias = biasGrad ? rowsAndSums[1] : null;
        } else if (biasGrad) {
            gradBias = reduce(ReduceOp.SUM, grad, new int[] {0, 2});
        }
        if (input) {
            Tensor gradRows = matmul(gradProduct, weight.reshape(1, o, ckk));
            gradInput = fold(gradRows.view(n, l, ckk), inputShape[1], geometry);
            if (gradRows.dtype() == DType.FLOAT32) {
                FloatBuffers.giveBack(gradRows.storage().floats());
            }
        }
        if (weightGrad) {
            Tensor rows = unfolded != null ? unfolded : unfold(x, geometry, 0.0).view(1, n * l, ckk);
            gradWeight = matmul(rows.transpose(1, 2), gradProduct).reshape(ckk, o).t().reshape(weightShape);
            if (unfolded == null && rows.dtype() == DType.FLOAT32) {
                FloatBuffers.giveBack(rows.storage().floats());
            }
        }
        if (gradProduct != null && gradProduct.dtype() == DType.FLOAT32 && gradProduct.storage() != grad.storage()) {
            FloatBuffers.giveBack(gradProduct.storage().floats());
        }
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }

    /**
     * {@code matrix + bias}: {@code bias [cols]} added to each row of {@code matrix [rows, cols]}, one floating dtype
     * (the linear layer's bias). {@code matrix} is a fresh result of another kernel that the caller gives up, so a
     * kernel may add in place and return it. The same values as {@code binary(ADD, ...)} with the bias broadcast.
     */
    default Tensor addBias(Tensor matrix, Tensor bias) {
        return binary(BinaryOp.ADD, matrix, bias.asStrided(matrix.shape(), new int[] {0, bias.stride(0)}, bias.storageOffset()));
    }

    /**
     * Cross entropy of {@code logits [N, C]} (floating) against int64 class indices {@code target [N]} (each in
     * {@code [0, C)} or {@code ignoreIndex}), rounded as {@code log_softmax} then {@code nll_loss} round it:
     * {@code {loss [N], weights [N], exps [N, C], sums [N]}} in the logits' dtype, where loss is {@code -log p} of the
     * target ({@code -0.0} where ignored), weights 1 where counted and 0 where ignored, exps {@code exp(x - rowmax)}
     * and sums their row sums (what {@link #crossEntropyBackward} needs).
     */
    default Tensor[] crossEntropy(Tensor logits, Tensor target, long ignoreIndex) {
        int classes = logits.size(1);
        Tensor max = reduce(ReduceOp.MAX, logits, new int[] {1});
        Tensor shifted = binary(BinaryOp.SUB, logits, eachColumn(max, classes));
        Tensor exps = unary(UnaryOp.EXP, shifted);
        Tensor sums = reduce(ReduceOp.SUM, exps, new int[] {1});
        Tensor logp = binary(BinaryOp.SUB, shifted, eachColumn(unary(UnaryOp.LOG, sums), classes));
        Tensor valid = binary(BinaryOp.NE, target, everywhere(target.shape(), Tensor.scalar(ignoreIndex)));
        // nll_loss's pick: the sum of the row with every other class zeroed (so -0.0 becomes +0.0), times its weight
        Tensor picked = reduce(ReduceOp.SUM, where(targetMask(target, valid, classes), logp,
                everywhere(logp.shape(), Tensor.full(new int[0], 0.0, logp.dtype()))), new int[] {1});
        Tensor weights = copy(valid, logits.dtype());
        Tensor loss = unary(UnaryOp.NEG, binary(BinaryOp.MUL, picked, weights));
        return new Tensor[] {loss, weights, exps, sums};
    }

    /**
     * The logits' gradient {@code [N, C]} of {@link #crossEntropy}'s loss, given each row's upstream gradient
     * {@code gradLoss [N]} (a stride-0 view for a reduced loss, already divided by the count for the mean) and the
     * target, exps and sums of the forward: {@code gLogp - exps * sum(gLogp) / sums}, where {@code gLogp} is
     * {@code -gradLoss} at each counted target and 0 elsewhere, rounded as the composition's backward rounds it.
     */
    default Tensor crossEntropyBackward(Tensor gradLoss, Tensor target, long ignoreIndex, Tensor exps, Tensor sums) {
        int classes = exps.size(1);
        Tensor valid = binary(BinaryOp.NE, target, everywhere(target.shape(), Tensor.scalar(ignoreIndex)));
        Tensor gLogp = where(targetMask(target, valid, classes), eachColumn(unary(UnaryOp.NEG, gradLoss), classes),
                everywhere(exps.shape(), Tensor.full(new int[0], 0.0, exps.dtype())));
        // log's backward of log(sums), reached through the subtraction: -sum(gLogp) / sums
        Tensor negSum = reduce(ReduceOp.SUM, unary(UnaryOp.NEG, gLogp), new int[] {1});
        Tensor scale = binary(BinaryOp.DIV, negSum, sums);
        return binary(BinaryOp.ADD, gLogp, binary(BinaryOp.MUL, eachColumn(scale, classes), exps));
    }

    /**
     * The {@code p}-norm of all of {@code x}'s elements (floating), unrounded, as a 0-dim float64 tensor (gradient
     * clipping's per-gradient norm): the sum over row-major elements in double of {@code |v|^p} ({@code v * v} for 2,
     * {@code |v|} for 1, {@code v != 0} for 0) then its {@code 1/p}-th power; for infinity the largest {@code |v|}
     * (NaN wins); 0 for no elements.
     */
    default Tensor vectorNorm(Tensor x, double p) {
        Tensor v = unary(UnaryOp.ABS, copy(x, DType.FLOAT64));
        int[] all = new int[x.dim()];
        for (int d = 0; d < all.length; d++) {
            all[d] = d;
        }
        if (p == Double.POSITIVE_INFINITY) {
            return x.numel() == 0 ? Tensor.full(new int[0], 0.0, DType.FLOAT64) : reduce(ReduceOp.MAX, v, all);
        }
        if (p == 0) {
            Tensor nonzero = binary(BinaryOp.NE, v, everywhere(v.shape(), Tensor.full(new int[0], 0.0, DType.FLOAT64)));
            return reduce(ReduceOp.SUM, copy(nonzero, DType.FLOAT64), all);
        }
        if (p == 1) {
            return reduce(ReduceOp.SUM, v, all);
        }
        if (p == 2) {
            return unary(UnaryOp.SQRT, reduce(ReduceOp.SUM, binary(BinaryOp.MUL, v, v), all));
        }
        Tensor powers = binary(BinaryOp.POW, v, everywhere(v.shape(), Tensor.full(new int[0], p, DType.FLOAT64)));
        Tensor sum = reduce(ReduceOp.SUM, powers, all);
        return binary(BinaryOp.POW, sum, Tensor.full(new int[0], 1 / p, DType.FLOAT64));
    }

    /** {@code a * b + c} rounded once (a fused multiply-add), elementwise, for same-shape inputs of one floating dtype. */
    Tensor fma(Tensor a, Tensor b, Tensor c);

    /**
     * One Adam (or AdamW, {@code decoupled}) step in place on contiguous tensors of one floating dtype: the parameter,
     * its gradient, {@code exp_avg}, {@code exp_avg_sq} and, with amsgrad, {@code max_exp_avg_sq} (else null), rounded
     * as PyTorch's CPU kernels round {@code torch.optim.Adam}'s single-tensor update.
     */
    default void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s) {
        int[] shape = param.shape();
        DType dtype = param.dtype();
        Tensor g = s.maximize() ? unary(UnaryOp.NEG, grad) : grad;
        if (s.weightDecay() != 0) {
            g = fma(param, everywhere(shape, Tensor.full(new int[0], s.weightDecay(), dtype)), g); // grad.add(param, alpha=wd)
        }
        Tensor w = s.decoupled()
                ? binary(BinaryOp.MUL, param, everywhere(shape, Tensor.full(new int[0], s.decay(), dtype)))
                : param;
        // exp_avg.mul_(beta1).add_(g, alpha=1-beta1); exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1-beta2)
        Tensor m = fma(g, everywhere(shape, Tensor.full(new int[0], s.oneMinusBeta1(), dtype)),
                binary(BinaryOp.MUL, expAvg, everywhere(shape, Tensor.full(new int[0], s.beta1(), dtype))));
        Tensor v = fma(binary(BinaryOp.MUL, everywhere(shape, Tensor.full(new int[0], s.oneMinusBeta2(), dtype)), g), g,
                binary(BinaryOp.MUL, expAvgSq, everywhere(shape, Tensor.full(new int[0], s.beta2(), dtype))));
        copyInto(expAvg, m);
        copyInto(expAvgSq, v);
        Tensor second = v;
        if (maxExpAvgSq != null) {
            second = binary(BinaryOp.MAXIMUM, maxExpAvgSq, v);
            copyInto(maxExpAvgSq, second);
        }
        // (sqrt(v) / sqrt(bias_correction2)).add_(eps); param.addcdiv_(m, denom, value=-step_size)
        Tensor denom = binary(BinaryOp.ADD,
                binary(BinaryOp.DIV, unary(UnaryOp.SQRT, second), everywhere(shape, Tensor.full(new int[0], s.biasCorrection2Sqrt(), dtype))),
                everywhere(shape, Tensor.full(new int[0], s.eps(), dtype)));
        Tensor step = binary(BinaryOp.DIV,
                binary(BinaryOp.MUL, everywhere(shape, Tensor.full(new int[0], s.negStepSize(), dtype)), m), denom);
        copyInto(param, binary(BinaryOp.ADD, w, step));
    }

    /**
     * One SGD step in place on contiguous tensors of one floating dtype: the parameter, its gradient and, with momentum,
     * its {@code momentum_buffer} (else null), which the first step ({@code firstStep}) sets to the gradient; rounded as
     * PyTorch's CPU kernels round {@code torch.optim.SGD}'s single-tensor update.
     */
    default void sgdStep(Tensor param, Tensor grad, Tensor momentumBuffer, boolean firstStep, SgdStep s) {
        int[] shape = param.shape();
        DType dtype = param.dtype();
        Tensor d = s.maximize() ? unary(UnaryOp.NEG, grad) : grad;
        if (s.weightDecay() != 0) {
            d = fma(param, everywhere(shape, Tensor.full(new int[0], s.weightDecay(), dtype)), d); // grad.add(param, alpha=wd)
        }
        if (momentumBuffer != null) {
            Tensor momentum = everywhere(shape, Tensor.full(new int[0], s.momentum(), dtype));
            // buf = clone(d_p) on the first step, else buf.mul_(momentum).add_(d_p, alpha=1-dampening)
            Tensor buf = firstStep ? d : fma(d, everywhere(shape, Tensor.full(new int[0], s.oneMinusDampening(), dtype)),
                    binary(BinaryOp.MUL, momentumBuffer, momentum));
            copyInto(momentumBuffer, buf);
            d = s.nesterov() ? fma(buf, momentum, d) : buf; // d_p.add(buf, alpha=momentum)
        }
        copyInto(param, fma(d, everywhere(shape, Tensor.full(new int[0], s.negLr(), dtype)), param)); // param.add_(d_p, alpha=-lr)
    }

    /**
     * One RMSprop step in place on contiguous tensors of one floating dtype: the parameter, its gradient,
     * {@code square_avg}, and {@code grad_avg} when centered and {@code momentum_buffer} with momentum (else null),
     * rounded as PyTorch's CPU kernels round {@code torch.optim.RMSprop}'s single-tensor update.
     */
    default void rmspropStep(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                             RmspropStep s) {
        int[] shape = param.shape();
        DType dtype = param.dtype();
        Tensor g = s.maximize() ? unary(UnaryOp.NEG, grad) : grad;
        if (s.weightDecay() != 0) {
            g = fma(param, everywhere(shape, Tensor.full(new int[0], s.weightDecay(), dtype)), g); // grad.add(param, alpha=wd)
        }
        Tensor alpha = everywhere(shape, Tensor.full(new int[0], s.alpha(), dtype));
        Tensor oneMinusAlpha = everywhere(shape, Tensor.full(new int[0], s.oneMinusAlpha(), dtype));
        // square_avg.mul_(alpha).addcmul_(g, g, value=1-alpha)
        Tensor sq = fma(binary(BinaryOp.MUL, oneMinusAlpha, g), g, binary(BinaryOp.MUL, squareAvg, alpha));
        copyInto(squareAvg, sq);
        Tensor avg;
        if (gradAvg != null) {
            // grad_avg.mul_(alpha).add_(g, alpha=1-alpha)
            Tensor ga = fma(g, oneMinusAlpha, binary(BinaryOp.MUL, gradAvg, alpha));
            copyInto(gradAvg, ga);
            avg = unary(UnaryOp.SQRT, fma(unary(UnaryOp.NEG, ga), ga, sq));    // square_avg.addcmul(ga, ga, value=-1).sqrt_()
        } else {
            avg = unary(UnaryOp.SQRT, sq);
        }
        avg = binary(BinaryOp.ADD, avg, everywhere(shape, Tensor.full(new int[0], s.eps(), dtype))); // avg.add_(eps)
        Tensor negLr = everywhere(shape, Tensor.full(new int[0], s.negLr(), dtype));
        if (momentumBuffer != null) {
            // buf.mul_(momentum).addcdiv_(g, avg); param.add_(buf, alpha=-lr)
            Tensor buf = binary(BinaryOp.ADD,
                    binary(BinaryOp.MUL, momentumBuffer, everywhere(shape, Tensor.full(new int[0], s.momentum(), dtype))),
                    binary(BinaryOp.DIV, g, avg));
            copyInto(momentumBuffer, buf);
            copyInto(param, fma(buf, negLr, param));
        } else {
            // param.addcdiv_(g, avg, value=-lr)
            copyInto(param, binary(BinaryOp.ADD, param, binary(BinaryOp.DIV, binary(BinaryOp.MUL, negLr, g), avg)));
        }
    }

    /**
     * One Adagrad step in place on contiguous tensors of one floating dtype: the parameter, its gradient and its
     * {@code sum} of squared gradients, rounded as PyTorch's CPU kernels round {@code torch.optim.Adagrad}'s
     * single-tensor (dense) update.
     */
    default void adagradStep(Tensor param, Tensor grad, Tensor stateSum, AdagradStep s) {
        int[] shape = param.shape();
        DType dtype = param.dtype();
        Tensor g = s.maximize() ? unary(UnaryOp.NEG, grad) : grad;
        if (s.weightDecay() != 0) {
            g = fma(param, everywhere(shape, Tensor.full(new int[0], s.weightDecay(), dtype)), g); // grad.add(param, alpha=wd)
        }
        Tensor sum = fma(g, g, stateSum);                                           // state_sum.addcmul_(g, g, value=1)
        copyInto(stateSum, sum);
        Tensor std = binary(BinaryOp.ADD, unary(UnaryOp.SQRT, sum), everywhere(shape, Tensor.full(new int[0], s.eps(), dtype)));
        Tensor step = binary(BinaryOp.MUL, everywhere(shape, Tensor.full(new int[0], s.negClr(), dtype)), g);
        copyInto(param, binary(BinaryOp.ADD, param, binary(BinaryOp.DIV, step, std))); // param.addcdiv_(g, std, value=-clr)
    }

    /** {@code v [N]} as {@code [N, columns]}, each row repeating its element (a stride-0 view). */
    private static Tensor eachColumn(Tensor v, int columns) {
        return v.asStrided(new int[] {v.size(0), columns}, new int[] {v.stride(0), 0}, v.storageOffset());
    }

    /** A 0-dim {@code scalar} in every element of {@code shape} (a stride-0 view). */
    private static Tensor everywhere(int[] shape, Tensor scalar) {
        return scalar.asStrided(shape, new int[shape.length], scalar.storageOffset());
    }

    /** Bool {@code [N, C]}: true at each counted row's target class. */
    private Tensor targetMask(Tensor target, Tensor valid, int classes) {
        int rows = target.size(0);
        Tensor column = Tensor.arange(classes).asStrided(new int[] {rows, classes}, new int[] {0, 1}, 0);
        return binary(BinaryOp.LOGICAL_AND, binary(BinaryOp.EQ, eachColumn(target, classes), column),
                eachColumn(valid, classes));
    }
}
