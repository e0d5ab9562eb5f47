package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Huber loss, as {@code nn.HuberLoss}: quadratic below {@code delta} (default 1), {@code delta}-sloped linear above. */
public class HuberLoss extends Loss {
    private final double delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    public HuberLoss(Reduction reduction) {
        this(reduction, 1.0);
    }

    /** {@code delta} must be positive. */
    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        this.delta = delta;
    }

    public double delta() {
        return delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.huberLoss(input, target, reduction(), delta);
    }
}
