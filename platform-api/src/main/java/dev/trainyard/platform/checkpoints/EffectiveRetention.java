package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.checkpoints.CheckpointRepository.RunRow;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which checkpoints of a run the platform keeps: one policy, "the {@code keepLast} most recently uploaded plus the
 * best by a metric", set at three levels, the most specific winning as a whole:
 * <ol>
 *   <li>the run's spec, {@code checkpoint: {keepLast, keepBest}}, when it sets {@code keepBest} or a
 *       {@code keepLast} other than its default 1 (the worker prunes its local copies by the same values);
 *   <li>the run's experiment ({@code PUT .../experiments/{e}/checkpoint-retention});
 *   <li>the platform's default, {@code trainyard.checkpoints.retention.*} ({@link CheckpointProperties}).
 * </ol>
 */
@Component
class EffectiveRetention {

    /** Where the policy comes from, by its name in responses. */
    enum Source {
        RUN, EXPERIMENT, PLATFORM;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param policy null when every checkpoint is kept */
    record Effective(RetentionPolicy policy, Source source) {}

    private final CheckpointRepository checkpoints;
    private final CheckpointProperties properties;
    private final JsonMapper json;

    EffectiveRetention(CheckpointRepository checkpoints, CheckpointProperties properties, JsonMapper json) {
        this.checkpoints = checkpoints;
        this.properties = properties;
        this.json = json;
    }

    Effective of(RunRow run) {
        RetentionPolicy fromSpec = checkpoints.spec(run.id()).map(this::fromSpec).orElse(null);
        if (fromSpec != null) {
            return new Effective(fromSpec, Source.RUN);
        }
        return ofExperiment(run.experimentId());
    }

    /** The policy of a run of this experiment whose spec does not set its own (null: a run outside experiments). */
    Effective ofExperiment(Long experimentId) {
        if (experimentId != null) {
            RetentionPolicy set = checkpoints.retention(experimentId).map(CheckpointRepository.Retention::policy)
                    .orElse(null);
            if (set != null) {
                return new Effective(set, Source.EXPERIMENT);
            }
        }
        return new Effective(properties.retention().policy(), Source.PLATFORM);
    }

    private RetentionPolicy fromSpec(String spec) {
        JsonNode c = json.readTree(spec).path("checkpoint");
        JsonNode best = c.path("keepBest");
        int keepLast = c.path("keepLast").isIntegralNumber() ? c.path("keepLast").intValue() : 1;
        boolean hasBest = best.path("metric").isString() && best.path("mode").isString();
        if (!hasBest && keepLast == 1) {
            return null;
        }
        try {
            return new RetentionPolicy(Math.max(1, keepLast), hasBest ? best.path("metric").stringValue() : null,
                    hasBest ? BestMode.fromWire(best.path("mode").stringValue()) : null);
        } catch (IllegalArgumentException e) {
            return null; // a spec the validator let through with values retention cannot use: not the run's say
        }
    }
}
