package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.Tensor;

/**
 * A function of one tensor (usually an image), as a torchvision transform. Datasets apply it to each example as it is
 * read. Random transforms draw from {@link dev.trainyard.engine.data.DataLoader#batchGenerator()} unless given a
 * generator of their own, so a loader's batches are reproducible.
 */
@FunctionalInterface
public interface Transform {
    Tensor apply(Tensor x);
}
