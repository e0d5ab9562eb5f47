package dev.trainyard.platform.workers;

import dev.trainyard.platform.web.SingleLine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Requests and responses of the worker and worker-token endpoints. */
public final class WorkerRecords {

    private WorkerRecords() {}

    static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";
    static final String NAME_MESSAGE = "must be 1 to 100 letters, digits, '_', '.' or '-', starting with a letter or digit";

    /** @param expiresInDays 1 to 3650; without it the token does not expire (revoke it to retire it) */
    public record CreateWorkerTokenRequest(
            @NotBlank @SingleLine @Size(max = 100) String name,
            @Min(1) @Max(3650) Integer expiresInDays) {}

    /** A worker token as listed: never the token itself. */
    public record WorkerTokenResponse(long id, String name, String prefix, Instant createdAt, Instant expiresAt,
            Instant revokedAt, Instant lastUsedAt, String status) {}

    /** The answer to creating a worker token: the only time {@code token} is shown. */
    public record CreatedWorkerTokenResponse(String token, WorkerTokenResponse info) {}

    /** @param memoryMb the GPU's own memory */
    public record Gpu(
            @NotBlank @SingleLine @Size(max = 100) String model,
            @Min(0) @Max(16_777_216) Integer memoryMb) {}

    /**
     * What a worker offers. A run is only given to a worker with all the GPUs it asks for free (never some of them).
     *
     * @param gpus one entry per GPU; its index in this list is the index the worker gets back in a lease
     */
    public record Devices(
            @NotNull @Min(1) @Max(1024) Integer cpus,
            @NotNull @Min(0) @Max(16_777_216) Integer memoryMb,
            @Size(max = 64) List<@NotNull @Valid Gpu> gpus) {}

    /**
     * Registers a worker process; each registration gets a new id.
     *
     * @param labels what the worker offers, such as {@code {"gpu": "a100", "zone": "eu"}}; a run is only given to a
     *     worker that carries every label the run asks for
     */
    public record RegisterWorkerRequest(
            @NotNull @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
            @Size(max = 50) Map<@Pattern(regexp = "[A-Za-z0-9_.:/-]{1,100}") String, @NotNull @SingleLine @Size(max = 200) String> labels,
            @NotNull @Valid Devices devices) {}

    /** What one live attempt holds on the worker. */
    public record AllocationResponse(long runId, int attempt, int cpus, int memoryMb, List<Integer> gpuIndices) {}

    /** The worker's devices minus what its attempts hold. */
    public record Free(int cpus, int memoryMb, List<Integer> gpuIndices) {}

    /**
     * A registered worker.
     *
     * @param leaseSeconds how long a lease lasts without a heartbeat
     * @param heartbeatSeconds how often the worker should send a heartbeat while it runs something
     */
    public record WorkerResponse(String id, String name, WorkerStatus status, Map<String, String> labels,
            Devices devices, Free free, List<AllocationResponse> allocations, Instant registeredAt,
            Instant lastSeenAt, Instant deregisteredAt, int leaseSeconds, int heartbeatSeconds) {}
}
