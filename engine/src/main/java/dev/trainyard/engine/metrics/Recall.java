package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

/**
 * Multiclass recall, {@code tp / (tp + fn)}, as {@code torchmetrics.Recall(task="multiclass")}.
 *
 * <pre>{@code
 * var m = new Recall(10);                       // micro average, top-1
 * var perClass = new Recall(10, Average.NONE);
 * var top5 = new Recall(100, Average.MACRO, 5);
 * }</pre>
 *
 * Per class the score is {@code tp / (tp + fn)} (0 when the denominator is 0); see {@link Average} for the
 * reductions. Inputs: class scores {@code [N, C]} (probabilities or logits) or integer class labels {@code [N]}, and
 * integer targets {@code [N]}. The default average is MICRO, as torchmetrics' task wrapper
 * {@code Recall(task="multiclass")} (its {@code MulticlassRecall} class defaults to MACRO).
 */
public final class Recall extends ClassificationMetric {

    public Recall(int numClasses) {
        this(numClasses, Average.MICRO, 1);
    }

    public Recall(int numClasses, Average average) {
        this(numClasses, average, 1);
    }

    public Recall(int numClasses, Average average, int topK) {
        super("Recall", numClasses, average, topK);
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
