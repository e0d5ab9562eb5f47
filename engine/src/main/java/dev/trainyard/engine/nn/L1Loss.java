package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Mean absolute error, as {@code nn.L1Loss}: {@code |input - target|}, reduced. */
public class L1Loss extends Loss {
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction());
    }
}
