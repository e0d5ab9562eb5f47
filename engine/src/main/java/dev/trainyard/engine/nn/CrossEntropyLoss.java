package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * Cross entropy of logits, as {@code nn.CrossEntropyLoss}: input {@code [N, C]} (or {@code [N, C, d1, ...]}, or
 * {@code [C]}), target class indices ({@code [N]}, int64) or class probabilities (the input's shape, float). Options
 * as PyTorch: per-class {@code weight} (a buffer named "weight"), {@code ignoreIndex} (default -100),
 * {@code labelSmoothing}. See {@link F#crossEntropy(Tensor, Tensor, Tensor, int, Reduction, double)}.
 */
public class CrossEntropyLoss extends Loss {
    private final int ignoreIndex;
    private final double labelSmoothing;

    public CrossEntropyLoss() {
        this(null, F.IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(null, F.IGNORE_INDEX, reduction, 0.0);
    }

    /** {@code weight} ({@code [C]}) may be null. */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** The per-class weight, or null. */
    public Tensor weight() {
        return buffer("weight");
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
    }
}
