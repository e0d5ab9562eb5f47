package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * Batch normalization over {@code [N, C, H, W]}, per channel, as {@code nn.BatchNorm2d}; see {@link BatchNorm} for
 * the statistics, buffers and modes. Defaults as PyTorch: eps 1e-5, momentum 0.1, affine, tracking running stats.
 */
public class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** As {@code nn.BatchNorm2d(num_features, eps, momentum, affine, track_running_stats)}; momentum null = cumulative average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException(this + ": expected 4D input (got " + input.dim() + "D input)");
        }
    }
}
