package dev.trainyard.worker.training;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.Sample;

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

    /** The dataset of an evaluation split name ({@code validation} or {@code test}). */
    public Dataset<Sample> split(String name) {
        return switch (name) {
            case "validation" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("unknown split '" + name + "'");
        };
    }
}
