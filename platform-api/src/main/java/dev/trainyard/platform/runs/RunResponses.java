package dev.trainyard.platform.runs;

import dev.trainyard.platform.runs.RunRecords.MetricSummary;
import dev.trainyard.platform.runs.RunRecords.Resources;
import dev.trainyard.platform.runs.RunRecords.RunResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds the API's view of a run in full ({@link RunResponse}) from its row and the rows beside it. */
@Component
class RunResponses {

    private final RunDetailsRepository details;
    private final JsonMapper json;

    RunResponses(RunDetailsRepository details, JsonMapper json) {
        this.details = details;
        this.json = json;
    }

    /** Reads the run's parameters, tags, metric summaries, attempts and creator; call it inside a transaction. */
    RunResponse of(Run run) {
        long id = run.getId();
        List<Long> ids = List.of(id);
        return new RunResponse(
                id,
                run.getProjectId(),
                run.getExperimentId(),
                run.getName(),
                run.getStatus(),
                json.readTree(run.getSpec()),
                details.params(ids).getOrDefault(id, Map.of()),
                details.tags(ids).getOrDefault(id, List.of()),
                run.getNotes(),
                run.getPriority(),
                new Resources(run.getCpus(), run.getGpus(), run.getMemoryMb(), labels(run)),
                run.getAttempt(),
                run.getMaxAttempts(),
                run.getRetries(),
                run.getWorkerId(),
                run.getLeaseExpiresAt(),
                run.getCreatedAt(),
                run.getQueuedAt(),
                run.getStartedAt(),
                run.getFinishedAt(),
                run.getUpdatedAt(),
                details.usernames(Set.of(run.getCreatedBy())).get(run.getCreatedBy()),
                run.getClonedFrom(),
                run.getIdempotencyKey(),
                details.metrics(ids).getOrDefault(id, Map.<String, MetricSummary>of()),
                details.attempts(id));
    }

    /** The run's label requirements. */
    Map<String, String> labels(Run run) {
        return json.readValue(run.getLabels(), new TypeReference<TreeMap<String, String>>() {});
    }
}
