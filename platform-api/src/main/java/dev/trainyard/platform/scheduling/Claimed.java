package dev.trainyard.platform.scheduling;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** A run just claimed: what the worker needs to start it. {@code limited}: its project has a run limit. */
record Claimed(long runId, long projectId, Long experimentId, String name, int attempt, int maxAttempts,
        String spec, int cpus, int gpus, int memoryMb, String labels, List<Integer> gpuIndices,
        Instant leaseExpiresAt, boolean limited) {

    static Claimed of(ResultSet rs, List<Integer> gpuIndices, boolean limited) throws SQLException {
        long experiment = rs.getLong("experiment_id");
        Long experimentId = rs.wasNull() ? null : experiment;
        return new Claimed(rs.getLong("id"), rs.getLong("project_id"), experimentId, rs.getString("name"),
                rs.getInt("attempt"), rs.getInt("max_attempts"), rs.getString("spec"), rs.getInt("cpus"),
                rs.getInt("gpus"), rs.getInt("memory_mb"), rs.getString("labels"), gpuIndices,
                Sql.instant(rs, "lease_expires_at"), limited);
    }
}
