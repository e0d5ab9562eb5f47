package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/**
 * Average precision per label, {@code AP = sum_n (R_n - R_{n-1}) P_n} over the distinct score thresholds (the area
 * under the step-wise precision-recall curve, without interpolation), as torchmetrics'
 * {@code MultilabelAveragePrecision} / {@code MulticlassAveragePrecision} with {@code thresholds=None}.
 *
 * <pre>{@code
 * var ap = new AveragePrecision(5);                       // per label: float32 [5]
 * ap.update(scores, labels);                              // [N, 5] scores, [N, 5] 0/1 targets
 * var map = new AveragePrecision(5, Average.MACRO);       // or MeanAveragePrecision(5)
 * }</pre>
 *
 * Inputs, per update: multilabel {@code preds [N, L]} with {@code target [N, L]} of 0/1; multiclass
 * {@code preds [N, C]} with {@code target [N]} class indices (one-vs-rest); or, with one label, binary
 * {@code preds [N]} with {@code target [N]}. Scores not all in [0, 1] are treated as logits (sigmoid, or softmax for
 * multiclass), as torchmetrics does. A label without positive targets has AP NaN and is left out of the MACRO and
 * WEIGHTED (by number of positives) averages.
 */
public class AveragePrecision implements Metric {
    private final int numLabels;
    private final Average average;
    private final Curves.Floats scores = new Curves.Floats();
    private final Curves.Floats positives = new Curves.Floats();

    /** Per-label AP (average NONE). */
    public AveragePrecision(int numLabels) {
        this(numLabels, Average.NONE);
    }

    public AveragePrecision(int numLabels, Average average) {
        if (numLabels < 1) {
            throw new IllegalArgumentException("AveragePrecision: numLabels must be positive, got " + numLabels);
        }
        if (average == Average.MICRO) {
            throw new IllegalArgumentException("AveragePrecision: average must be MACRO, WEIGHTED or NONE, got MICRO");
        }
        this.numLabels = numLabels;
        this.average = average;
    }

    @Override
    public void update(Tensor preds, Tensor target) {
        String name = getClass().getSimpleName();
        if (!preds.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(name + ": preds must be float scores, got " + preds.dtype());
        }
        if (preds.dim() == 1 && numLabels == 1 && Arrays.equals(preds.shape(), target.shape())) {
            long[] t = StatScores.targets(name, target, 2);
            scores.add(Curves.normalized(preds, false));
            positives.add(AUROC.toFloats(t));
            return;
        }
        if (preds.dim() != 2 || preds.size(1) != numLabels) {
            throw new IllegalArgumentException(name + ": preds must have shape [N, " + numLabels + "], got "
                    + Arrays.toString(preds.shape()));
        }
        int n = preds.size(0);
        if (target.dim() == 1) { // multiclass: one-hot the class indices
            long[] t = StatScores.targets(name, target, numLabels);
            if (t.length != n) {
                throw new IllegalArgumentException(name + ": target [N] must match preds' " + n + " rows, got " + t.length);
            }
            float[] oneHot = new float[n * numLabels];
            for (int i = 0; i < n; i++) {
                oneHot[i * numLabels + (int) t[i]] = 1f;
            }
            scores.add(Curves.normalized(preds, true));
            positives.add(oneHot);
            return;
        }
        if (!Arrays.equals(preds.shape(), target.shape()) || target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(name + ": multilabel target must be an integer tensor of preds' shape "
                    + Arrays.toString(preds.shape()) + ", got " + target.dtype() + " " + Arrays.toString(target.shape()));
        }
        long[] t = target.toLongArray();
        float[] f = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            if (t[i] != 0 && t[i] != 1) {
                throw new IllegalArgumentException(name + ": multilabel target values must be 0 or 1, found " + t[i]
                        + " at flat index " + i);
            }
            f[i] = t[i];
        }
        scores.add(Curves.normalized(preds, false));
        positives.add(f);
    }

    /** Per-label AP {@code [L]} (NONE), or the 0-dim average. */
    @Override
    public Tensor compute() {
        int n = scores.size / numLabels;
        double[] perLabel = new double[numLabels];
        double[] support = new double[numLabels];
        float[] column = new float[n];
        boolean[] pos = new boolean[n];
        for (int c = 0; c < numLabels; c++) {
            for (int i = 0; i < n; i++) {
                column[i] = scores.data[i * numLabels + c];
                pos[i] = positives.data[i * numLabels + c] == 1f;
                if (pos[i]) {
                    support[c]++;
                }
            }
            perLabel[c] = Curves.averagePrecision(column, pos, n);
        }
        if (numLabels == 1 && average == Average.NONE) {
            return Tensor.scalar(perLabel[0]);
        }
        return Curves.reduce(perLabel, support, average);
    }

    @Override
    public void reset() {
        scores.clear();
        positives.clear();
    }
}
