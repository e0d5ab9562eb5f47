package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * Negative log likelihood of log-probabilities at class indices, as {@code nn.NLLLoss}; pair it with
 * {@link LogSoftmax}. Per-class {@code weight} is a buffer named "weight"; targets equal to {@code ignoreIndex} are
 * skipped.
 */
public class NLLLoss extends Loss {
    private final int ignoreIndex;

    public NLLLoss() {
        this(null, F.IGNORE_INDEX, Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this(null, F.IGNORE_INDEX, reduction);
    }

    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    public Tensor weight() {
        return buffer("weight");
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight(), ignoreIndex, reduction());
    }
}
