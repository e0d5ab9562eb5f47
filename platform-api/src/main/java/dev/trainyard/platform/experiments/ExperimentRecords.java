package dev.trainyard.platform.experiments;

import dev.trainyard.platform.runs.RunActivity.Activity;
import dev.trainyard.platform.runs.RunStatus;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

public final class ExperimentRecords {

    private ExperimentRecords() {}

    public record CreateExperimentRequest(@NotBlank @Size(max = 200) String name,
            @Size(max = 2000) String description) {}

    /**
     * An experiment.
     *
     * @param runCounts how many of its runs are in each status, every status present
     * @param lastActivityAt when one of its runs last changed, or the experiment's creation if later
     */
    public record ExperimentResponse(long id, long projectId, String name, String description, Instant createdAt,
            Map<RunStatus, Long> runCounts, Instant lastActivityAt) {

        static ExperimentResponse of(Experiment e, Activity activity) {
            return new ExperimentResponse(e.getId(), e.getProjectId(), e.getName(), e.getDescription(),
                    e.getCreatedAt(), activity.counts(), activity.lastActivity(e.getCreatedAt()));
        }
    }
}
