package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.Module;

/** The mean over one dimension, as a layer: {@code x.mean(dim, keepdim)} (e.g. pooling a sequence [N, T, F] to [N, F]). */
public final class Mean extends Module {
    private final int dim;
    private final boolean keepdim;

    public Mean(int dim, boolean keepdim) {
        this.dim = dim;
        this.keepdim = keepdim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.mean(dim, keepdim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim + ", keepdim=" + keepdim;
    }
}
