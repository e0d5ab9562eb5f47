package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

/**
 * Multiclass accuracy, as {@code torchmetrics.Accuracy(task="multiclass")}: the fraction of samples whose target is
 * among the top-k predictions (MICRO), or the mean per-class recall (MACRO / WEIGHTED).
 *
 * <pre>{@code
 * var m = new Accuracy(10);                       // micro average, top-1
 * var perClass = new Accuracy(10, Average.NONE);
 * var top5 = new Accuracy(100, Average.MACRO, 5);
 * }</pre>
 *
 * Per class the score is {@code tp / (tp + fn)} (0 when the denominator is 0); see {@link Average} for the
 * reductions. Inputs: class scores {@code [N, C]} (probabilities or logits) or integer class labels {@code [N]}, and
 * integer targets {@code [N]}. The default average is MICRO, as torchmetrics' task wrapper
 * {@code Accuracy(task="multiclass")} (its {@code MulticlassAccuracy} class defaults to MACRO).
 */
public final class Accuracy extends ClassificationMetric {

    public Accuracy(int numClasses) {
        this(numClasses, Average.MICRO, 1);
    }

    public Accuracy(int numClasses, Average average) {
        this(numClasses, average, 1);
    }

    public Accuracy(int numClasses, Average average, int topK) {
        super("Accuracy", numClasses, average, topK);
    }

    @Override
    public Tensor compute() {
        StatScores s = stats;
        if (average == Average.MICRO) {
            return Tensor.scalar(StatScores.safeDiv(s.sum(s.tp), s.sum(s.tp) + s.sum(s.fn)));
        }
        return s.reduce(perClass(stats.tp, plus(stats.tp, stats.fn)), average);
    }
}
