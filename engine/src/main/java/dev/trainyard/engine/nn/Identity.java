package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Returns its input, as {@code nn.Identity}; a placeholder where a layer is optional. */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
