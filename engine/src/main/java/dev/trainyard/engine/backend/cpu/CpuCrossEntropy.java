package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

/**
 * Cross entropy's two kernels ({@link dev.trainyard.engine.backend.Kernels#crossEntropy} and its backward) as one
 * pass over the rows each, where the composed defaults run some ten kernels. Every value is rounded as the
 * composition rounds it, in the same order (the dtype's result of each single operation; sums added in double, in
 * index order, from +0.0, then rounded), so the bits are the defaults'.
 */
final class CpuCrossEntropy {
    private CpuCrossEntropy() {
    }

    static Tensor[] forward(Tensor logits, Tensor target, long ignoreIndex) {
        boolean single = logits.dtype() == DType.FLOAT32;
        int rows = logits.size(0);
        int classes = logits.size(1);
        double[] x = Elements.doubles(logits);
        long[] t = Elements.longs(target);
        double[] exps = new double[rows * classes];
        double[] sums = new double[rows];
        double[] loss = new double[rows];
        double[] weights = new double[rows];
        for (int b = 0; b < rows; b++) {
            int row = b * classes;
            double max = x[row];
            for (int j = 1; j < classes && !Double.isNaN(max); j++) {
                double v = x[row + j];
                if (Double.isNaN(v) || v > max) {
                    max = v;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                double e = round(single, Math.exp(round(single, x[row + j] - max)));
                exps[row + j] = e;
                sum += e;
            }
            sums[b] = round(single, sum);
            if (t[b] != ignoreIndex) {
                weights[b] = 1;
                double logp = round(single, round(single, x[row + (int) t[b]] - max) - round(single, Math.log(sums[b])));
                // the pick is a row sum from +0.0 (so -0.0 becomes +0.0), multiplied by the weight 1, negated
                loss[b] = -(0.0 + logp);
            } else {
                loss[b] = -(0.0 * 0.0);
            }
        }
        DType dtype = logits.dtype();
        return new Tensor[] {
                Tensor.wrap(Elements.fromDoubles(loss, dtype), rows),
                Tensor.wrap(Elements.fromDoubles(weights, dtype), rows),
                Tensor.wrap(Elements.fromDoubles(exps, dtype), rows, classes),
                Tensor.wrap(Elements.fromDoubles(sums, dtype), rows)};
    }

    static Tensor backward(Tensor gradLoss, Tensor target, long ignoreIndex, Tensor exps, Tensor sums) {
        boolean single = exps.dtype() == DType.FLOAT32;
        int rows = exps.size(0);
        int classes = exps.size(1);
        double[] g = Elements.doubles(gradLoss);
        long[] t = Elements.longs(target);
        double[] e = Elements.doubles(exps);
        double[] s = Elements.doubles(sums);
        double[] grad = new double[rows * classes];
        for (int b = 0; b < rows; b++) {
            int row = b * classes;
            boolean counted = t[b] != ignoreIndex;
            double coefficient = counted ? -g[b] : 0.0;
            // log_softmax's backward: gLogp - exp(x - max) * sum(gLogp) / sums, as the sub, log and exp backwards round it
            double negSum = 0.0 + -coefficient;
            double scale = round(single, round(single, negSum) / s[b]);
            int picked = counted ? (int) t[b] : -1;
            for (int j = 0; j < classes; j++) {
                double gLogp = j == picked ? coefficient : 0.0;
                grad[row + j] = round(single, gLogp + round(single, scale * e[row + j]));
            }
        }
        return Tensor.wrap(Elements.fromDoubles(grad, exps.dtype()), rows, classes);
    }

    private static double round(boolean single, double v) {
        return single ? (float) v : v;
    }
}
