package dev.trainyard.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A training run, as submitted to the platform and run by a worker. Parse one with {@link RunSpecs#parse}; every
 * field here is validated and has its defaults filled in. The format is documented in {@code docs/run-spec.md}.
 *
 * @param version       the spec format version (1)
 * @param name          a display name (may be null)
 * @param seed          seeds the model's initialization, dropout and the data order
 * @param dataset       what to train and evaluate on
 * @param model         the network
 * @param loss          the training objective
 * @param optimizer     how parameters are updated
 * @param scheduler     how the learning rate changes (null: constant)
 * @param batchSize     examples per optimizer step
 * @param epochs        passes over the training data (exactly one of epochs and maxSteps is set)
 * @param maxSteps      optimizer steps to take, crossing epochs as needed
 * @param metrics       metrics computed at every evaluation, besides the loss
 * @param evaluation    when and on which splits to evaluate
 * @param logging       how often training loss and learning rate are reported
 * @param checkpoint    when to save checkpoints and which to keep
 * @param earlyStopping when to stop because a metric stopped improving (null: never)
 * @param gradClip      gradient clipping (null: none)
 */
public record RunSpec(int version, String name, long seed, DatasetSpec dataset, ModelSpec model, LossSpec loss,
                      OptimizerSpec optimizer, SchedulerSpec scheduler, int batchSize, Integer epochs, Long maxSteps,
                      List<MetricSpec> metrics, EvaluationSpec evaluation, LoggingSpec logging, CheckpointSpec checkpoint,
                      EarlyStoppingSpec earlyStopping, GradClipSpec gradClip) {

    public RunSpec {
        metrics = List.copyOf(metrics);
    }

    /**
     * The names of the metrics every evaluation reports, e.g. {@code [val/loss, val/accuracy, test/loss,
     * test/accuracy]}, plus {@code train/epoch_loss} when evaluating per epoch; early stopping, keep-best checkpoints
     * and the plateau scheduler must name one of these.
     */
    public List<String> evaluationMetricKeys() {
        List<String> keys = new ArrayList<>();
        for (String split : evaluation.splits()) {
            String prefix = EvaluationSpec.prefix(split);
            keys.add(prefix + "/loss");
            for (MetricSpec m : metrics) {
                keys.add(prefix + "/" + m.key());
            }
        }
        keys.add("train/epoch_loss");
        return List.copyOf(keys);
    }
}
