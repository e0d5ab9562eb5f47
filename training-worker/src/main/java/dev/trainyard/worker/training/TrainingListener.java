package dev.trainyard.worker.training;

import java.nio.file.Path;
import java.util.Map;

/**
 * Receives what a {@link Trainer} produces; the platform client implements it to stream metrics, upload checkpoints
 * and forward log lines. Every method has an empty default.
 *
 * <h2>Threading and blocking</h2>
 * The trainer calls these methods synchronously on its training thread, between optimizer steps, so <b>an
 * implementation must return quickly</b> (well under a millisecond is the goal): put the event on a queue and send it
 * from another thread, batching as it likes. Network calls, retries or waiting for a lock here stall training. It is
 * the listener's job to bound its queue and decide what to drop or coalesce if the platform is unreachable for long;
 * the worker's listener drops nothing: it blocks while its queue is full, which pauses training. Whoever cancels or
 * preempts a trainer whose listener may block must also make the listener return, or the trainer never reaches the
 * step boundary where it stops. An exception thrown by a listener method is logged and otherwise ignored: it never
 * fails the run.
 *
 * <h2>Metrics and resume</h2>
 * Metrics are keyed by name ({@code train/loss}, {@code val/accuracy}, ...) and reported at an optimizer step.
 * Everything reported up to a checkpoint's step is reported before {@link #onCheckpoint} for that step; a run
 * resumed from it reports only steps after it. If a run crashed after its last checkpoint, the resumed run reports the
 * steps after that checkpoint again, with the same values (training is deterministic), so a store should upsert by
 * (run, name, step).
 */
public interface TrainingListener {

    /**
     * Metrics at an optimizer step: every {@code logging.everySteps} steps {@code train/loss} (the mean since the last
     * report), {@code train/lr} and {@code train/samples_per_sec}; after each evaluation {@code <split>/loss} and
     * {@code <split>/<metric>}; at the end of each epoch {@code train/epoch_loss}.
     *
     * @param step  optimizer steps done (1 after the first step)
     * @param epoch the 1-based epoch the step belongs to
     */
    default void onMetrics(long step, int epoch, Map<String, Double> metrics) {
    }

    /**
     * A checkpoint was written. The file belongs to the trainer, which deletes it (see {@link #onCheckpointRemoved})
     * once later checkpoints make it redundant under the retention policy; a listener that uploads it in the background
     * should first hard-link or copy it (a hard link in the same file system is instant).
     *
     * @param metrics the latest evaluation's metrics (empty before the first evaluation)
     */
    default void onCheckpoint(long step, int epoch, Path file, Map<String, Double> metrics) {
    }

    /** The trainer deleted a checkpoint it no longer keeps (keep-last / keep-best). */
    default void onCheckpointRemoved(long step, Path file) {
    }

    /**
     * An optimizer step was done, on {@code samples} samples. Called after every step, so it must only count (the
     * worker's listener adds to two Micrometer counters: training steps and samples per second).
     */
    default void onStep(int samples) {
    }

    /** A human-readable progress line (start, epoch summaries, checkpoints, early stopping, failures). */
    default void onLog(String line) {
    }
}
