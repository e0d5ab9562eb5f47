package dev.trainyard.platform.projects;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;

public final class QuotaRecords {

    private QuotaRecords() {}

    /**
     * A site admin's limits for one project; a null field (or one left out) goes back to the platform default.
     *
     * @param maxArtifactBytes bytes of checkpoints and datasets
     */
    public record QuotaRequest(@Min(0) @Max(Long.MAX_VALUE / 2) Long maxMetricKeys,
            @Min(0) @Max(Long.MAX_VALUE / 2) Long maxArtifactBytes) {}

    /**
     * One quota: its limit, whether that is the platform default or the project's own, and what the project uses.
     *
     * @param source {@code default} (trainyard.quotas.*) or {@code project} (set by a site admin)
     */
    public record Usage(long limit, long used, String source) {}

    /** @param updatedAt when a site admin last set the project's own limits; null while it has none */
    public record QuotaResponse(long projectId, Usage metricKeys, Usage artifactBytes, Instant updatedAt) {}
}
