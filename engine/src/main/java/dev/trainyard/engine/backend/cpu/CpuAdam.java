package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.AdamStep;
import dev.trainyard.engine.backend.Storage;

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
            AdamFloat32.update(param.storage().floats(), param.storageOffset(), grad.storage().floats(),
                    grad.storageOffset(), expAvg.storage().floats(), expAvg.storageOffset(), expAvgSq.storage().floats(),
                    expAvgSq.storageOffset(), n, s.maximize(), s.decoupled(), s.weightDecay() != 0, (float) s.decay(),
                    (float) s.weightDecay(), (float) s.beta1(), (float) s.oneMinusBeta1(), (float) s.beta2(),
                    (float) s.oneMinusBeta2(), (float) s.biasCorrection2Sqrt(), (float) s.eps(), (float) s.negStepSize());
            return;
        }
        Storage p = param.storage();
        Storage gr = grad.storage();
        Storage m = expAvg.storage();
        Storage v = expAvgSq.storage();
        Storage vmax = maxExpAvgSq != null ? maxExpAvgSq.storage() : null;
        int po = param.storageOffset();
        int go = grad.storageOffset();
        int mo = expAvg.storageOffset();
        int vo = expAvgSq.storageOffset();
        int xo = maxExpAvgSq != null ? maxExpAvgSq.storageOffset() : 0;
        for (int i = 0; i < n; i++) {
            double w = p.getDouble(po + i);
            double g = gr.getDouble(go + i);
            if (s.maximize()) {
                g = -g;
            }
            if (s.weightDecay() != 0) {
                g = fma(f32, w, s.weightDecay(), g);                                   // grad.add(param, alpha=wd)
            }
            if (s.decoupled()) {
                w = r(f32, w * s.decay());                                             // param.mul_(1 - lr * wd)
            }
            double mi = fma(f32, g, s.oneMinusBeta1(), r(f32, m.getDouble(mo + i) * s.beta1()));
            double vi = fma(f32, r(f32, s.oneMinusBeta2() * g), g, r(f32, v.getDouble(vo + i) * s.beta2()));
            m.setDouble(mo + i, mi);
            v.setDouble(vo + i, vi);
            double second = vi;
            if (vmax != null) {
                second = Math.max(vmax.getDouble(xo + i), vi);                         // torch.maximum
                vmax.setDouble(xo + i, second);
            }
            double denom = r(f32, r(f32, r(f32, Math.sqrt(second)) / s.biasCorrection2Sqrt()) + s.eps());
            p.setDouble(po + i, r(f32, w + r(f32, r(f32, s.negStepSize() * mi) / denom)));
        }
    }

    private static double r(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double fma(boolean f32, double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }
}
