package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

/**
 * Multiclass F1 score, the harmonic mean of precision and recall: {@code 2 tp / (2 tp + fp + fn)} per class (0 when
 * the denominator is 0), as {@code torchmetrics.F1Score(task="multiclass")}.
 *
 * <pre>{@code
 * var f1 = new F1Score(10, Average.MACRO);
 * }</pre>
 *
 * Inputs as {@link Accuracy}. MICRO computes the formula from counts summed over classes; the default average is MICRO, as torchmetrics' task
 * wrapper (its {@code MulticlassF1Score} defaults to MACRO).
 */
public final class F1Score extends ClassificationMetric {

    public F1Score(int numClasses) {
        this(numClasses, Average.MICRO, 1);
    }

    public F1Score(int numClasses, Average average) {
        this(numClasses, average, 1);
    }

    public F1Score(int numClasses, Average average, int topK) {
        super("F1Score", numClasses, average, topK);
    }

    @Override
    public Tensor compute() {
        StatScores s = stats;
        if (average == Average.MICRO) {
            long tp = s.sum(s.tp);
            return Tensor.scalar(StatScores.safeDiv(2.0 * tp, 2.0 * tp + s.sum(s.fp) + s.sum(s.fn)));
        }
        double[] score = new double[s.numClasses];
        for (int c = 0; c < score.length; c++) {
            score[c] = StatScores.safeDiv(2.0 * s.tp[c], 2.0 * s.tp[c] + s.fp[c] + s.fn[c]);
        }
        return s.reduce(score, average);
    }
}
