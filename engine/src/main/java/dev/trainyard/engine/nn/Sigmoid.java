package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** {@code 1 / (1 + exp(-x))}, as {@code nn.Sigmoid}. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }
}
