package dev.trainyard.spec;

/**
 * When to write checkpoints and which to keep. A checkpoint is also written when training ends (completed or stopped
 * early). Kept are the {@link #keepLast} most recent plus, with {@link #keepBest}, the best by a metric.
 *
 * @param everyEpochs save after every this many epochs (null when {@link #everySteps} is set)
 * @param everySteps  save after every this many optimizer steps (null when {@link #everyEpochs} is set)
 * @param keepLast    how many of the most recent checkpoints to keep, at least 1 (a crashed run resumes from the last)
 * @param keepBest    also keep the checkpoint with the best value of a metric (null: don't)
 */
public record CheckpointSpec(Integer everyEpochs, Integer everySteps, int keepLast, KeepBest keepBest) {

    /** @param metric an evaluation metric, e.g. {@code val/accuracy}; @param mode whether lower or higher is better */
    public record KeepBest(String metric, Mode mode) {
    }
}
