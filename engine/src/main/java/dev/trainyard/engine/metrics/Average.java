package dev.trainyard.engine.metrics;

/** How per-class scores are combined, as torchmetrics' {@code average} argument. */
public enum Average {
    /** From counts summed over classes (for top-1 multiclass, precision = recall = F1 = accuracy). */
    MICRO,
    /** The unweighted mean of the per-class scores, over the classes that occur in the targets or predictions. */
    MACRO,
    /** The mean of the per-class scores weighted by each class's support (its number of targets). */
    WEIGHTED,
    /** No reduction: one score per class. */
    NONE
}
