package dev.trainyard.engine.backend;

/**
 * One RMSprop step's options for {@link Kernels#rmspropStep}, each scalar already cast to the parameter's dtype as
 * PyTorch casts a Python float for a tensor op: {@code maximize}; {@code weightDecay}, the L2 decay added to the
 * gradient (0 for none); {@code alpha} and {@code 1 - alpha}; eps; {@code momentum} (used only with a momentum buffer);
 * and {@code -lr}. Centered and momentum are told by the state buffers the kernel is given.
 */
public record RmspropStep(boolean maximize, double weightDecay, double alpha, double oneMinusAlpha, double eps,
                          double momentum, double negLr) {
}
