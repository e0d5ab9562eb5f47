package dev.trainyard.engine.backend;

/**
 * One SGD step's options for {@link Kernels#sgdStep}, each scalar already cast to the parameter's dtype:
 * {@code maximize}; {@code weightDecay} (L2, added to the gradient); {@code momentum} and {@code 1 - dampening};
 * {@code nesterov}; {@code firstStep}, whether the momentum buffer starts as the gradient; and {@code -lr}.
 */
public record SgdStep(boolean maximize, double weightDecay, double momentum, double oneMinusDampening, boolean nesterov,
                      boolean firstStep, double negLr) {
}
