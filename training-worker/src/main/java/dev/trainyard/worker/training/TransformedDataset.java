package dev.trainyard.worker.training;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.data.transforms.Transform;

/** Applies a transform to the input of every sample of another dataset (the target is passed through). */
final class TransformedDataset implements Dataset<Sample> {
    private final Dataset<Sample> base;
    private final Transform transform;
    private final boolean random;

    /** @param random whether the transform draws random numbers (augmentation), so it must run at every read */
    TransformedDataset(Dataset<Sample> base, Transform transform, boolean random) {
        this.base = base;
        this.transform = transform;
        this.random = random;
    }

    Dataset<Sample> base() {
        return base;
    }

    boolean random() {
        return random;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Sample get(int index) {
        Sample s = base.get(index);
        return Sample.of(transform.apply(s.x()), s.y());
    }
}
