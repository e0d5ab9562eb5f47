package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Smooth L1, as {@code nn.SmoothL1Loss}: quadratic below {@code beta} (default 1), linear above. */
public class SmoothL1Loss extends Loss {
    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction) {
        this(reduction, 1.0);
    }

    /** {@code beta} must be non-negative; 0 gives L1. */
    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction(), beta);
    }
}
