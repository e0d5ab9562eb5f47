package dev.trainyard.spec;

/**
 * Stop when {@link #metric} has not improved by more than {@link #minDelta} for {@link #patience} evaluations in a row.
 *
 * @param metric   an evaluation metric, e.g. {@code val/loss}
 * @param mode     whether lower or higher is better
 * @param patience evaluations without improvement tolerated
 * @param minDelta the smallest change that counts as an improvement
 */
public record EarlyStoppingSpec(String metric, Mode mode, int patience, double minDelta) {
}
