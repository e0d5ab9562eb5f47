package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * What {@link RNN} and {@link GRU} return: the output sequence (the last layer's hidden state at every step, both
 * directions concatenated) and the final hidden state of every layer and direction, {@code [layers * directions, N, H]}
 * (PyTorch's {@code output, h_n}).
 */
public record RecurrentOutput(Tensor output, Tensor hN) {
}
