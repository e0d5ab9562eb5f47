package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/**
 * Area under the ROC curve, as {@code torchmetrics.AUROC} with {@code thresholds=None} (exact): binary, or multiclass
 * one-vs-rest with a MACRO (default), WEIGHTED (by class support) or NONE (per class) reduction.
 *
 * <pre>{@code
 * var auc = AUROC.multiclass(10);          // preds [N, 10] probabilities or logits, target [N]
 * var bin = AUROC.binary();                // preds [N], target [N] of 0/1
 * }</pre>
 *
 * As in torchmetrics, a batch of scores that are not all in [0, 1] is taken for logits and passed through a sigmoid
 * (binary) or a softmax over classes (multiclass) before it is stored; a class with no positive targets gets an AUROC
 * of 0 (its true-positive rate is taken as 0) and still counts in the average. All scores are kept until
 * {@link #reset()}.
 */
public final class AUROC implements Metric {
    private final int numClasses; // 0 for binary
    private final Average average;
    private final Curves.Floats scores = new Curves.Floats();
    private final Curves.Floats targets = new Curves.Floats();

    private AUROC(int numClasses, Average average) {
        if (average == Average.MICRO) {
            throw new IllegalArgumentException("AUROC: average must be MACRO, WEIGHTED or NONE, got MICRO");
        }
        this.numClasses = numClasses;
        this.average = average;
    }

    public static AUROC binary() {
        return new AUROC(0, Average.MACRO);
    }

    /** One-vs-rest AUROC per class, averaged with MACRO. */
    public static AUROC multiclass(int numClasses) {
        return multiclass(numClasses, Average.MACRO);
    }

    public static AUROC multiclass(int numClasses, Average average) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("AUROC: numClasses must be at least 2, got " + numClasses);
        }
        return new AUROC(numClasses, average);
    }

    /**
     * Binary: {@code preds [N]} scores and {@code target [N]} of 0/1. Multiclass: {@code preds [N, C]} and
     * {@code target [N]} class indices.
     */
    @Override
    public void update(Tensor preds, Tensor target) {
        if (numClasses == 0) {
            if (preds.dim() != 1 || !preds.dtype().isFloatingPoint() || !Arrays.equals(preds.shape(), target.shape())) {
                throw new IllegalArgumentException("AUROC (binary): expected float preds [N] and a target of the same shape, got "
                        + preds.dtype() + " " + Arrays.toString(preds.shape()) + " and " + Arrays.toString(target.shape()));
            }
            long[] t = StatScores.targets("AUROC (binary)", target, 2);
            scores.add(Curves.normalized(preds, false));
            targets.add(toFloats(t));
            return;
        }
        long[] t = StatScores.targets("AUROC", target, numClasses);
        if (!preds.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("AUROC: preds must be float scores of shape [N, " + numClasses + "], got " + preds.dtype());
        }
        StatScores.scores("AUROC", preds, t.length, numClasses);
        scores.add(Curves.normalized(preds, true));
        targets.add(toFloats(t));
    }

    static float[] toFloats(long[] t) {
        float[] f = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            f[i] = t[i];
        }
        return f;
    }

    /** A 0-dim float32 tensor, or {@code [C]} per class with NONE. */
    @Override
    public Tensor compute() {
        int n = targets.size;
        if (numClasses == 0) {
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                pos[i] = targets.data[i] == 1f;
            }
            return Tensor.scalar(Curves.auroc(Arrays.copyOf(scores.data, n), pos, n));
        }
        double[] perClass = new double[numClasses];
        double[] support = new double[numClasses];
        float[] column = new float[n];
        boolean[] pos = new boolean[n];
        for (int c = 0; c < numClasses; c++) {
            for (int i = 0; i < n; i++) {
                column[i] = scores.data[i * numClasses + c];
                pos[i] = targets.data[i] == c;
                if (pos[i]) {
                    support[c]++;
                }
            }
            perClass[c] = Curves.auroc(column, pos, n);
        }
        return Curves.reduce(perClass, support, average);
    }

    @Override
    public void reset() {
        scores.clear();
        targets.clear();
    }
}
