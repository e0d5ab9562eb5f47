package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** {@code max(x, 0)}, as {@code nn.ReLU}. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }
}
