package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.RmspropStep;

/**
 * RMSprop's update ({@link dev.trainyard.engine.backend.Kernels#rmspropStep}) in one pass over the elements, each
 * operation rounded to the dtype as the composed default's kernels round it (a float op equals the double one rounded
 * once; the multiply-adds are fused). float32 runs on float vectors when the Vector API is enabled.
 */
final class CpuRmsprop {
    private CpuRmsprop() {
    }

    static void step(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer, RmspropStep s) {
        int n = param.numel();
        boolean f32 = param.dtype() == DType.FLOAT32;
        if (f32 && VectorApi.ENABLED) {
            // elementwise: a large parameter's chunks on all cores, the same bits
            CpuKernels.inChunks(n, (from, to) -> RmspropFloat32.update(param.storage().floats(),
                    param.storageOffset() + from, grad.storage().floats(), grad.storageOffset() + from,
                    squareAvg.storage().floats(), squareAvg.storageOffset() + from,
                    gradAvg != null ? gradAvg.storage().floats() : null,
                    gradAvg != null ? gradAvg.storageOffset() + from : 0,
                    momentumBuffer != null ? momentumBuffer.storage().floats() : null,
                    momentumBuffer != null ? momentumBuffer.storageOffset() + from : 0, to - from, s.maximize(),
                    (float) s.weightDecay(), (float) s.alpha(), (float) s.oneMinusAlpha(), (float) s.eps(),
                    (float) s.momentum(), (float) s.negLr()));
            return;
        }
        UpdateBuffer p = new UpdateBuffer(param);
        UpdateBuffer gr = new UpdateBuffer(grad);
        UpdateBuffer sq = new UpdateBuffer(squareAvg);
        UpdateBuffer ga = gradAvg != null ? new UpdateBuffer(gradAvg) : null;
        UpdateBuffer buf = momentumBuffer != null ? new UpdateBuffer(momentumBuffer) : null;
        boolean maximize = s.maximize();
        double weightDecay = s.weightDecay();
        double alpha = s.alpha();
        double oneMinusAlpha = s.oneMinusAlpha();
        double eps = s.eps();
        double momentum = s.momentum();
        double negLr = s.negLr();
        for (int i = 0; i < n; i++) {
            double w = p.get(i);
            double g = maximize ? -gr.get(i) : gr.get(i);
            if (weightDecay != 0) {
                g = fma(f32, w, weightDecay, g);                                   // grad.add(param, alpha=wd)
            }
            // square_avg.mul_(alpha).addcmul_(g, g, value=1-alpha)
            double si = fma(f32, r(f32, oneMinusAlpha * g), g, r(f32, sq.get(i) * alpha));
            sq.set(i, si);
            double avg;
            if (ga != null) {
                // grad_avg.mul_(alpha).add_(g, alpha=1-alpha)
                double gai = fma(f32, g, oneMinusAlpha, r(f32, ga.get(i) * alpha));
                ga.set(i, gai);
                avg = r(f32, Math.sqrt(fma(f32, -gai, gai, si)));                 // square_avg.addcmul(ga, ga, value=-1).sqrt_()
            } else {
                avg = r(f32, Math.sqrt(si));
            }
            avg = r(f32, avg + eps);                                               // avg.add_(eps)
            if (buf != null) {
                double b = r(f32, r(f32, buf.get(i) * momentum) + r(f32, g / avg)); // buf.mul_(momentum).addcdiv_(g, avg)
                buf.set(i, b);
                p.set(i, fma(f32, b, negLr, w));                                   // param.add_(buf, alpha=-lr)
            } else {
                p.set(i, r(f32, w + r(f32, r(f32, negLr * g) / avg)));             // param.addcdiv_(g, avg, value=-lr)
            }
        }
    }

    private static double r(boolean f32, double v) {
        return f32 ? (float) v : v;
    }

    private static double fma(boolean f32, double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }
}
