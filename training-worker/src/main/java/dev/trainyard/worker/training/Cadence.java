package dev.trainyard.worker.training;

import dev.trainyard.spec.CheckpointSpec;
import dev.trainyard.spec.EvaluationSpec;
import dev.trainyard.spec.RunSpec;

/**
 * When a run logs its training metrics, evaluates and checkpoints, as its spec says ({@code logging.everySteps},
 * {@code evaluation.everySteps / everyEpochs}, {@code checkpoint.everySteps / everyEpochs}): evaluation is also due
 * after the last step, and a checkpoint whenever the run ends (completed or stopped early).
 */
final class Cadence {
    private final int logEvery;
    private final EvaluationSpec evaluation;
    private final CheckpointSpec checkpoint;

    Cadence(RunSpec spec) {
        this.logEvery = spec.logging().everySteps();
        this.evaluation = spec.evaluation();
        this.checkpoint = spec.checkpoint();
    }

    /** Where a step left the run: its number, whether it ended an epoch (and how many are done), whether it was the last. */
    record After(long step, boolean epochEnded, int epochsDone, boolean last) {}

    boolean logs(long step) {
        return step % logEvery == 0;
    }

    boolean evaluates(After a) {
        return a.last()
                || evaluation.everySteps() != null && a.step() % evaluation.everySteps() == 0
                || a.epochEnded() && evaluation.everyEpochs() != null && a.epochsDone() % evaluation.everyEpochs() == 0;
    }

    /** @param ended the run ends at this step (completed, or stopped early) */
    boolean checkpoints(After a, boolean ended) {
        return ended
                || checkpoint.everySteps() != null && a.step() % checkpoint.everySteps() == 0
                || a.epochEnded() && checkpoint.everyEpochs() != null && a.epochsDone() % checkpoint.everyEpochs() == 0;
    }
}
