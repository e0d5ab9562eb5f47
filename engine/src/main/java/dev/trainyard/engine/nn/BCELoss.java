package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * Binary cross entropy of probabilities, as {@code nn.BCELoss}; logs are clamped to {@code >= -100} as in PyTorch.
 * Prefer {@link BCEWithLogitsLoss}, which takes logits and is stable. {@code weight} (broadcast to the input) is a
 * buffer named "weight".
 */
public class BCELoss extends Loss {

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this(null, reduction);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        registerBuffer("weight", weight);
    }

    public Tensor weight() {
        return buffer("weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, weight(), reduction());
    }
}
