package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Softmax along {@code dim}, as {@code nn.Softmax(dim)}. */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
