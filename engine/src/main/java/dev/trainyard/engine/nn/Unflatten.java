package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/** Expands dim {@code dim} into {@code sizes} (one may be -1), as {@code nn.Unflatten}. */
public class Unflatten extends Module {
    private final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("Unflatten: unflattened size must be non-empty");
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.unflatten(dim, sizes);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + pyTuple(sizes);
    }
}
