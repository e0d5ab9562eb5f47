package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.SgdStep;

/**
 * SGD's update ({@link dev.trainyard.engine.backend.Kernels#sgdStep}) in one pass over the elements, each operation
 * rounded to the dtype as the composed default's kernels round it (the multiply-adds fused). float32 runs on float
 * vectors when the Vector API is enabled.
 */
final class CpuSgd {
    private CpuSgd() {
    }

    static void step(Tensor param, Tensor grad, Tensor momentumBuffer, boolean firstStep, SgdStep s) {
        int n = param.numel();
        boolean f32 = param.dtype() == DType.FLOAT32;
        if (f32 && VectorApi.ENABLED) {
            // elementwise: a large parameter's chunks on all cores, the same bits
            CpuKernels.inChunks(n, (from, to) -> SgdFloat32.update(param.storage().floats(),
                    param.storageOffset() + from, grad.storage().floats(), grad.storageOffset() + from,
                    momentumBuffer != null ? momentumBuffer.storage().floats() : null,
                    momentumBuffer != null ? momentumBuffer.storageOffset() + from : 0, to - from, firstStep,
                    s.maximize(), (float) s.weightDecay(), (float) s.momentum(), (float) s.oneMinusDampening(),
                    s.nesterov(), (float) s.negLr()));
            return;
        }
        UpdateBuffer p = new UpdateBuffer(param);
        UpdateBuffer gr = new UpdateBuffer(grad);
        UpdateBuffer buf = momentumBuffer != null ? new UpdateBuffer(momentumBuffer) : null;
        boolean maximize = s.maximize();
        double weightDecay = s.weightDecay();
        double momentum = s.momentum();
        double oneMinusDampening = s.oneMinusDampening();
        boolean nesterov = s.nesterov();
        double negLr = s.negLr();
        for (int i = 0; i < n; i++) {
            double w = p.get(i);
            double d = maximize ? -gr.get(i) : gr.get(i);
            if (weightDecay != 0) {
                d = fma(f32, w, weightDecay, d);                                    // grad.add(param, alpha=wd)
            }
            if (buf != null) {
                double b = firstStep ? d : fma(f32, d, oneMinusDampening, r(f32, buf.get(i) * momentum));
                buf.set(i, b);
                d = nesterov ? fma(f32, b, momentum, d) : b;                        // d_p.add(buf, alpha=momentum)
            }
            p.set(i, fma(f32, d, negLr, w));                                       // param.add_(d_p, alpha=-lr)
        }
    }

    private static double r(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double fma(boolean f32, double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }
}
