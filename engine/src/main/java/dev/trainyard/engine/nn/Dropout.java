package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;

/**
 * Inverted dropout, as {@code nn.Dropout}: in training mode zeroes each element with probability {@code p} and
 * scales the survivors by {@code 1 / (1 - p)}, so nothing changes at evaluation time, when it is the identity.
 */
public class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, Generator.defaultGenerator());
    }

    /** Dropout drawing its masks from {@code generator}. */
    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining(), generator);
    }

    @Override
    public String extraRepr() {
        return "p=" + pyFloat(p) + ", inplace=False";
    }
}
