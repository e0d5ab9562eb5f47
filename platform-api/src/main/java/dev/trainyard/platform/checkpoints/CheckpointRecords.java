package dev.trainyard.platform.checkpoints;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.Map;

public final class CheckpointRecords {

    private CheckpointRecords() {}

    /** Metric names, as for run metrics: {@code test_acc}, {@code val/loss}. */
    static final String METRIC_NAME = "[A-Za-z0-9_.:/-]{1,200}";

    /**
     * A stored checkpoint.
     *
     * @param sha256 lower-case hex; also the download's ETag
     * @param filename what the uploader called the file; downloads are named {@code run-<runId>-step-<step>.ckpt}
     * @param attempt the run attempt whose worker uploaded it, null for a person's upload
     * @param content the path to download it from
     */
    public record CheckpointResponse(long id, long runId, long step, Integer epoch, Map<String, Double> metrics,
            long sizeBytes, String sha256, String filename, Integer attempt, String uploadedBy, Instant createdAt,
            String content) {}

    /**
     * An experiment's checkpoint retention: after each upload to one of its runs, keep the {@code keepLast} most
     * recent checkpoints and the best one by {@code keepBest}; delete the others. Mirrors a run spec's
     * {@code checkpoint: {keepLast, keepBest: {metric, mode}}}.
     */
    public record RetentionSettings(@NotNull @Min(1) @Max(10000) Integer keepLast, @Valid KeepBest keepBest) {}

    public record KeepBest(@NotNull @Pattern(regexp = METRIC_NAME, message = "metric names are 1 to 200 letters, "
            + "digits, '_', '.', ':', '/' or '-'") String metric, @NotNull BestMode mode) {}

    /**
     * An experiment's retention: its own ({@code source: experiment}, with {@code updatedAt}), or the platform's
     * default that its runs get without one ({@code source: platform}). {@code keepLast: null}: every checkpoint is
     * kept.
     */
    public record RetentionResponse(long experimentId, Integer keepLast, KeepBest keepBest, Instant updatedAt,
            String source) {}

    /**
     * The retention that applies to a run, and where it comes from: {@code run} (its spec's checkpoint.keepLast and
     * keepBest), {@code experiment} or {@code platform} (trainyard.checkpoints.retention.*). {@code keepLast: null}:
     * every checkpoint is kept.
     *
     * @param minIntervalSeconds the least time between two periodic checkpoints its worker may store
     */
    public record RunRetentionResponse(long runId, Integer keepLast, KeepBest keepBest, String source,
            double minIntervalSeconds) {}
}
