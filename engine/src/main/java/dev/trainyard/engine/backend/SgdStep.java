package dev.trainyard.engine.backend;

/**
 * One SGD step's options for {@link Kernels#sgdStep}, each scalar already cast to the parameter's dtype as PyTorch casts
 * a Python float for a tensor op: {@code maximize}; {@code weightDecay}, the L2 decay added to the gradient (0 for
 * none); {@code momentum} (0 for none), {@code 1 - dampening}, {@code nesterov}; and {@code -lr}.
 */
public record SgdStep(boolean maximize, double weightDecay, double momentum, double oneMinusDampening, boolean nesterov,
                      double negLr) {
}
