package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/**
 * The ranking computations of torchmetrics' non-binned ({@code thresholds=None}) curves: cumulative true and false
 * positives at every distinct score ({@code _binary_clf_curve}), the area under the ROC curve by the trapezoidal rule
 * and average precision as {@code sum (R_n - R_{n-1}) P_n}. Counts and sums are exact / in double precision.
 */
final class Curves {
    private Curves() {
    }

    /** Cumulative counts at each distinct threshold, highest score first: {@code tps[i]}, {@code fps[i]}. */
    record Counts(double[] tps, double[] fps) {
    }

    static Counts clfCurve(float[] scores, boolean[] positive, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]); // -0 and 0 are one threshold
            int sortable = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            keys[i] = ((long) sortable << 32) | i;
        }
        Arrays.sort(keys); // ascending score
        double[] tps = new double[n];
        double[] fps = new double[n];
        int m = 0;
        double tp = 0;
        double fp = 0;
        for (int r = n - 1; r >= 0; r--) {
            int i = (int) keys[r];
            if (positive[i]) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfRun = r == 0 || (int) (keys[r - 1] >> 32) != (int) (keys[r] >> 32);
            if (lastOfRun) {
                tps[m] = tp;
                fps[m] = fp;
                m++;
            }
        }
        return new Counts(Arrays.copyOf(tps, m), Arrays.copyOf(fps, m));
    }

    /**
     * Area under the ROC curve from (0, 0) through every threshold. As torchmetrics: with no positive (negative)
     * targets the true (false) positive rates are taken as 0, so the area is 0.
     */
    static double auroc(float[] scores, boolean[] positive, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        Counts c = clfCurve(scores, positive, n);
        int m = c.tps().length;
        double totalTp = c.tps()[m - 1];
        double totalFp = c.fps()[m - 1];
        double area = 0;
        double prevX = 0;
        double prevY = 0;
        for (int i = 0; i < m; i++) {
            double x = totalFp > 0 ? c.fps()[i] / totalFp : 0;
            double y = totalTp > 0 ? c.tps()[i] / totalTp : 0;
            area += (x - prevX) * (y + prevY) / 2;
            prevX = x;
            prevY = y;
        }
        return area;
    }

    /** Average precision, {@code sum (R_n - R_{n-1}) P_n}; NaN when there are no positive targets. */
    static double averagePrecision(float[] scores, boolean[] positive, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        Counts c = clfCurve(scores, positive, n);
        int m = c.tps().length;
        double totalTp = c.tps()[m - 1];
        if (totalTp == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double prevRecall = 0;
        for (int i = 0; i < m; i++) {
            double recall = c.tps()[i] / totalTp;
            double precision = c.tps()[i] / (c.tps()[i] + c.fps()[i]);
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
        }
        return ap;
    }

    /** Per-class scores reduced as torchmetrics' {@code _reduce_auroc} / {@code _reduce_average_precision}. */
    static Tensor reduce(double[] perClass, double[] support, Average average) {
        int c = perClass.length;
        if (average == Average.NONE) {
            float[] out = new float[c];
            for (int i = 0; i < c; i++) {
                out[i] = (float) perClass[i];
            }
            return Tensor.of(out, c);
        }
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < c; i++) {
            if (Double.isNaN(perClass[i])) {
                continue; // torchmetrics warns and leaves such classes out
            }
            double w = average == Average.WEIGHTED ? support[i] : 1;
            sum += w * perClass[i];
            weights += w;
        }
        if (average == Average.MACRO && weights == 0) {
            return Tensor.scalar(Double.NaN);
        }
        return Tensor.scalar(StatScores.safeDiv(sum, weights));
    }

    /** Float scores, passed through sigmoid (multilabel/binary) or softmax over dim 1 (multiclass) unless all lie in [0, 1]. */
    static float[] normalized(Tensor preds, boolean softmax) {
        float[] s = preds.to(dev.trainyard.engine.DType.FLOAT32).toFloatArray();
        for (float v : s) {
            if (!(v >= 0 && v <= 1)) {
                Tensor p = preds.to(dev.trainyard.engine.DType.FLOAT32);
                return (softmax ? p.softmax(1) : p.sigmoid()).toFloatArray();
            }
        }
        return s;
    }

    /** A growable float array. */
    static final class Floats {
        float[] data = new float[1024];
        int size;

        void add(float[] values) {
            if (size + values.length > data.length) {
                data = Arrays.copyOf(data, Math.max(2 * data.length, size + values.length));
            }
            System.arraycopy(values, 0, data, size, values.length);
            size += values.length;
        }

        void clear() {
            size = 0;
        }
    }
}
