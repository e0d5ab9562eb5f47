package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.AdamStep;

/**
 * Adam's update ({@link dev.trainyard.engine.backend.Kernels#adamStep}) in one pass over the elements, each operation
 * rounded to the dtype as the composed default's kernels round it (a float op equals the double one rounded once;
 * the multiply-adds are fused). float32 without amsgrad runs on float vectors when the Vector API is enabled.
 */
final class CpuAdam {
    private CpuAdam() {
    }

    static void step(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s) {
        int n = param.numel();
        boolean f32 = param.dtype() == DType.FLOAT32;
        if (f32 && maxExpAvgSq == null && VectorApi.ENABLED) {
            // elementwise: a large parameter's chunks on all cores, the same bits
            CpuKernels.inChunks(n, (from, to) -> AdamFloat32.update(param.storage().floats(),
                    param.storageOffset() + from, grad.storage().floats(), grad.storageOffset() + from,
                    expAvg.storage().floats(), expAvg.storageOffset() + from, expAvgSq.storage().floats(),
                    expAvgSq.storageOffset() + from, to - from, s.maximize(), s.decoupled(), s.weightDecay() != 0,
                    (float) s.decay(), (float) s.weightDecay(), (float) s.beta1(), (float) s.oneMinusBeta1(),
                    (float) s.beta2(), (float) s.oneMinusBeta2(), (float) s.biasCorrection2Sqrt(), (float) s.eps(),
                    (float) s.negStepSize()));
            return;
        }
        UpdateBuffer p = new UpdateBuffer(param);
        UpdateBuffer gr = new UpdateBuffer(grad);
        UpdateBuffer m = new UpdateBuffer(expAvg);
        UpdateBuffer v = new UpdateBuffer(expAvgSq);
        UpdateBuffer vmax = maxExpAvgSq != null ? new UpdateBuffer(maxExpAvgSq) : null;
        boolean maximize = s.maximize();
        boolean decoupled = s.decoupled();
        double weightDecay = s.weightDecay();
        double decay = s.decay();
        double b1 = s.beta1();
        double oneMinusB1 = s.oneMinusBeta1();
        double b2 = s.beta2();
        double oneMinusB2 = s.oneMinusBeta2();
        double bc2Sqrt = s.biasCorrection2Sqrt();
        double eps = s.eps();
        double negStepSize = s.negStepSize();
        for (int i = 0; i < n; i++) {
            double w = p.get(i);
            double g = gr.get(i);
            if (maximize) {
                g = -g;
            }
            if (weightDecay != 0) {
                g = fma(f32, w, weightDecay, g);                                   // grad.add(param, alpha=wd)
            }
            if (decoupled) {
                w = r(f32, w * decay);                                             // param.mul_(1 - lr * wd)
            }
            double mi = fma(f32, g, oneMinusB1, r(f32, m.get(i) * b1));
            double vi = fma(f32, r(f32, oneMinusB2 * g), g, r(f32, v.get(i) * b2));
            m.set(i, mi);
            v.set(i, vi);
            double second = vi;
            if (vmax != null) {
                second = Math.max(vmax.get(i), vi);                         // torch.maximum
                vmax.set(i, second);
            }
            double denom = r(f32, r(f32, r(f32, Math.sqrt(second)) / bc2Sqrt) + eps);
            p.set(i, r(f32, w + r(f32, r(f32, negStepSize * mi) / denom)));
        }
    }

    private static double r(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double fma(boolean f32, double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }
}
