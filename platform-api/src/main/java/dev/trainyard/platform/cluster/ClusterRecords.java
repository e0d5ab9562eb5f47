package dev.trainyard.platform.cluster;

import dev.trainyard.platform.workers.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Responses of the queue and workers views. */
public final class ClusterRecords {

    private ClusterRecords() {}

    /** What a queued run asks of a worker (besides labels). */
    public record Requested(int cpus, int gpus, int memoryMb) {}

    /**
     * A QUEUED run.
     *
     * @param position its place in the whole queue, 1 first, counting the runs of projects the caller cannot see
     * @param notBefore set while the run waits out a back-off after a failed attempt: it is not leased before
     */
    public record QueuedRun(long position, long projectId, String projectName, Long experimentId, long runId,
            String runName, int priority, Instant queuedAt, Instant notBefore, Requested resources,
            Map<String, String> labels) {}

    /**
     * A project's limit on concurrent runs.
     *
     * @param maxRunning null when the project has no limit
     * @param running how many of its runs are RUNNING now
     */
    public record ProjectLimit(long projectId, String projectName, Integer maxRunning, long running) {}

    /**
     * The queue in lease order.
     *
     * @param items the caller's visible QUEUED runs, at most {@code limit} of them
     * @param total how many QUEUED runs the caller can see
     * @param otherRuns how many QUEUED runs are in projects the caller cannot see
     * @param projectLimits each visible project with queued or running runs, or a limit
     */
    public record QueueResponse(List<QueuedRun> items, long total, long otherRuns, List<ProjectLimit> projectLimits) {}

    /** A GPU of a worker: its index on the worker, model and own memory. */
    public record GpuView(int index, String model, Integer memoryMb) {}

    /** CPUs, memory and GPUs: a worker's devices, or what of them is free. */
    public record DeviceView(int cpus, int memoryMb, List<GpuView> gpus) {}

    /** A run a worker holds. */
    public record HeldRun(long id, long projectId, String name, int attempt) {}

    /**
     * A registered worker (ACTIVE, or OFFLINE until it is heard from again).
     *
     * @param runs the runs it holds in projects the caller can see
     * @param otherRuns how many runs it holds in projects the caller cannot see
     */
    public record WorkerView(String id, String name, Map<String, String> labels, DeviceView devices, DeviceView free,
            WorkerStatus status, Instant lastHeartbeatAt, long heartbeatAgeSeconds, List<HeldRun> runs,
            int otherRuns) {}
}
