package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.AdagradStep;

/**
 * Adagrad's update ({@link dev.trainyard.engine.backend.Kernels#adagradStep}) in one pass over the elements, each
 * operation rounded to the dtype as the composed default's kernels round it (a float op equals the double one rounded
 * once; the multiply-add is fused). float32 runs on float vectors when the Vector API is enabled.
 */
final class CpuAdagrad {
    private CpuAdagrad() {
    }

    static void step(Tensor param, Tensor grad, Tensor stateSum, AdagradStep s) {
        int n = param.numel();
        boolean f32 = param.dtype() == DType.FLOAT32;
        if (f32 && VectorApi.ENABLED) {
            // elementwise: a large parameter's chunks on all cores, the same bits
            CpuKernels.inChunks(n, (from, to) -> AdagradFloat32.update(param.storage().floats(),
                    param.storageOffset() + from, grad.storage().floats(), grad.storageOffset() + from,
                    stateSum.storage().floats(), stateSum.storageOffset() + from, to - from, s.maximize(),
                    (float) s.weightDecay(), (float) s.eps(), (float) s.negClr()));
            return;
        }
        UpdateBuffer p = new UpdateBuffer(param);
        UpdateBuffer gr = new UpdateBuffer(grad);
        UpdateBuffer sum = new UpdateBuffer(stateSum);
        boolean maximize = s.maximize();
        double weightDecay = s.weightDecay();
        double eps = s.eps();
        double negClr = s.negClr();
        for (int i = 0; i < n; i++) {
            double w = p.get(i);
            double g = maximize ? -gr.get(i) : gr.get(i);
            if (weightDecay != 0) {
                g = fma(f32, w, weightDecay, g);                                   // grad.add(param, alpha=wd)
            }
            double si = fma(f32, g, g, sum.get(i));                                // state_sum.addcmul_(g, g, value=1)
            sum.set(i, si);
            double std = r(f32, r(f32, Math.sqrt(si)) + eps);                      // state_sum.sqrt().add_(eps)
            p.set(i, r(f32, w + r(f32, r(f32, negClr * g) / std)));                // param.addcdiv_(g, std, value=-clr)
        }
    }

    private static double r(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double fma(boolean f32, double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }
}
