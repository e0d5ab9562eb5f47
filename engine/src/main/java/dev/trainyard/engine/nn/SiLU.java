package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** {@code x * sigmoid(x)} (swish), as {@code nn.SiLU}. */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input);
    }
}
