package dev.trainyard.worker.training;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param status         why it ended
 * @param step           optimizer steps done
 * @param epoch          epochs completed
 * @param metrics        the last evaluation's metrics (empty if there was none)
 * @param lastCheckpoint the most recent checkpoint file, or null
 * @param bestCheckpoint the best checkpoint under keepBest, or null
 * @param message        a one-line explanation (the failure, the early-stopping reason, ...)
 */
public record TrainingResult(Status status, long step, int epoch, Map<String, Double> metrics, Path lastCheckpoint,
                             Path bestCheckpoint, String message) {

    public enum Status {
        /** Ran all its epochs or steps. */
        COMPLETED,
        /** Stopped by early stopping. */
        EARLY_STOPPED,
        /** Stopped by {@link Trainer#cancel()} or a thread interrupt, without a final checkpoint. */
        CANCELLED,
        /** Stopped by {@link Trainer#preempt()} at a step boundary, after a checkpoint of that step. */
        PREEMPTED,
        /** The loss became NaN or infinite; no checkpoint of the diverged state is written. */
        FAILED
    }
}
