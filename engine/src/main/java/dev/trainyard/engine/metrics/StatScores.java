package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/**
 * Per-class true positive, false positive and false negative counts for multiclass predictions, as torchmetrics'
 * {@code multiclass_stat_scores}. With top-k, every class among a sample's k highest scores is a prediction: the
 * target class counts as a true positive if among them (else a false negative), and each other predicted class as a
 * false positive. Ties between scores go to the lower class index.
 */
final class StatScores {
    final String metric;
    final int numClasses;
    final int topK;
    final long[] tp;
    final long[] fp;
    final long[] fn;

    StatScores(String metric, int numClasses, int topK) {
        if (numClasses < 2) {
            throw new IllegalArgumentException(metric + ": numClasses must be at least 2, got " + numClasses);
        }
        if (topK < 1 || topK > numClasses) {
            throw new IllegalArgumentException(metric + ": topK must be in [1, numClasses=" + numClasses + "], got " + topK);
        }
        this.metric = metric;
        this.numClasses = numClasses;
        this.topK = topK;
        this.tp = new long[numClasses];
        this.fp = new long[numClasses];
        this.fn = new long[numClasses];
    }

    void reset() {
        Arrays.fill(tp, 0);
        Arrays.fill(fp, 0);
        Arrays.fill(fn, 0);
    }

    void update(Tensor preds, Tensor target) {
        long[] t = targets(metric, target, numClasses);
        int n = t.length;
        if (!preds.dtype().isFloatingPoint()) {
            if (topK != 1) {
                throw new IllegalArgumentException(metric + ": top-" + topK + " needs scores of shape [N, " + numClasses
                        + "], got class labels of shape " + Arrays.toString(preds.shape()));
            }
            if (!Arrays.equals(preds.shape(), target.shape())) {
                throw new IllegalArgumentException(metric + ": class-label preds must have the target's shape "
                        + Arrays.toString(target.shape()) + ", got " + Arrays.toString(preds.shape()));
            }
            long[] p = preds.toLongArray();
            for (int i = 0; i < n; i++) {
                if (p[i] < 0 || p[i] >= numClasses) {
                    throw new IllegalArgumentException(metric + ": predicted class " + p[i] + " at index " + i
                            + " is out of range for " + numClasses + " classes");
                }
                count(new int[] {(int) p[i]}, (int) t[i]);
            }
            return;
        }
        float[] scores = scores(metric, preds, n, numClasses);
        int[] picked = new int[topK];
        for (int i = 0; i < n; i++) {
            topK(scores, i * numClasses, numClasses, picked);
            count(picked, (int) t[i]);
        }
    }

    private void count(int[] predicted, int target) {
        boolean hit = false;
        for (int c : predicted) {
            if (c == target) {
                hit = true;
            } else {
                fp[c]++;
            }
        }
        if (hit) {
            tp[target]++;
        } else {
            fn[target]++;
        }
    }

    /** The k largest of {@code row}, ties to the lower index. */
    private static void topK(float[] s, int off, int c, int[] out) {
        int k = out.length;
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int x = 0; x < c; x++) {
                boolean taken = false;
                for (int q = 0; q < j; q++) {
                    if (out[q] == x) {
                        taken = true;
                        break;
                    }
                }
                if (!taken && (best < 0 || s[off + x] > s[off + best] || (Float.isNaN(s[off + x]) && !Float.isNaN(s[off + best])))) {
                    best = x;
                }
            }
            out[j] = best;
        }
    }

    /** Validated class-index targets of shape [N]. */
    static long[] targets(String metric, Tensor target, int numClasses) {
        if (target.dim() != 1 || target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(metric + ": target must be an integer tensor of class indices with shape [N], got "
                    + target.dtype() + " " + Arrays.toString(target.shape()));
        }
        long[] t = target.toLongArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 0 || t[i] >= numClasses) {
                throw new IllegalArgumentException(metric + ": target value " + t[i] + " at index " + i + " is out of range for "
                        + numClasses + " classes");
            }
        }
        return t;
    }

    /** Float scores of shape [N, C], row-major. */
    static float[] scores(String metric, Tensor preds, int n, int numClasses) {
        if (preds.dim() != 2 || preds.size(0) != n || preds.size(1) != numClasses) {
            throw new IllegalArgumentException(metric + ": preds must be scores of shape [N, C] = [" + n + ", " + numClasses
                    + "] or class labels of shape [" + n + "], got " + preds.dtype() + " " + Arrays.toString(preds.shape()));
        }
        return preds.toFloatArray();
    }

    long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    static double safeDiv(double num, double den) {
        return den == 0 ? 0 : num / den;
    }

    /** Per-class score {@code num[c] / den[c]} (0 when the denominator is 0), reduced as torchmetrics does. */
    Tensor reduce(double[] score, Average average) {
        if (average == Average.NONE) {
            float[] out = new float[numClasses];
            for (int c = 0; c < numClasses; c++) {
                out[c] = (float) score[c];
            }
            return Tensor.of(out, numClasses);
        }
        double weighted = 0;
        double total = 0;
        for (int c = 0; c < numClasses; c++) {
            double w;
            if (average == Average.WEIGHTED) {
                w = tp[c] + fn[c];
            } else {
                // macro: classes absent from targets and predictions are left out (with top-k: absent from targets)
                w = (topK == 1 ? tp[c] + fp[c] + fn[c] : tp[c] + fn[c]) == 0 ? 0 : 1;
            }
            weighted += w * score[c];
            total += w;
        }
        return Tensor.scalar(safeDiv(weighted, total));
    }
}
