package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Mean squared error, as {@code nn.MSELoss}: {@code (input - target)^2}, reduced. */
public class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction());
    }
}
