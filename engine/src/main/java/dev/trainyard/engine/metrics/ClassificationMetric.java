package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

/** Shared plumbing of the count-based multiclass metrics. */
abstract sealed class ClassificationMetric implements Metric permits Accuracy, Precision, Recall, F1Score {
    final StatScores stats;
    final Average average;

    ClassificationMetric(String name, int numClasses, Average average, int topK) {
        this.stats = new StatScores(name, numClasses, topK);
        this.average = average;
    }

    /**
     * @param preds  class scores (probabilities or logits) {@code [N, C]}, or integer class labels {@code [N]}
     * @param target integer class indices {@code [N]}
     */
    @Override
    public void update(Tensor preds, Tensor target) {
        stats.update(preds, target);
    }

    @Override
    public void reset() {
        stats.reset();
    }

    public Average average() {
        return average;
    }

    public int numClasses() {
        return stats.numClasses;
    }

    public int topK() {
        return stats.topK;
    }

    /** Per-class {@code num[c] / den[c]}, 0 where the denominator is 0 (torchmetrics' {@code _safe_divide}). */
    static double[] perClass(long[] num, long[] den) {
        double[] out = new double[num.length];
        for (int c = 0; c < num.length; c++) {
            out[c] = StatScores.safeDiv(num[c], den[c]);
        }
        return out;
    }

    static long[] plus(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int c = 0; c < a.length; c++) {
            out[c] = a[c] + b[c];
        }
        return out;
    }
}
