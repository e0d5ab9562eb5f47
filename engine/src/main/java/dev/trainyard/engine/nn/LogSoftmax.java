package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Log-softmax along {@code dim}, as {@code nn.LogSoftmax(dim)}. */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
