package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.nn.functional.Normalization;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * The shared part of {@link BatchNorm1d} and {@link BatchNorm2d}, as PyTorch's {@code _BatchNorm}: per-channel
 * normalization of {@code [N, C, *]} with an affine {@code weight} (ones) and {@code bias} (zeros), and, with
 * {@code trackRunningStats}, the buffers {@code running_mean} (zeros), {@code running_var} (ones) and
 * {@code num_batches_tracked} (int64 0), under PyTorch's names.
 *
 * <p>In training mode the layer normalizes with the batch mean and biased variance and updates the running
 * statistics: {@code running = (1 - momentum) * running + momentum * batch}, with the unbiased batch variance; a
 * null {@code momentum} uses the cumulative average ({@code momentum = 1 / num_batches_tracked}). In evaluation mode
 * it normalizes with the running statistics, or with the batch statistics if they are not tracked.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    /** {@code momentum} null means the cumulative moving average. */
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(className() + ": num_features must be positive, got " + numFeatures);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(className() + ": eps must be non-negative, got " + eps);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Tensor.empty(numFeatures) : null);
        registerParameter("bias", affine ? Tensor.empty(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.scalar(0L) : null);
        resetParameters();
    }

    /** Zeroes the running statistics (running_var to ones) and the batch count. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            try (var g = Autograd.noGrad()) {
                runningMean().zero_();
                runningVar().fill_(1);
                numBatchesTracked().zero_();
            }
        }
    }

    /** Resets the running statistics and the affine parameters (weight ones, bias zeros). */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight());
            Init.zeros_(bias());
        }
    }

    /** Throws if {@code input} has the wrong number of dims for this layer, as PyTorch's {@code _check_input_dim}. */
    protected abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input with " + numFeatures + " channels in dim 1, got shape "
                    + Arrays.toString(input.shape()));
        }
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            try (var g = Autograd.noGrad()) {
                numBatchesTracked().add_(Tensor.scalar(1L));
            }
            if (momentum == null) {
                factor = 1.0 / numBatchesTracked().itemLong();
            }
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        Tensor mean = trackRunningStats ? runningMean() : null;
        Tensor var = trackRunningStats ? runningVar() : null;
        return Normalization.batchNorm(input, mean, var, weight(), bias(), useBatchStats, factor, eps);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    /** The running mean buffer, or null without {@code trackRunningStats}. */
    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    /** The int64 count of training batches seen, or null without {@code trackRunningStats}. */
    public Tensor numBatchesTracked() {
        return buffer("num_batches_tracked");
    }

    public int numFeatures() {
        return numFeatures;
    }

    public double eps() {
        return eps;
    }

    /** The momentum, or null for the cumulative moving average. */
    public Double momentum() {
        return momentum;
    }

    public boolean affine() {
        return affine;
    }

    public boolean trackRunningStats() {
        return trackRunningStats;
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : pyFloat(momentum))
                + ", affine=" + (affine ? "True" : "False") + ", track_running_stats=" + (trackRunningStats ? "True" : "False");
    }
}
