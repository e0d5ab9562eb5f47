package dev.trainyard.engine.data;

import dev.trainyard.engine.data.transforms.Transform;

import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST (28x28 grayscale clothing images, 10 classes) from IDX files, as
 * {@code torchvision.datasets.FashionMNIST}; same files and layout as {@link MNIST}. On Debian the files come with
 * {@code apt-get install dataset-fashion-mnist} in {@code /usr/share/datasets/fashion-mnist}.
 */
public final class FashionMNIST extends MNIST {
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    public FashionMNIST(Path root, boolean train) {
        this(root, train, null);
    }

    public FashionMNIST(Path root, boolean train, Transform transform) {
        super("FashionMNIST", CLASSES, root, train, transform);
    }
}
