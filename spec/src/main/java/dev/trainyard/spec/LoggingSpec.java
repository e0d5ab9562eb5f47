package dev.trainyard.spec;

/**
 * @param everySteps report {@code train/loss} (the mean over the steps since the last report), {@code train/lr} and
 *                   {@code train/samples_per_sec} after every this many optimizer steps
 */
public record LoggingSpec(int everySteps) {
}
