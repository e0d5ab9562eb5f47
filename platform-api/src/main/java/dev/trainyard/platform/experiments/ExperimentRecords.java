package dev.trainyard.platform.experiments;

import dev.trainyard.platform.web.MultiLine;
import dev.trainyard.platform.web.SingleLine;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

public final class ExperimentRecords {

    private ExperimentRecords() {}

    public record CreateExperimentRequest(@NotBlank @SingleLine @Size(max = 200) String name,
            @MultiLine @Size(max = 2000) String description) {}

    public record ExperimentResponse(long id, long projectId, String name, String description, Instant createdAt) {

        static ExperimentResponse of(Experiment e) {
            return new ExperimentResponse(e.getId(), e.getProjectId(), e.getName(), e.getDescription(),
                    e.getCreatedAt());
        }
    }
}
