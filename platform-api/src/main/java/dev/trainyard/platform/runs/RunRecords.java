package dev.trainyard.platform.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Requests and responses of the run endpoints. */
public final class RunRecords {

    private RunRecords() {}

    static final String TAG = "[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}";
    static final String TAG_MESSAGE = "must be 1 to 100 letters, digits, '_', '.', ':', '/' or '-'";

    /**
     * What a run needs from a worker. Missing fields take the defaults: 1 CPU, no GPU, 1024 MiB, no labels.
     *
     * @param labels labels the worker must carry, such as {@code {"gpu": "a100"}}
     */
    public record ResourceRequest(
            @Min(0) @Max(1024) Integer cpus,
            @Min(0) @Max(64) Integer gpus,
            @Min(0) @Max(16_777_216) Integer memoryMb,
            @Size(max = 50) Map<@Pattern(regexp = "[A-Za-z0-9_.:/-]{1,100}") String, @NotNull @Size(max = 200) String> labels) {}

    /**
     * A run to queue. Only {@code spec} is required.
     *
     * @param name defaults to {@code run-} and a short random suffix
     * @param spec what to train: a run spec (docs/run-spec.md) as a JSON object, or its YAML text as a string;
     *     checked with the spec module's SpecValidator and stored as JSON with its defaults written out
     * @param params flat name to value (numbers, strings, booleans), for filtering and comparing runs; the spec's
     *     own values are added as dotted keys ({@code optimizer.lr}), and a value given here wins on the same key
     * @param priority higher runs are claimed first; -1000 to 1000, default 0
     * @param maxAttempts how many times the scheduler may start the run before it fails for good; default 1
     */
    public record SubmitRunRequest(
            @Size(min = 1, max = 200) String name,
            Long experimentId,
            @NotNull JsonNode spec,
            @Size(max = 500) Map<String, JsonNode> params,
            @Size(max = 50) List<@NotNull @Pattern(regexp = TAG, message = TAG_MESSAGE) String> tags,
            @Size(max = 10000) String notes,
            @Min(-1000) @Max(1000) Integer priority,
            @Valid ResourceRequest resources,
            @Min(1) @Max(20) Integer maxAttempts) {}

    /**
     * A copy of a run with changes, queued as a new run. Every field is optional.
     *
     * @param spec a JSON merge patch (RFC 7396) on the original spec: {@code {"optimizer": {"lr": 0.01}}} changes
     *     one setting, a null removes a field
     * @param params merged into the original parameters; a null value removes that parameter
     * @param tags replace the original tags when given
     * @param resources replace the fields given, keep the others
     */
    public record CloneRunRequest(
            @Size(min = 1, max = 200) String name,
            Long experimentId,
            JsonNode spec,
            @Size(max = 500) Map<String, JsonNode> params,
            @Size(max = 50) List<@NotNull @Pattern(regexp = TAG, message = TAG_MESSAGE) String> tags,
            @Size(max = 10000) String notes,
            @Min(-1000) @Max(1000) Integer priority,
            @Valid ResourceRequest resources,
            @Min(1) @Max(20) Integer maxAttempts) {}

    public record Resources(int cpus, int gpus, int memoryMb, Map<String, String> labels) {}

    /** A metric's summary: its latest value (and the step it was reported at), lowest and highest. */
    public record MetricSummary(double last, long step, double min, double max) {}

    public record AttemptResponse(int attempt, String workerId, Instant startedAt, Instant endedAt, String outcome,
            String reason) {}

    /** A run in full. */
    public record RunResponse(
            long id,
            long projectId,
            Long experimentId,
            String name,
            RunStatus status,
            JsonNode spec,
            Map<String, JsonNode> params,
            List<String> tags,
            String notes,
            int priority,
            Resources resources,
            int attempt,
            int maxAttempts,
            int retries,
            String workerId,
            Instant leaseExpiresAt,
            Instant createdAt,
            Instant queuedAt,
            Instant startedAt,
            Instant finishedAt,
            Instant updatedAt,
            String createdBy,
            Long clonedFrom,
            String idempotencyKey,
            Map<String, MetricSummary> metrics,
            List<AttemptResponse> attempts) {}

    /** A run as listed: no spec, notes or attempts. */
    public record RunSummary(
            long id,
            long projectId,
            Long experimentId,
            String name,
            RunStatus status,
            Map<String, JsonNode> params,
            List<String> tags,
            int priority,
            int attempt,
            int retries,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            String createdBy,
            Map<String, MetricSummary> metrics) {}
}
