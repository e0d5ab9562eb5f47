package dev.trainyard.worker.training;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.data.transforms.Transform;

/** Applies a transform to the input of every sample of another dataset (the target is passed through). */
final class TransformedDataset implements Dataset<Sample> {
    private final Dataset<Sample> base;
    private final Transform transform;

    TransformedDataset(Dataset<Sample> base, Transform transform) {
        this.base = base;
        this.transform = transform;
    }

    Dataset<Sample> base() {
        return base;
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
