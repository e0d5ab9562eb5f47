package dev.trainyard.spec;

import java.util.List;

/**
 * When and on what to evaluate. Training always ends with an evaluation too.
 *
 * @param everyEpochs evaluate after every this many epochs (null when {@link #everySteps} is set)
 * @param everySteps  evaluate after every this many optimizer steps (null when {@link #everyEpochs} is set)
 * @param batchSize   examples per evaluation batch
 * @param splits      {@code validation} and/or {@code test}; reported with the prefixes {@code val/} and {@code test/}
 */
public record EvaluationSpec(Integer everyEpochs, Integer everySteps, int batchSize, List<String> splits) {
    public EvaluationSpec {
        splits = List.copyOf(splits);
    }

    public static final List<String> SPLITS = List.of("validation", "test");

    /** The metric-name prefix of a split: {@code val} or {@code test}. */
    public static String prefix(String split) {
        return split.equals("validation") ? "val" : split;
    }
}
