package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Activations;
import dev.trainyard.engine.nn.functional.Dropout;
import dev.trainyard.engine.nn.functional.Embedding;
import dev.trainyard.engine.nn.functional.Linear;
import dev.trainyard.engine.nn.functional.Losses;

/**
 * The stateless functional layer, as {@code torch.nn.functional}: {@code F.relu(x)}, {@code F.linear(x, w, b)},
 * {@code F.crossEntropy(logits, y)}. Optional arguments follow PyTorch's positional order; the short overloads use
 * PyTorch's defaults. The implementations live in {@link dev.trainyard.engine.nn.functional}, one class per family.
 */
public final class F {
    /** PyTorch's default {@code ignore_index}. */
    public static final int IGNORE_INDEX = -100;

    private F() {
    }

    // ------------------------------------------------------------------ activations

    public static Tensor relu(Tensor x) {
        return Activations.relu(x);
    }

    /** Leaky ReLU with PyTorch's default slope 0.01. */
    public static Tensor leakyRelu(Tensor x) {
        return Activations.leakyRelu(x, 0.01);
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return Activations.leakyRelu(x, negativeSlope);
    }

    public static Tensor elu(Tensor x) {
        return Activations.elu(x, 1.0);
    }

    public static Tensor elu(Tensor x, double alpha) {
        return Activations.elu(x, alpha);
    }

    /** Exact GELU. */
    public static Tensor gelu(Tensor x) {
        return Activations.gelu(x, "none");
    }

    /** GELU with {@code approximate} "none" or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return Activations.gelu(x, approximate);
    }

    public static Tensor silu(Tensor x) {
        return Activations.silu(x);
    }

    public static Tensor sigmoid(Tensor x) {
        return Activations.sigmoid(x);
    }

    public static Tensor tanh(Tensor x) {
        return Activations.tanh(x);
    }

    public static Tensor softplus(Tensor x) {
        return Activations.softplus(x, 1.0, 20.0);
    }

    public static Tensor softplus(Tensor x, double beta, double threshold) {
        return Activations.softplus(x, beta, threshold);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return Activations.softmax(x, dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return Activations.logSoftmax(x, dim);
    }

    // ------------------------------------------------------------------ layers

    /** {@code input W^T + b}; {@code bias} may be null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        return Linear.linear(input, weight, bias);
    }

    public static Tensor linear(Tensor input, Tensor weight) {
        return Linear.linear(input, weight, null);
    }

    /** Inverted dropout with probability {@code p} when {@code training}, drawing from the default generator. */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        return Dropout.dropout(input, p, training, Generator.defaultGenerator());
    }

    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        return Dropout.dropout(input, p, training, generator);
    }

    /** Dropout with p = 0.5 in training mode, as {@code F.dropout(x)}. */
    public static Tensor dropout(Tensor input) {
        return dropout(input, 0.5, true);
    }

    public static Tensor embedding(Tensor input, Tensor weight) {
        return Embedding.embedding(input, weight, null);
    }

    /** Embedding lookup whose {@code paddingIdx} rows get no gradient. */
    public static Tensor embedding(Tensor input, Tensor weight, int paddingIdx) {
        return Embedding.embedding(input, weight, paddingIdx);
    }

    // ------------------------------------------------------------------ losses

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, Reduction.MEAN);
    }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mseLoss(input, target, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, Reduction.MEAN);
    }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1Loss(input, target, reduction);
    }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    public static Tensor huberLoss(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target, Reduction.MEAN, 1.0);
    }

    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return Losses.huberLoss(input, target, reduction, delta);
    }

    /** Cross entropy of logits against class indices (int64) or class probabilities (float), mean-reduced. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, null, IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
        return Losses.crossEntropy(input, target, null, IGNORE_INDEX, reduction, 0.0);
    }

    /** The full form, as {@code F.cross_entropy(input, target, weight, ignore_index=, reduction=, label_smoothing=)}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    public static Tensor nllLoss(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, null, IGNORE_INDEX, Reduction.MEAN);
    }

    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, null, Reduction.MEAN, null);
    }

    /** As {@code F.binary_cross_entropy_with_logits(input, target, weight, reduction=, pos_weight=)}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction,
                                                      Tensor posWeight) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, reduction, posWeight);
    }

    /** KL divergence with PyTorch's default reduction "mean" (element mean); prefer {@link Reduction#BATCHMEAN}. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return Losses.klDiv(input, target, Reduction.MEAN, false);
    }

    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }

    // ================================================================== convolution, pooling, padding, normalization,
    // attention: the layers section (nn/functional/Convolution, Pooling, Padding, Normalization, Attention)

    /** {@code F.conv1d} with stride 1, no padding. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return dev.trainyard.engine.nn.functional.Convolution.conv1d(input, weight, bias, 1, 0, 1, 1);
    }

    /** As {@code F.conv1d(input, weight, bias, stride, padding, dilation, groups)}; {@code bias} may be null. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return dev.trainyard.engine.nn.functional.Convolution.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv1d} with {@code padding} "same" or "valid". */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return dev.trainyard.engine.nn.functional.Convolution.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d} with stride 1, no padding. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
    }

    /** As {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)}; {@code bias} may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        return dev.trainyard.engine.nn.functional.Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d} with {@code padding} "same" (stride 1; extra padding on the bottom/right) or "valid". */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        return dev.trainyard.engine.nn.functional.Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** As {@code F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return dev.trainyard.engine.nn.functional.Convolution.convTranspose2d(input, weight, bias, stride, padding, outputPadding,
                groups, dilation);
    }

    /** Zero padding of the last {@code pad.length / 2} dims, last dim first ({@code {left, right, top, bottom}}), as {@code F.pad}. */
    public static Tensor pad(Tensor input, int[] pad) {
        return dev.trainyard.engine.nn.functional.Padding.pad(input, pad, 0.0);
    }

    /** Constant padding with {@code value}; negative amounts crop. */
    public static Tensor pad(Tensor input, int[] pad, double value) {
        return dev.trainyard.engine.nn.functional.Padding.pad(input, pad, value);
    }

    /** As {@code F.pad(input, pad, mode, value)}; only mode "constant" is available. */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
        return dev.trainyard.engine.nn.functional.Padding.pad(input, pad, mode, value);
    }

    /** Max pooling with a square kernel and stride equal to it. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        int[] k = {kernelSize, kernelSize};
        return maxPool2d(input, k, k, new int[] {0, 0}, new int[] {1, 1}, false);
    }

    /** As {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)}; {@code stride} null = kernel size. */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return dev.trainyard.engine.nn.functional.Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** Max pooling returning the values and their flat indices into each input plane, as {@code return_indices=True}. */
    public static dev.trainyard.engine.ValuesIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride,
                                                                         int[] padding, int[] dilation, boolean ceilMode) {
        return dev.trainyard.engine.nn.functional.Pooling.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation,
                ceilMode);
    }

    /** Average pooling with a square kernel and stride equal to it. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        int[] k = {kernelSize, kernelSize};
        return avgPool2d(input, k, k, new int[] {0, 0}, false, true, null);
    }

    /**
     * As {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)};
     * {@code stride} null = kernel size, {@code divisorOverride} null = none.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return dev.trainyard.engine.nn.functional.Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad,
                divisorOverride);
    }

    public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
        return adaptiveAvgPool2d(input, new int[] {outputSize, outputSize});
    }

    /** As {@code F.adaptive_avg_pool2d(input, (outH, outW))}. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
        return dev.trainyard.engine.nn.functional.Pooling.adaptiveAvgPool2d(input, outputSize);
    }

    /**
     * As {@code F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)}: with
     * {@code training}, normalizes with the batch statistics and updates the running buffers (if given) in place.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return dev.trainyard.engine.nn.functional.Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training,
                momentum, eps);
    }

    /** Batch norm with the running statistics (evaluation), no affine, eps 1e-5. */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar) {
        return batchNorm(input, runningMean, runningVar, null, null, false, 0.1, 1e-5);
    }

    /** Layer norm over the trailing {@code normalizedShape} dims, no affine, eps 1e-5. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape) {
        return layerNorm(input, normalizedShape, null, null, 1e-5);
    }

    /** As {@code F.layer_norm(input, normalized_shape, weight, bias, eps)}; {@code weight} and {@code bias} may be null. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return dev.trainyard.engine.nn.functional.Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    public static Tensor groupNorm(Tensor input, int numGroups) {
        return groupNorm(input, numGroups, null, null, 1e-5);
    }

    /** As {@code F.group_norm(input, num_groups, weight, bias, eps)}. */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        return dev.trainyard.engine.nn.functional.Normalization.groupNorm(input, numGroups, weight, bias, eps);
    }

    /**
     * As {@code F.multi_head_attention_forward} with packed projections (sequence-first inputs; see
     * {@link dev.trainyard.engine.nn.functional.Attention#multiHeadAttention}); masks may be null.
     */
    public static AttentionOutput multiHeadAttentionForward(Tensor query, Tensor key, Tensor value, int numHeads,
                                                            Tensor inProjWeight, Tensor inProjBias, Tensor outProjWeight,
                                                            Tensor outProjBias, double dropoutP, boolean training,
                                                            Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                                                            boolean averageAttnWeights) {
        var r = dev.trainyard.engine.nn.functional.Attention.multiHeadAttention(query, key, value, numHeads, inProjWeight,
                inProjBias, null, null, null, outProjWeight, outProjBias, dropoutP, training, keyPaddingMask, needWeights,
                attnMask, averageAttnWeights, Generator.defaultGenerator());
        return new AttentionOutput(r.output(), r.weights());
    }
    // ================================================================== end of the layers section
}
