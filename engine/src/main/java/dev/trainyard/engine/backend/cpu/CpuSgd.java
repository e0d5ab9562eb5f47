package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.SgdStep;
import dev.trainyard.engine.backend.Storage;

/**
 * SGD's update ({@link dev.trainyard.engine.backend.Kernels#sgdStep}) in one pass over the elements, each operation
 * rounded to the dtype as the composed default's kernels round it (the multiply-adds fused).
 */
final class CpuSgd {
    private CpuSgd() {
    }

    static void step(Tensor param, Tensor grad, Tensor momentumBuffer, SgdStep s) {
        int n = param.numel();
        boolean f32 = param.dtype() == DType.FLOAT32;
        Storage p = param.storage();
        Storage gr = grad.storage();
        Storage buf = momentumBuffer != null ? momentumBuffer.storage() : null;
        int po = param.storageOffset();
        int go = grad.storageOffset();
        int bo = momentumBuffer != null ? momentumBuffer.storageOffset() : 0;
        for (int i = 0; i < n; i++) {
            double d = gr.getDouble(go + i);
            if (s.maximize()) {
                d = -d;
            }
            if (s.weightDecay() != 0) {
                d = fma(f32, p.getDouble(po + i), s.weightDecay(), d);
            }
            if (buf != null) {
                double b = s.firstStep() ? d
                        : fma(f32, d, s.oneMinusDampening(), r(f32, buf.getDouble(bo + i) * s.momentum()));
                buf.setDouble(bo + i, b);
                d = s.nesterov() ? fma(f32, b, s.momentum(), d) : b;
            }
            p.setDouble(po + i, fma(f32, d, s.negLr(), p.getDouble(po + i)));
        }
    }

    private static double r(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double fma(boolean f32, double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }
}
