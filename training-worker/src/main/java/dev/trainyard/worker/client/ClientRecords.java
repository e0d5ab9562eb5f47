package dev.trainyard.worker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** The bodies of the platform's worker API (/api/v1/workers), as the worker sends and reads them. */
public final class ClientRecords {
    private ClientRecords() {
    }

    public record Gpu(String model, int memoryMb) {
    }

    public record Devices(int cpus, int memoryMb, List<Gpu> gpus) {
    }

    public record RegisterRequest(String name, Map<String, String> labels, Devices devices) {
    }

    /** The parts of the registration answer the worker uses. */
    public record Registration(String id, int leaseSeconds, int heartbeatSeconds) {
    }

    public record LeaseRequest(int waitSeconds, int maxRuns) {
    }

    /**
     * A leased run; {@code spec} is the run spec as JSON, {@code gpuIndices} the worker's GPUs (indices into the GPUs it
     * registered) given to this attempt.
     */
    public record LeasedRun(long runId, long projectId, Long experimentId, String name, int attempt, int maxAttempts,
                            JsonNode spec, List<Integer> gpuIndices) {
        public LeasedRun {
            gpuIndices = gpuIndices == null ? List.of() : List.copyOf(gpuIndices);
        }
    }

    public record LeaseResponse(List<LeasedRun> runs, int leaseSeconds, int heartbeatSeconds) {
    }

    public record RunAttempt(long runId, int attempt) {
    }

    public record HeartbeatRequest(List<RunAttempt> runs) {
    }

    public enum StopReason {
        CANCELLED, LEASE_LOST, FINISHED, NOT_FOUND
    }

    public record StopOrder(long runId, int attempt, StopReason reason, String detail) {
    }

    public record HeartbeatResponse(List<RunAttempt> renewed, List<StopOrder> stop) {
    }

    public enum ReportedStatus {
        RUNNING, SUCCEEDED, FAILED, CANCELLED
    }

    public record StatusReport(int attempt, ReportedStatus status, String message, Boolean retryable) {
    }

    /** One metric point; {@code time} is epoch microseconds. */
    public record MetricPoint(String key, long step, double value, long timeMicros) {
    }

    public record LogLine(long seq, long timeMillis, String stream, String text) {
    }

    /** A checkpoint of the run as the platform lists it. */
    public record CheckpointInfo(long id, long step, Integer epoch, Map<String, Double> metrics, long sizeBytes,
                                 String sha256, String filename) {
    }

    public record CheckpointList(List<CheckpointInfo> items) {
    }
}
