package dev.trainyard.engine.optim;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.autograd.AutogradMeta;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = GradClip.clipGradNorm_(model.parameters(), 1.0).item();
 * opt.step();
 * }</pre>
 */
public final class GradClip {
    private GradClip() {
    }

    /** {@link #clipGradNorm_(Iterable, double, double, boolean)} with the 2-norm. */
    public static Tensor clipGradNorm_(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm_(params, maxNorm, 2.0, false);
    }

    public static Tensor clipGradNorm_(Iterable<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm_(params, maxNorm, normType, false);
    }

    /**
     * Scales the gradients of {@code params} in place so that their total norm (the {@code normType}-norm of the
     * vector of per-parameter norms; {@code Double.POSITIVE_INFINITY} for the max norm) is at most {@code maxNorm}:
     * every gradient is multiplied by {@code min(1, maxNorm / (total + 1e-6))}. Parameters without a gradient are
     * skipped. Returns the total norm before clipping as a 0-dim tensor (0 if no parameter has a gradient).
     *
     * @param errorIfNonfinite throw if the total norm is NaN or infinite, instead of scaling by NaN
     */
    public static Tensor clipGradNorm_(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            Tensor grad = AutogradMeta.gradOf(p);
            if (grad != null) {
                grads.add(grad);
            }
        }
        if (grads.isEmpty()) {
            return Tensor.scalar(0.0);
        }
        DType dtype = grads.getFirst().dtype();
        boolean f32 = dtype != DType.FLOAT64;
        // each gradient's norm is rounded to its dtype, like torch.norm(g); the norm of the norms likewise
        double[] norms = new double[grads.size()];
        for (int i = 0; i < grads.size(); i++) {
            Tensor grad = grads.get(i);
            double nrm = grad.device().kernels().vectorNorm(grad, normType).item();
            norms[i] = f32 ? (float) nrm : nrm;
        }
        Tensor perGradient = Tensor.of(norms, norms.length);
        double total = perGradient.device().kernels().vectorNorm(perGradient, normType).item();
        total = f32 ? (float) total : total;
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm_: the total norm of order " + normType + " for gradients from "
                    + "parameters is non-finite (" + total + "), so it cannot be clipped. To disable this error and scale "
                    + "the gradients by the non-finite norm anyway, pass errorIfNonfinite=false");
        }
        // clip_coef = max_norm / (total_norm + 1e-6): a float tensor's reciprocal times max_norm, clamped to 1
        double coef;
        if (f32) {
            float denom = (float) total + (float) 1e-6;
            coef = Math.min((1f / denom) * (float) maxNorm, 1f);
        } else {
            coef = Math.min((1.0 / (total + 1e-6)) * maxNorm, 1.0);
        }
        try (var g = Autograd.noGrad()) {
            for (Tensor grad : grads) {
                grad.mul_(coef);
            }
        }
        return Tensor.full(new int[0], total, f32 ? DType.FLOAT32 : DType.FLOAT64);
    }

    /** Clamps every gradient of {@code params} to {@code [-clipValue, clipValue]} in place. */
    public static void clipGradValue_(Iterable<Tensor> params, double clipValue) {
        try (var g = Autograd.noGrad()) {
            for (Tensor p : params) {
                Tensor grad = AutogradMeta.gradOf(p);
                if (grad != null) {
                    grad.clamp_(-clipValue, clipValue);
                }
            }
        }
    }
}
