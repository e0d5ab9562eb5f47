package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/**
 * Multiclass confusion matrix, as {@code torchmetrics.ConfusionMatrix(task="multiclass")}: entry {@code [t, p]} counts
 * samples of target class {@code t} predicted as {@code p} (rows are targets, columns predictions).
 *
 * <pre>{@code
 * var cm = new ConfusionMatrix(10);                              // int64 counts
 * var recallPerRow = new ConfusionMatrix(10, Normalization.TRUE); // float32, rows sum to 1
 * }</pre>
 */
public final class ConfusionMatrix implements Metric {
    /** How {@link #compute()} normalizes the counts (torchmetrics' {@code normalize}). */
    public enum Normalization {
        /** Raw int64 counts. */
        NONE,
        /** Each row (target class) divided by its sum. */
        TRUE,
        /** Each column (predicted class) divided by its sum. */
        PRED,
        /** Everything divided by the number of samples. */
        ALL
    }

    private final int numClasses;
    private final Normalization normalization;
    private final long[] counts;

    public ConfusionMatrix(int numClasses) {
        this(numClasses, Normalization.NONE);
    }

    public ConfusionMatrix(int numClasses, Normalization normalization) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("ConfusionMatrix: numClasses must be at least 2, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.normalization = normalization;
        this.counts = new long[numClasses * numClasses];
    }

    /**
     * @param preds  class scores {@code [N, C]} (the argmax is the prediction) or integer class labels {@code [N]}
     * @param target integer class indices {@code [N]}
     */
    @Override
    public void update(Tensor preds, Tensor target) {
        long[] t = StatScores.targets("ConfusionMatrix", target, numClasses);
        int n = t.length;
        long[] p = new long[n];
        if (preds.dtype().isFloatingPoint()) {
            float[] s = StatScores.scores("ConfusionMatrix", preds, n, numClasses);
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < numClasses; c++) {
                    if (s[i * numClasses + c] > s[i * numClasses + best]) {
                        best = c;
                    }
                }
                p[i] = best;
            }
        } else {
            if (!Arrays.equals(preds.shape(), target.shape())) {
                throw new IllegalArgumentException("ConfusionMatrix: class-label preds must have the target's shape "
                        + Arrays.toString(target.shape()) + ", got " + Arrays.toString(preds.shape()));
            }
            p = preds.toLongArray();
            for (int i = 0; i < n; i++) {
                if (p[i] < 0 || p[i] >= numClasses) {
                    throw new IllegalArgumentException("ConfusionMatrix: predicted class " + p[i] + " at index " + i
                            + " is out of range for " + numClasses + " classes");
                }
            }
        }
        for (int i = 0; i < n; i++) {
            counts[(int) t[i] * numClasses + (int) p[i]]++;
        }
    }

    /** int64 {@code [C, C]} counts, or float32 fractions when normalizing (0 where a row or column is empty). */
    @Override
    public Tensor compute() {
        int c = numClasses;
        if (normalization == Normalization.NONE) {
            return Tensor.of(counts.clone(), c, c);
        }
        float[] out = new float[c * c];
        long total = 0;
        for (long v : counts) {
            total += v;
        }
        for (int r = 0; r < c; r++) {
            for (int k = 0; k < c; k++) {
                long den = switch (normalization) {
                    case TRUE -> rowSum(r);
                    case PRED -> colSum(k);
                    default -> total;
                };
                out[r * c + k] = den == 0 ? 0f : (float) ((double) counts[r * c + k] / den);
            }
        }
        return Tensor.of(out, c, c);
    }

    private long rowSum(int r) {
        long s = 0;
        for (int k = 0; k < numClasses; k++) {
            s += counts[r * numClasses + k];
        }
        return s;
    }

    private long colSum(int k) {
        long s = 0;
        for (int r = 0; r < numClasses; r++) {
            s += counts[r * numClasses + k];
        }
        return s;
    }

    @Override
    public void reset() {
        Arrays.fill(counts, 0);
    }
}
