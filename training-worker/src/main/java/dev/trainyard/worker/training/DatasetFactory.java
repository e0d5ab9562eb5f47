package dev.trainyard.worker.training;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.CsvDataset;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.FashionMNIST;
import dev.trainyard.engine.data.MNIST;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.data.Subset;
import dev.trainyard.engine.data.transforms.Compose;
import dev.trainyard.engine.data.transforms.Normalize;
import dev.trainyard.engine.data.transforms.RandomCrop;
import dev.trainyard.engine.data.transforms.RandomHorizontalFlip;
import dev.trainyard.engine.data.transforms.ToTensor;
import dev.trainyard.engine.data.transforms.Transform;
import dev.trainyard.spec.DatasetSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Loads the data of a {@link DatasetSpec} from the worker's data root (or a resolved artifact) and applies the
 * subsets and splits.
 *
 * <ul>
 *   <li><b>fashion-mnist, mnist</b>: IDX files in {@code <dataRoot>/<path>} (default path: the dataset's name); inputs
 *       {@code [1, 28, 28]} float in [0, 1], then {@code normalize}; training inputs get {@code augment}.</li>
 *   <li><b>csv</b>: numeric feature columns and a label column ({@link CsvDataset}); inputs {@code [features]}; the test
 *       set is {@code testPath} or a {@code testSplit} fraction held out.</li>
 * </ul>
 * Subsets and the validation split are drawn from a generator seeded with {@code splitSeed}: one permutation of the
 * training examples, whose first {@code trainSubset} are used, the last {@code validationSplit} of those held out.
 */
public final class DatasetFactory {
    private DatasetFactory() {
    }

    public static TrainingData load(DatasetSpec spec, Path dataRoot, ArtifactResolver artifacts) throws IOException {
        Path source = spec.artifact() != null ? artifacts.resolve(spec.artifact()) : dataRoot.resolve(spec.path());
        Generator splits = new Generator().manualSeed(spec.splitSeed());
        return spec.isImage() ? images(spec, source, splits) : csv(spec, source, dataRoot, splits);
    }

    private static TrainingData images(DatasetSpec spec, Path root, Generator splits) {
        boolean fashion = spec.name().equals("fashion-mnist");
        MNIST trainRaw = fashion ? new FashionMNIST(root, true) : new MNIST(root, true);
        MNIST testRaw = fashion ? new FashionMNIST(root, false) : new MNIST(root, false);
        List<Transform> common = new ArrayList<>();
        common.add(new ToTensor());
        List<Transform> augment = new ArrayList<>();
        if (spec.augment() != null) {
            if (spec.augment().randomCropPadding() > 0) {
                augment.add(new RandomCrop(28, 28, spec.augment().randomCropPadding(), null));
            }
            if (spec.augment().horizontalFlip() > 0) {
                augment.add(new RandomHorizontalFlip(spec.augment().horizontalFlip()));
            }
        }
        List<Transform> norm = new ArrayList<>();
        if (spec.normalize() != null) {
            norm.add(new Normalize(toArray(spec.normalize().mean()), toArray(spec.normalize().std())));
        }
        List<Transform> trainTransforms = new ArrayList<>(common);
        trainTransforms.addAll(augment);
        trainTransforms.addAll(norm);
        List<Transform> evalTransforms = new ArrayList<>(common);
        evalTransforms.addAll(norm);
        Transform train = new Compose(trainTransforms);
        Transform eval = new Compose(evalTransforms);

        Split tv = trainAndValidation(spec, trainRaw, splits);
        Dataset<Sample> test = subset(testRaw, spec.testSubset(), "testSubset", "test", splits);
        UnaryOperator<Tensor> batchedEval = images -> {
            Tensor x = ToTensor.grayscaleBatch(images);
            for (Transform t : norm) {
                x = t.apply(x);
            }
            return x;
        };
        return new TrainingData(new TransformedDataset(tv.train(), train, augment.isEmpty() ? batchedEval : null),
                tv.validation() == null ? null : new TransformedDataset(tv.validation(), eval, batchedEval),
                new TransformedDataset(test, eval, batchedEval), new int[] {1, 28, 28}, trainRaw.classes().size(), trainRaw.classes());
    }


    private static TrainingData csv(DatasetSpec spec, Path file, Path dataRoot, Generator splits) {
        boolean regression = spec.task() == DatasetSpec.Task.REGRESSION;
        CsvDataset all = readCsv(spec, file, regression);
        Dataset<Sample> trainPool;
        Dataset<Sample> test;
        List<String> classes = all.classes();
        long maxLabel = regression ? -1 : max(all.labels());
        if (spec.testPath() != null) {
            CsvDataset testCsv = readCsv(spec, dataRoot.resolve(spec.testPath()), regression);
            if (testCsv.features().size(1) != all.features().size(1)) {
                throw new IllegalArgumentException("dataset: " + spec.testPath() + " has " + testCsv.features().size(1)
                        + " feature columns but " + file.getFileName() + " has " + all.features().size(1));
            }
            if (!testCsv.classes().equals(all.classes())) {
                throw new IllegalArgumentException("dataset: the test file's classes " + testCsv.classes() + " differ from the "
                        + "training file's " + all.classes() + "; both files must contain every class");
            }
            if (!regression) {
                maxLabel = Math.max(maxLabel, max(testCsv.labels()));
            }
            trainPool = all;
            test = testCsv;
        } else {
            int n = all.size();
            int testCount = (int) Math.round(n * spec.testSplit());
            if (testCount < 1 || testCount >= n) {
                throw new IllegalArgumentException("dataset: testSplit " + spec.testSplit() + " of " + n + " rows leaves "
                        + testCount + " test rows; need at least one row for each of training and test");
            }
            int[] order = permutation(n, splits);
            trainPool = new Subset<>(all, Arrays.copyOfRange(order, 0, n - testCount));
            test = new Subset<>(all, Arrays.copyOfRange(order, n - testCount, n));
        }
        Split tv = trainAndValidation(spec, trainPool, splits);
        test = subset(test, spec.testSubset(), "testSubset", "test", splits);
        int numClasses = regression ? 0 : classes.isEmpty() ? (int) maxLabel + 1 : classes.size();
        if (!regression && numClasses < 2) {
            throw new IllegalArgumentException("dataset: " + file.getFileName() + " has " + numClasses + " class; "
                    + "classification needs at least 2 (use task: regression for numeric targets)");
        }
        return new TrainingData(tv.train(), tv.validation(), test, new int[] {all.features().size(1)}, numClasses, classes);
    }

    private static CsvDataset readCsv(DatasetSpec spec, Path file, boolean regression) {
        CsvDataset.Builder b = CsvDataset.builder(file).header(spec.header()).delimiter(spec.delimiter().charAt(0))
                .floatLabels(regression);
        if (spec.label() instanceof String name) {
            b.label(name);
        } else {
            b.label(((Number) spec.label()).intValue());
        }
        return b.build();
    }

    /** The training examples to use and the validation examples held out of them (null without a split). */
    private record Split(Dataset<Sample> train, Dataset<Sample> validation) {
    }

    private static Split trainAndValidation(DatasetSpec spec, Dataset<Sample> pool, Generator splits) {
        int n = pool.size();
        Integer subset = spec.trainSubset();
        if (subset != null && subset > n) {
            throw new IllegalArgumentException("dataset: trainSubset " + subset + " is larger than the " + n
                    + " training examples");
        }
        if (subset == null && spec.validationSplit() == 0) {
            return new Split(pool, null);
        }
        int use = subset == null ? n : subset;
        int validation = spec.validationSplit() == 0 ? 0 : Math.max(1, (int) Math.round(use * spec.validationSplit()));
        if (validation >= use) {
            throw new IllegalArgumentException("dataset: validationSplit " + spec.validationSplit() + " of " + use
                    + " examples leaves none for training");
        }
        int[] order = permutation(n, splits);
        Dataset<Sample> train = new Subset<>(pool, Arrays.copyOfRange(order, 0, use - validation));
        Dataset<Sample> val = validation == 0 ? null : new Subset<>(pool, Arrays.copyOfRange(order, use - validation, use));
        return new Split(train, val);
    }

    private static Dataset<Sample> subset(Dataset<Sample> data, Integer size, String field, String what, Generator splits) {
        if (size == null) {
            return data;
        }
        if (size > data.size()) {
            throw new IllegalArgumentException("dataset: " + field + " " + size + " is larger than the " + data.size() + " "
                    + what + " examples");
        }
        return new Subset<>(data, Arrays.copyOf(permutation(data.size(), splits), size));
    }

    private static int[] permutation(int n, Generator g) {
        long[] p = Tensor.randperm(n, g).toLongArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) p[i];
        }
        return out;
    }

    private static long max(Tensor labels) {
        long m = -1;
        for (long v : labels.toLongArray()) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
