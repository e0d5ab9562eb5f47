package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * KL divergence of {@code target} from the log-probabilities {@code input}, as {@code nn.KLDivLoss}. Use
 * {@link Reduction#BATCHMEAN} for the true KL mean (PyTorch's default "mean" averages over every element).
 */
public class KLDivLoss extends Loss {
    private final boolean logTarget;

    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction) {
        this(reduction, false);
    }

    /** With {@code logTarget} the target holds log-probabilities too. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    public boolean logTarget() {
        return logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.klDiv(input, target, reduction(), logTarget);
    }
}
