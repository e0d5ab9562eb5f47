package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.Tensor;

import java.util.List;

/**
 * Applies transforms in order, as {@code torchvision.transforms.Compose}.
 *
 * <pre>{@code
 * var train = new Compose(new RandomCrop(28, 4), new RandomHorizontalFlip(0.5), new ToTensor(),
 *         new Normalize(new double[] {0.2860}, new double[] {0.3530}));
 * }</pre>
 */
public final class Compose implements Transform {
    private final List<Transform> transforms;

    public Compose(Transform... transforms) {
        this(List.of(transforms));
    }

    public Compose(List<Transform> transforms) {
        this.transforms = List.copyOf(transforms);
    }

    public List<Transform> transforms() {
        return transforms;
    }

    @Override
    public Tensor apply(Tensor x) {
        for (Transform t : transforms) {
            x = t.apply(x);
        }
        return x;
    }
}
