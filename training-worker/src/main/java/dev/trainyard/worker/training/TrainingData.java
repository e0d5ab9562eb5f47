package dev.trainyard.worker.training;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.data.TensorDataset;

import java.util.List;

/**
 * The data of a run, ready for the engine's DataLoader: samples of (input, target).
 *
 * @param train          the training examples (after subsetting and holding out validation)
 * @param validation     the held-out validation examples, or null without a validation split
 * @param test           the test examples (after subsetting)
 * @param inputShape     the shape of one input, e.g. {@code [1, 28, 28]} or {@code [features]}
 * @param numClasses     the number of classes, or 0 for regression
 * @param classes        class names where known (image datasets, csv with text labels), else empty
 */
public record TrainingData(Dataset<Sample> train, Dataset<Sample> validation, Dataset<Sample> test, int[] inputShape,
                           int numClasses, List<String> classes) {

    public boolean isClassification() {
        return numClasses > 0;
    }

    /**
     * This data with every split whose transform is deterministic transformed once and kept as tensors
     * ({@link TensorDataset}), so a loader's batch of it is one row selection per tensor rather than a transform
     * and a copy per example; the examples are the same, bit for bit. Splits with random augmentation stay as they are.
     */
    public TrainingData inMemory() {
        return new TrainingData(inMemory(train), validation == null ? null : inMemory(validation), inMemory(test), inputShape,
                numClasses, classes);
    }

    private static Dataset<Sample> inMemory(Dataset<Sample> split) {
        return split instanceof TransformedDataset t ? t.inMemory() : split;
    }

    /** The dataset of an evaluation split name ({@code validation} or {@code test}). */
    public Dataset<Sample> split(String name) {
        return switch (name) {
            case "validation" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("unknown split '" + name + "'");
        };
    }
}
