package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;

import java.util.Arrays;

/**
 * Normalization layers, as {@code F.batch_norm}, {@code F.layer_norm} and {@code F.group_norm}, composed from
 * mean, biased variance, {@code rsqrt} and broadcasting, so autograd derives the gradients. Each normalizes
 * {@code (x - mean) / sqrt(var + eps)} with the biased variance and then applies the optional affine
 * {@code weight * x + bias}.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Batch normalization of {@code input [N, C, *]} per channel. With {@code training} it normalizes with the batch
     * statistics (over every dim but 1) and, if the running buffers are given, updates them in place:
     * {@code running = (1 - momentum) * running + momentum * batch}, with the <em>unbiased</em> batch variance for
     * {@code runningVar}. Without {@code training} it normalizes with {@code runningMean} and {@code runningVar}.
     * {@code weight}, {@code bias} ({@code [C]}) and, when training, the running buffers may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input of at least 2 dims [N, C, *], got shape "
                    + Arrays.toString(input.shape()));
        }
        int c = input.size(1);
        checkChannelVector("batchNorm", "weight", weight, c, input);
        checkChannelVector("batchNorm", "bias", bias, c, input);
        checkChannelVector("batchNorm", "runningMean", runningMean, c, input);
        checkChannelVector("batchNorm", "runningVar", runningVar, c, input);
        int[] channelShape = channelShape(input.dim(), c);
        Tensor mean;
        Tensor var;
        if (training) {
            int n = input.numel() / Math.max(c, 1);
            if (n <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input of shape "
                        + Arrays.toString(input.shape()));
            }
            int[] dims = reduceDims(input.dim());
            mean = input.mean(dims, true);
            var = input.var(dims, 0, true);
            if (runningMean != null || runningVar != null) {
                try (var g = Autograd.noGrad()) {
                    if (runningMean != null) {
                        runningMean.copy_(runningMean.mul(1 - momentum).add(mean.detach().reshape(c).mul(momentum)));
                    }
                    if (runningVar != null) {
                        Tensor unbiased = var.detach().reshape(c).mul((double) n / (n - 1));
                        runningVar.copy_(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
                    }
                }
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: runningMean and runningVar are required when not training");
            }
            mean = runningMean.view(channelShape);
            var = runningVar.view(channelShape);
        }
        Tensor out = input.sub(mean).mul(var.add(eps).rsqrt());
        return affine(out, weight, bias, channelShape);
    }

    /**
     * Layer normalization over the last {@code normalizedShape.length} dims of {@code input}, whose trailing shape must
     * be {@code normalizedShape}; {@code weight} and {@code bias} (of {@code normalizedShape}) may be null.
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        boolean matches = k > 0 && input.dim() >= k;
        for (int i = 0; matches && i < k; i++) {
            matches = input.size(input.dim() - k + i) == normalizedShape[i];
        }
        if (!matches) {
            throw new IllegalArgumentException("layerNorm: given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], but got input of size " + Arrays.toString(input.shape()));
        }
        for (String name : new String[] {"weight", "bias"}) {
            Tensor t = name.equals("weight") ? weight : bias;
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new IllegalArgumentException("layerNorm: expected " + name + " of shape " + Arrays.toString(normalizedShape)
                        + ", got " + Arrays.toString(t.shape()));
            }
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = input.dim() - k + i;
        }
        Tensor mean = input.mean(dims, true);
        Tensor var = input.var(dims, 0, true);
        Tensor out = input.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) {
            out = out.mul(weight);
        }
        return bias == null ? out : out.add(bias);
    }

    /**
     * Group normalization of {@code input [N, C, *]}: the channels are split into {@code numGroups} groups and each
     * (sample, group) is normalized over its channels and positions; {@code weight} and {@code bias} ({@code [C]}) may
     * be null.
     */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("groupNorm: expected an input of at least 2 dims [N, C, *], got shape "
                    + Arrays.toString(input.shape()));
        }
        int n = input.size(0);
        int c = input.size(1);
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: expected number of channels in input to be divisible by num_groups, "
                    + "but got input of shape " + Arrays.toString(input.shape()) + " and num_groups=" + numGroups);
        }
        checkChannelVector("groupNorm", "weight", weight, c, input);
        checkChannelVector("groupNorm", "bias", bias, c, input);
        Tensor grouped = input.reshape(n, numGroups, -1);
        Tensor mean = grouped.mean(2, true);
        Tensor var = grouped.var(new int[] {2}, 0, true);
        Tensor out = grouped.sub(mean).mul(var.add(eps).rsqrt()).reshape(input.shape());
        return affine(out, weight, bias, channelShape(input.dim(), c));
    }

    private static Tensor affine(Tensor x, Tensor weight, Tensor bias, int[] channelShape) {
        Tensor out = weight == null ? x : x.mul(weight.view(channelShape));
        return bias == null ? out : out.add(bias.view(channelShape));
    }

    /** {@code [1, C, 1, ...]} for an input of {@code dim} dims. */
    private static int[] channelShape(int dim, int c) {
        int[] shape = new int[dim];
        Arrays.fill(shape, 1);
        shape[1] = c;
        return shape;
    }

    private static int[] reduceDims(int dim) {
        int[] dims = new int[dim - 1];
        dims[0] = 0;
        for (int d = 2; d < dim; d++) {
            dims[d - 1] = d;
        }
        return dims;
    }

    private static void checkChannelVector(String op, String name, Tensor t, int c, Tensor input) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException(op + ": expected " + name + " of shape [" + c + "] for input of shape "
                    + Arrays.toString(input.shape()) + " (" + c + " channels), got " + Arrays.toString(t.shape()));
        }
    }
}
