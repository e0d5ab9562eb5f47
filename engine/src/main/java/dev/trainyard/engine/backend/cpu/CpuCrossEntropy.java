package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

/**
 * Cross entropy's two kernels ({@link dev.trainyard.engine.backend.Kernels#crossEntropy} and its backward) as one
 * pass over the rows each, where the composed defaults run some ten kernels. Every value is rounded as the
 * composition rounds it, in the same order (the dtype's result of each single operation; sums added in double, in
 * index order, from +0.0, then rounded), so the bits are the defaults'. Reads and writes the storages in place: the
 * only arrays are the results.
 */
final class CpuCrossEntropy {
    private CpuCrossEntropy() {
    }

    static Tensor[] forward(Tensor logits, Tensor target, long ignoreIndex) {
        DType dtype = logits.dtype();
        boolean single = dtype == DType.FLOAT32;
        int rows = logits.size(0);
        int classes = logits.size(1);
        Tensor xc = logits.isContiguous() ? logits : CpuKernels.INSTANCE.copy(logits, dtype);
        Storage x = xc.storage();
        int xo = xc.storageOffset();
        Storage t = target.storage();
        int to = target.storageOffset();
        int ts = target.stride(0);
        Storage exps = Storage.allocate(dtype, rows * classes);
        Storage sums = Storage.allocate(dtype, rows);
        Storage loss = Storage.allocate(dtype, rows);
        Storage weights = Storage.allocate(dtype, rows);
        for (int b = 0; b < rows; b++) {
            int row = b * classes;
            double max = x.getDouble(xo + row);
            for (int j = 1; j < classes && !Double.isNaN(max); j++) {
                double v = x.getDouble(xo + row + j);
                if (Double.isNaN(v) || v > max) {
                    max = v;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                double e = round(single, Math.exp(round(single, x.getDouble(xo + row + j) - max)));
                exps.setDouble(row + j, e);
                sum += e;
            }
            double rowSum = round(single, sum);
            sums.setDouble(b, rowSum);
            long c = t.getLong(to + b * ts);
            if (c != ignoreIndex) {
                weights.setDouble(b, 1);
                double logp = round(single, round(single, x.getDouble(xo + row + (int) c) - max)
                        - round(single, Math.log(rowSum)));
                // the pick is a row sum from +0.0 (so -0.0 becomes +0.0), multiplied by the weight 1, negated
                loss.setDouble(b, -(0.0 + logp));
            } else {
                loss.setDouble(b, -(0.0 * 0.0));
            }
        }
        return new Tensor[] {Tensor.wrap(loss, rows), Tensor.wrap(weights, rows), Tensor.wrap(exps, rows, classes),
                Tensor.wrap(sums, rows)};
    }

    static Tensor backward(Tensor gradLoss, Tensor target, long ignoreIndex, Tensor exps, Tensor sums) {
        DType dtype = exps.dtype();
        boolean single = dtype == DType.FLOAT32;
        int rows = exps.size(0);
        int classes = exps.size(1);
        Storage g = gradLoss.storage();
        int go = gradLoss.storageOffset();
        int gs = gradLoss.stride(0);
        Storage t = target.storage();
        int to = target.storageOffset();
        int ts = target.stride(0);
        Tensor ec = exps.isContiguous() ? exps : CpuKernels.INSTANCE.copy(exps, dtype);
        Storage e = ec.storage();
        int eo = ec.storageOffset();
        Storage s = sums.storage();
        int so = sums.storageOffset();
        int ss = sums.stride(0);
        Storage grad = Storage.allocate(dtype, rows * classes);
        for (int b = 0; b < rows; b++) {
            int row = b * classes;
            long c = t.getLong(to + b * ts);
            boolean counted = c != ignoreIndex;
            double coefficient = counted ? -g.getDouble(go + b * gs) : 0.0;
            // log_softmax's backward: gLogp - exp(x - max) * sum(gLogp) / sums, as the sub, log and exp backwards round it
            double negSum = 0.0 + -coefficient;
            double scale = round(single, round(single, negSum) / s.getDouble(so + b * ss));
            int picked = counted ? (int) c : -1;
            for (int j = 0; j < classes; j++) {
                double gLogp = j == picked ? coefficient : 0.0;
                grad.setDouble(row + j, round(single, gLogp + round(single, scale * e.getDouble(eo + row + j))));
            }
        }
        return Tensor.wrap(grad, rows, classes);
    }

    private static double round(boolean single, double v) {
        return single ? (float) v : v;
    }
}
