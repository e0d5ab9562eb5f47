package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A run's scheduling state, as the fencing checks and transitions need it.
 *
 * @param attemptBase the attempt number at the last API retry: {@code attempt - attemptBase} automatic attempts of
 *     the current round count against {@code maxAttempts}
 */
record RunState(long id, long projectId, Long experimentId, RunStatus status, int attempt, int attemptBase,
        int maxAttempts, String workerId, Instant leaseExpiresAt, Instant notBefore, Instant finishedAt) {

    static final String COLUMNS = "id, project_id, experiment_id, status, attempt, attempt_base, max_attempts,"
            + " worker_id, lease_expires_at, not_before, finished_at";

    static RunState of(ResultSet rs) throws SQLException {
        long experiment = rs.getLong("experiment_id");
        Long experimentId = rs.wasNull() ? null : experiment;
        return new RunState(rs.getLong("id"), rs.getLong("project_id"), experimentId,
                RunStatus.valueOf(rs.getString("status")), rs.getInt("attempt"), rs.getInt("attempt_base"),
                rs.getInt("max_attempts"), rs.getString("worker_id"), Sql.instant(rs, "lease_expires_at"),
                Sql.instant(rs, "not_before"), Sql.instant(rs, "finished_at"));
    }

    /** How many attempts of the current round (since the last API retry) have been used, the live one included. */
    int attemptsUsed() {
        return attempt - attemptBase;
    }
}
