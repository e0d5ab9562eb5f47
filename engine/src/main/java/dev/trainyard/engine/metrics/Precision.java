package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

/**
 * Multiclass precision, {@code tp / (tp + fp)}, as {@code torchmetrics.Precision(task="multiclass")}.
 *
 * <pre>{@code
 * var m = new Precision(10);                       // micro average, top-1
 * var perClass = new Precision(10, Average.NONE);
 * var top5 = new Precision(100, Average.MACRO, 5);
 * }</pre>
 *
 * Per class the score is {@code tp / (tp + fp)} (0 when the denominator is 0); see {@link Average} for the
 * reductions. Inputs: class scores {@code [N, C]} (probabilities or logits) or integer class labels {@code [N]}, and
 * integer targets {@code [N]}. The default average is MICRO, as torchmetrics' task wrapper
 * {@code Precision(task="multiclass")} (its {@code MulticlassPrecision} class defaults to MACRO).
 */
public final class Precision extends ClassificationMetric {

    public Precision(int numClasses) {
        this(numClasses, Average.MICRO, 1);
    }

    public Precision(int numClasses, Average average) {
        this(numClasses, average, 1);
    }

    public Precision(int numClasses, Average average, int topK) {
        super("Precision", numClasses, average, topK);
    }

    @Override
    public Tensor compute() {
        StatScores s = stats;
        if (average == Average.MICRO) {
            return Tensor.scalar(StatScores.safeDiv(s.sum(s.tp), s.sum(s.tp) + s.sum(s.fp)));
        }
        return s.reduce(perClass(stats.tp, plus(stats.tp, stats.fp)), average);
    }
}
