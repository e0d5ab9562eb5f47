package dev.trainyard.worker.training;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.data.Subset;
import dev.trainyard.spec.DatasetSpec;
import dev.trainyard.spec.RunSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetFactoryTest {
    static final Path DATA = TrainerTest.DATA;

    @TempDir
    Path dir;

    static DatasetSpec dataset(String yaml) {
        return RunSpecs.parse("dataset: " + yaml + "\nmodel: {builtin: mlp}\noptimizer: adam\nepochs: 1\n"
                + (yaml.contains("regression") ? "loss: mse\n" : "")).dataset();
    }

    static TrainingData load(String yaml, Path root) throws IOException {
        return DatasetFactory.load(dataset(yaml), root, ArtifactResolver.inDirectory(root.resolve("artifacts")));
    }

    /** The indices into the raw dataset behind a loaded split. */
    static int[] indices(Dataset<Sample> d) {
        Dataset<Sample> base = d instanceof TransformedDataset t ? t.base() : d;
        return ((Subset<Sample>) base).indices();
    }

    @Test
    void fashionMnistSubsetsAndValidationSplit() throws IOException {
        TrainingData d = load("{name: fashion-mnist, trainSubset: 1000, validationSplit: 0.1, testSubset: 500}", DATA);
        assertEquals(900, d.train().size());
        assertEquals(100, d.validation().size());
        assertEquals(500, d.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, d.inputShape());
        assertEquals(10, d.numClasses());
        assertEquals("T-shirt/top", d.classes().getFirst());
        Sample s = d.train().get(0);
        assertEquals(DType.FLOAT32, s.x().dtype());
        assertArrayEquals(new int[] {1, 28, 28}, s.x().shape());
        assertEquals(DType.INT64, s.y().dtype());
        float[] px = s.x().toFloatArray();
        for (float v : px) {
            assertTrue(v >= 0 && v <= 1, "pixel " + v);
        }
        Set<Integer> train = new HashSet<>();
        Arrays.stream(indices(d.train())).forEach(train::add);
        for (int i : indices(d.validation())) {
            assertFalse(train.contains(i), "validation index " + i + " is also a training index");
        }
        // the same splitSeed gives the same examples, another gives others
        TrainingData again = load("{name: fashion-mnist, trainSubset: 1000, validationSplit: 0.1, testSubset: 500}", DATA);
        assertArrayEquals(indices(d.train()), indices(again.train()));
        assertArrayEquals(indices(d.test()), indices(again.test()));
        TrainingData other = load("{name: fashion-mnist, trainSubset: 1000, splitSeed: 1}", DATA);
        assertFalse(Arrays.equals(Arrays.copyOf(indices(d.train()), 10), Arrays.copyOf(indices(other.train()), 10)));
        assertNull(other.validation());
    }

    /** Every batch of one shuffled epoch of each loader, as float64 values. */
    static void assertSameBatches(Dataset<Sample> expected, Dataset<Sample> actual) {
        var a = dev.trainyard.engine.data.DataLoader.builder(expected).batchSize(64).shuffle(true)
                .generator(new dev.trainyard.engine.Generator().manualSeed(3)).build().iterator();
        var b = dev.trainyard.engine.data.DataLoader.builder(actual).batchSize(64).shuffle(true)
                .generator(new dev.trainyard.engine.Generator().manualSeed(3)).build().iterator();
        int k = 0;
        while (a.hasNext()) {
            var x = a.next();
            var y = b.next();
            assertEquals(x.x().dtype(), y.x().dtype());
            assertArrayEquals(x.x().shape(), y.x().shape());
            assertArrayEquals(x.x().toFloatArray(), y.x().toFloatArray(), "inputs of batch " + k);   // same bits
            assertArrayEquals(x.y().toLongArray(), y.y().toLongArray(), "targets of batch " + k);
            k++;
        }
        assertFalse(b.hasNext());
    }

    @Test
    void inMemoryKeepsDeterministicSplitsAsTensorsWithTheSameBits() throws IOException {
        TrainingData d = load("{name: fashion-mnist, trainSubset: 1500, validationSplit: 0.2, testSubset: 700, "
                + "normalize: {mean: [0.2860], std: [0.3530]}}", DATA);
        TrainingData m = d.inMemory();
        assertTrue(m.train() instanceof dev.trainyard.engine.data.TensorDataset, "no augmentation: kept as tensors");
        assertTrue(m.test() instanceof dev.trainyard.engine.data.TensorDataset);
        assertSameBatches(d.train(), m.train());
        assertSameBatches(d.validation(), m.validation());
        assertSameBatches(d.test(), m.test());
        assertArrayEquals(d.test().get(699).x().toFloatArray(), m.test().get(699).x().toFloatArray());

        // without normalize, and the whole test split (no subset)
        TrainingData lazy = load("{name: fashion-mnist, trainSubset: 500, augment: {randomCropPadding: 2}}", DATA);
        TrainingData augmented = lazy.inMemory();
        assertTrue(augmented.train() instanceof TransformedDataset, "random crops are drawn at every read");
        assertTrue(augmented.test() instanceof dev.trainyard.engine.data.TensorDataset);
        assertEquals(10_000, augmented.test().size());
        assertSameBatches(lazy.test(), augmented.test());
    }

    @Test
    void normalizeEverywhereAugmentOnlyForTraining() throws IOException {
        TrainingData plain = load("{name: fashion-mnist, trainSubset: 50, validationSplit: 0.2, testSubset: 10}", DATA);
        TrainingData d = load("{name: fashion-mnist, trainSubset: 50, validationSplit: 0.2, testSubset: 10, "
                + "normalize: {mean: [0.5], std: [0.25]}, augment: {randomCropPadding: 4, horizontalFlip: 1.0}}", DATA);
        float[] raw = plain.validation().get(3).x().toFloatArray();
        float[] norm = d.validation().get(3).x().toFloatArray();
        for (int i = 0; i < raw.length; i++) {
            assertEquals((raw[i] - 0.5f) / 0.25f, norm[i], 1e-6f);
        }
        float[] rawTrain = plain.train().get(0).x().toFloatArray();
        float[] augTrain = d.train().get(0).x().toFloatArray();
        float[] expectedIfOnlyNormalized = new float[rawTrain.length];
        for (int i = 0; i < rawTrain.length; i++) {
            expectedIfOnlyNormalized[i] = (rawTrain[i] - 0.5f) / 0.25f;
        }
        assertFalse(Arrays.equals(expectedIfOnlyNormalized, augTrain), "training images are flipped (p = 1)");
    }

    @Test
    void csvWithTextLabelsAndATestSplit() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(',').append(i * 0.5).append(',').append(List.of("setosa", "virginica", "versicolor").get(i % 3)).append('\n');
        }
        Files.createDirectories(dir.resolve("iris"));
        Files.writeString(dir.resolve("iris/iris.csv"), csv);
        TrainingData d = load("{name: csv, path: iris/iris.csv, label: kind, testSplit: 0.25}", dir);
        assertEquals(15, d.train().size());
        assertEquals(5, d.test().size());
        assertEquals(3, d.numClasses());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classes());
        assertArrayEquals(new int[] {2}, d.inputShape());
        Set<Integer> all = new HashSet<>();
        Arrays.stream(indices(d.train())).forEach(all::add);
        Arrays.stream(indices(d.test())).forEach(all::add);
        assertEquals(20, all.size());
    }

    @Test
    void csvRegressionWithATestFile() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "x;y\n1;2.5\n2;4.5\n3;6.5\n");
        Files.writeString(dir.resolve("test.csv"), "x;y\n4;8.5\n");
        TrainingData d = load("{name: csv, path: train.csv, testPath: test.csv, delimiter: ';', task: regression}", dir);
        assertEquals(0, d.numClasses());
        assertFalse(d.isClassification());
        assertEquals(3, d.train().size());
        Tensor y = d.test().get(0).y();
        assertEquals(DType.FLOAT32, y.dtype());
        assertEquals(8.5, y.item());
    }

    @Test
    void errorsNameWhatIsMissing() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class, () -> load("{name: csv, path: nope.csv}", dir));
        assertTrue(missing.getMessage().contains("nope.csv"), missing.getMessage());
        var images = assertThrows(IllegalArgumentException.class, () -> load("{name: mnist, path: empty}", dir));
        assertTrue(images.getMessage().contains("train-images-idx3-ubyte"), images.getMessage());
        var artifact = assertThrows(NoSuchFileException.class,
                () -> load("{name: csv, artifact: 'sha256:" + "0".repeat(64) + "'}", dir));
        assertTrue(artifact.getMessage().contains("this resolver only looks in a local directory"), artifact.getMessage());
        var subset = assertThrows(IllegalArgumentException.class, () -> load("{name: fashion-mnist, trainSubset: 70000}", DATA));
        assertEquals("dataset: trainSubset 70000 is larger than the 60000 training examples", subset.getMessage());
    }

    @Test
    void artifactsResolveFromTheResolver() throws IOException {
        Files.createDirectories(dir.resolve("artifacts"));
        String hex = "ab".repeat(32);
        Files.writeString(dir.resolve("artifacts").resolve(hex), "f,label\n0,0\n1,1\n2,0\n3,1\n4,0\n");
        TrainingData d = load("{name: csv, artifact: 'sha256:" + hex + "', testSplit: 0.4}", dir);
        assertEquals(3, d.train().size());
        assertEquals(2, d.numClasses());
    }
}
