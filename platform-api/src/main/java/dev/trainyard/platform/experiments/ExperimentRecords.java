package dev.trainyard.platform.experiments;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

public final class ExperimentRecords {

    private ExperimentRecords() {}

    public record CreateExperimentRequest(@NotBlank @Size(max = 200) String name,
            @Size(max = 2000) String description) {}

    public record ExperimentResponse(long id, long projectId, String name, String description, Instant createdAt) {

        static ExperimentResponse of(Experiment e) {
            return new ExperimentResponse(e.getId(), e.getProjectId(), e.getName(), e.getDescription(),
                    e.getCreatedAt());
        }
    }
}
