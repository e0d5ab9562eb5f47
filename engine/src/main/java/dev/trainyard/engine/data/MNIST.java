package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.data.transforms.Transform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST digits from their IDX files, as {@code torchvision.datasets.MNIST} (which it never downloads).
 *
 * <pre>{@code
 * var train = new MNIST(Path.of("/data/mnist"), true, new Compose(new ToTensor(), new Normalize(...)));
 * Tensor all = train.data();      // uint8 [60000, 28, 28], loaded at once
 * Sample s = train.get(0);        // (transformed image, int64 label)
 * }</pre>
 *
 * <p>The files are {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte} ({@code train = true}) or
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally gzipped ({@code .gz}), directly in
 * {@code root} or in torchvision's layout {@code root/<Name>/raw}. A missing or malformed file fails with a message
 * naming it and what was expected.
 */
public class MNIST implements Dataset<Sample> {
    private static final List<String> DIGITS = List.of("0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
            "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine");

    private final Tensor data;
    private final Tensor targets;
    private final Transform transform;
    private final List<String> classes;
    private final boolean train;

    /** Raw images: {@code get} gives uint8 {@code [28, 28]} images. */
    public MNIST(Path root, boolean train) {
        this(root, train, null);
    }

    /** @param transform applied to each uint8 {@code [28, 28]} image in {@link #get}; null for none */
    public MNIST(Path root, boolean train, Transform transform) {
        this("MNIST", DIGITS, root, train, transform);
    }

    protected MNIST(String name, List<String> classes, Path root, boolean train, Transform transform) {
        String split = train ? "train" : "t10k";
        Path images = find(name, root, split + "-images-idx3-ubyte");
        Path labels = find(name, root, split + "-labels-idx1-ubyte");
        Tensor data = Idx.readUbyte(images, 3, new int[] {28, 28});
        Tensor rawLabels = Idx.readUbyte(labels, 1, null);
        if (rawLabels.size(0) != data.size(0)) {
            throw new IllegalArgumentException(name + ": " + labels + " has " + rawLabels.size(0) + " labels but " + images
                    + " has " + data.size(0) + " images");
        }
        byte[] bytes = rawLabels.storage().bytes();
        long[] targets = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            targets[i] = bytes[i] & 0xFF;
            if (targets[i] >= classes.size()) {
                throw new IllegalArgumentException(labels + ": label " + targets[i] + " at index " + i + " is out of range for "
                        + classes.size() + " classes");
            }
        }
        this.data = data;
        this.targets = Tensor.wrap(Storage.wrap(targets), targets.length);
        this.transform = transform;
        this.classes = List.copyOf(classes);
        this.train = train;
    }

    private static Path find(String name, Path root, String base) {
        Path[] candidates = {
            root.resolve(base), root.resolve(base + ".gz"),
            root.resolve(name).resolve("raw").resolve(base), root.resolve(name).resolve("raw").resolve(base + ".gz"),
        };
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException(name + ": dataset file not found: expected " + base + " or " + base + ".gz in "
                + root + " (or in " + root.resolve(name).resolve("raw") + "); datasets are never downloaded");
    }

    /** All images, uint8 {@code [N, 28, 28]}. */
    public Tensor data() {
        return data;
    }

    /** All labels, int64 {@code [N]}. */
    public Tensor targets() {
        return targets;
    }

    public List<String> classes() {
        return classes;
    }

    public boolean train() {
        return train;
    }

    @Override
    public int size() {
        return data.size(0);
    }

    /** Image {@code index} (transformed, or uint8 {@code [28, 28]}) and its label as a 0-dim int64 tensor. */
    @Override
    public Sample get(int index) {
        Dataset.checkIndex(index, size(), getClass().getSimpleName());
        Tensor image = data.select(0, index);
        if (transform != null) {
            image = transform.apply(image);
        }
        return Sample.of(image, targets.select(0, index));
    }
}
