package dev.trainyard.engine.backend;

/**
 * One Adagrad step's options for {@link Kernels#adagradStep}, each scalar already cast to the parameter's dtype as
 * PyTorch casts a Python float for a tensor op: {@code maximize}; {@code weightDecay}, the L2 decay added to the
 * gradient (0 for none); eps; and {@code -clr}, the step's decayed learning rate {@code lr / (1 + (step - 1) * lr_decay)}
 * negated.
 */
public record AdagradStep(boolean maximize, double weightDecay, double eps, double negClr) {
}
