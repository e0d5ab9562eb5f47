package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Hyperbolic tangent, as {@code nn.Tanh}. */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }
}
