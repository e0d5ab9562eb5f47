package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** {@code x} where positive, {@code negativeSlope * x} elsewhere, as {@code nn.LeakyReLU} (default slope 0.01). */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + pyFloat(negativeSlope);
    }
}
