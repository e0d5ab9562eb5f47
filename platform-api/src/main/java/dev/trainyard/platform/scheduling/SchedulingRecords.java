package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunRecords.Resources;
import dev.trainyard.platform.runs.RunStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Requests and responses of the lease, heartbeat, status and run-limit endpoints. */
public final class SchedulingRecords {

    private SchedulingRecords() {}

    /**
     * @param waitSeconds how long to wait for a run when none is ready, 0 to 30 (default 0: answer at once)
     * @param maxRuns how many runs to take at most, 1 to 16 (default 1); each one fits in what is left free
     */
    public record LeaseRequest(
            @Min(0) @Max(30) Integer waitSeconds,
            @Min(1) @Max(16) Integer maxRuns) {}

    /**
     * A run leased to the worker: start it, send heartbeats for it (with its attempt number), report how it ends.
     *
     * @param attempt the fencing token: every write about this run carries it, and is refused (409) once the run
     *     has moved on to another attempt
     * @param gpuIndices the worker's GPUs (indices into the GPUs it registered) given to this attempt
     */
    public record LeasedRun(long runId, long projectId, Long experimentId, String name, int attempt,
            int maxAttempts, JsonNode spec, Resources resources, List<Integer> gpuIndices, Instant leaseExpiresAt) {}

    /** The runs leased; empty when none was ready within the wait. */
    public record LeaseResponse(List<LeasedRun> runs, int leaseSeconds, int heartbeatSeconds) {}

    /** A run attempt the worker is running. */
    public record RunAttempt(@NotNull Long runId, @NotNull @Min(1) Integer attempt) {}

    /** @param runs every run attempt the worker is running; their leases are renewed */
    public record HeartbeatRequest(@Size(max = 256) List<@NotNull @Valid RunAttempt> runs) {}

    /** Why a worker must stop a run. */
    public enum StopReason {
        /** cancelled through the API: stop it and report CANCELLED */
        CANCELLED,
        /** the lease was lost (the rescuer gave the run to another attempt): stop it and drop its results */
        LEASE_LOST,
        /** this attempt was already reported finished */
        FINISHED,
        /** the run was deleted */
        NOT_FOUND
    }

    public record StopOrder(long runId, int attempt, StopReason reason, String detail) {}

    /**
     * @param leaseExpiresAt the renewed leases' end
     * @param renewed the attempts whose lease was renewed
     * @param stop the attempts to stop, and why
     */
    public record HeartbeatResponse(Instant leaseExpiresAt, int heartbeatSeconds, List<RunAttempt> renewed,
            List<StopOrder> stop) {}

    /** What a worker reports about a run attempt. */
    public enum ReportedStatus {
        RUNNING, SUCCEEDED, FAILED, CANCELLED
    }

    /**
     * @param attempt the attempt the lease gave
     * @param status RUNNING (started; renews the lease), SUCCEEDED, FAILED or CANCELLED (also the acknowledgement of
     *     a cancel)
     * @param message why it failed or was cancelled; kept on the attempt
     * @param retryable for FAILED: whether another attempt may help (default true); the run goes back to the queue
     *     while the round's attempts are below maxAttempts
     */
    public record StatusReport(
            @NotNull @Min(1) Integer attempt,
            @NotNull ReportedStatus status,
            @Size(max = 1000) String message,
            Boolean retryable) {}

    /** The run after a report: QUEUED (with notBefore) when a failed attempt is retried. */
    public record RunStateResponse(long runId, int attempt, RunStatus status, Instant leaseExpiresAt,
            Instant notBefore, Instant finishedAt) {}

    /** @param maxRunning how many runs of the project may be RUNNING at once (0 pauses the project) */
    public record RunLimitRequest(@NotNull @Min(0) @Max(100_000) Integer maxRunning) {}

    /** @param maxRunning null when the project has no limit */
    public record RunLimitResponse(long projectId, Integer maxRunning, long running) {}
}
