package dev.trainyard.platform.projects;

import dev.trainyard.platform.runs.RunStatus;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/** Requests and responses of the project endpoints. */
public final class ProjectRecords {

    private ProjectRecords() {}

    public record CreateProjectRequest(@NotBlank @Size(max = 100) String name, @Size(max = 2000) String description) {}

    /**
     * A project, with the caller's role in it.
     *
     * @param runCounts how many of its runs are in each status, every status present
     * @param lastActivityAt when one of its runs last changed, or the project's creation if later
     */
    public record ProjectResponse(long id, String name, String description, Instant createdAt, ProjectRole role,
            Map<RunStatus, Long> runCounts, Instant lastActivityAt) {}

    public record AddMemberRequest(@NotBlank @Size(max = 64) String username, @NotNull ProjectRole role) {}

    public record ChangeRoleRequest(@NotNull ProjectRole role) {}

    public record MemberResponse(long userId, String username, ProjectRole role, Instant addedAt) {}
}
