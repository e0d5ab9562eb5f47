package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * What {@link LSTM} returns: the output sequence, and the final hidden and cell states of every layer and direction,
 * {@code [layers * directions, N, H]} each (PyTorch's {@code output, (h_n, c_n)}).
 */
public record LSTMOutput(Tensor output, Tensor hN, Tensor cN) {
}
