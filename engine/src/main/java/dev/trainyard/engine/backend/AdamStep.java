package dev.trainyard.engine.backend;

/**
 * One Adam/AdamW step's options for {@link Kernels#adamStep}, each scalar already cast to the parameter's dtype as
 * PyTorch casts a Python float for a tensor op: {@code maximize}; {@code weightDecay}, the L2 decay added to the
 * gradient (0 for AdamW); {@code decay}, AdamW's {@code 1 - lr * weight_decay} factor when {@code decoupled};
 * {@code beta1}, {@code 1 - beta1}, {@code beta2}, {@code 1 - beta2}; {@code sqrt(bias_correction2)}; eps; and
 * {@code -step_size}.
 */
public record AdamStep(boolean maximize, boolean decoupled, double weightDecay, double decay, double beta1,
                       double oneMinusBeta1, double beta2, double oneMinusBeta2, double biasCorrection2Sqrt, double eps,
                       double negStepSize) {
}
