package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * Sigmoid plus binary cross entropy in one numerically stable step, as {@code nn.BCEWithLogitsLoss}. {@code weight}
 * (broadcast to the input) and {@code posWeight} (weighs positives, broadcast along the last dim, e.g. one per class)
 * are buffers named "weight" and "pos_weight", PyTorch's keys.
 */
public class BCEWithLogitsLoss extends Loss {

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this(null, reduction, null);
    }

    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        registerBuffer("weight", weight);
        registerBuffer("pos_weight", posWeight);
    }

    public Tensor weight() {
        return buffer("weight");
    }

    public Tensor posWeight() {
        return buffer("pos_weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight(), reduction(), posWeight());
    }
}
