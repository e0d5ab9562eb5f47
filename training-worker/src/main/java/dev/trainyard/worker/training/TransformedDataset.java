package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.MNIST;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.data.Subset;
import dev.trainyard.engine.data.TensorDataset;
import dev.trainyard.engine.data.transforms.Transform;

import java.util.function.UnaryOperator;

/** Applies a transform to the input of every sample of another dataset (the target is passed through). */
final class TransformedDataset implements Dataset<Sample> {
    /** Images transformed at once by {@link #inMemory()}: bounds its temporaries to a few MB. */
    private static final int CHUNK = 4096;

    private final Dataset<Sample> base;
    private final Transform transform;
    private final UnaryOperator<Tensor> batched;

    /**
     * @param batched the same transform applied to a batch of raw images ({@code [n, 28, 28]} to {@code [n, 1, 28, 28]}),
     *                or null when the transform is random (augmentation) and must run at every read
     */
    TransformedDataset(Dataset<Sample> base, Transform transform, UnaryOperator<Tensor> batched) {
        this.base = base;
        this.transform = transform;
        this.batched = batched;
    }

    Dataset<Sample> base() {
        return base;
    }

    /**
     * The examples transformed once and kept as tensors, for a deterministic transform over the images of an MNIST
     * split or a subset of one (else this): they go through the batched transform a chunk at a time.
     */
    Dataset<Sample> inMemory() {
        if (batched == null || size() == 0) {
            return this;
        }
        MNIST raw = base instanceof Subset<Sample> s && s.dataset() instanceof MNIST m ? m : base instanceof MNIST m ? m : null;
        if (raw == null) {
            return this;
        }
        int n = size();
        long[] rows = new long[n];
        int[] subset = base instanceof Subset<Sample> s ? s.indices() : null;
        for (int i = 0; i < n; i++) {
            rows[i] = subset == null ? i : subset[i];
        }
        Tensor index = Tensor.wrap(Storage.wrap(rows), n);
        float[] images = null;
        int[] shape = null;
        for (int start = 0; start < n; start += CHUNK) {
            Tensor chunk = batched.apply(raw.data().indexSelect(0, index.slice(0, start, Math.min(n, start + CHUNK)))).contiguous();
            int row = chunk.numel() / chunk.size(0);
            if (images == null) {
                shape = chunk.shape();
                shape[0] = n;
                images = new float[n * row];
            }
            System.arraycopy(chunk.storage().floats(), chunk.storageOffset(), images, start * row, chunk.numel());
        }
        return new TensorDataset(Tensor.wrap(Storage.wrap(images), shape), raw.targets().indexSelect(0, index));
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
