package dev.trainyard.platform.runs;

import dev.trainyard.platform.runs.RunStatus;

/** What metrics, logs and the streams need to know about a run: where it belongs, its status and its lease. */
public record RunRef(long id, long projectId, Long experimentId, String name, RunStatus status, int attempt,
        String workerId) {}
