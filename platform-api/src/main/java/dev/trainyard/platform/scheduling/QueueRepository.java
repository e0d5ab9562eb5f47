package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunAttempt;
import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The queue's SQL: claiming a run for a worker, and the row changes a run makes afterwards (lease renewal, finish,
 * re-queue, cancel, retry) together with its run_attempts row and its allocation. Only {@link RunLifecycle} moves a
 * run from one status to another; it calls these. Every status change bumps runs.version, so a JPA write that read
 * the run before fails instead of overwriting it; lease renewals do not bump it (they change nothing a user acts on).
 *
 * <p>What differs between PostgreSQL and H2 (the claim, share locks, the single-instance lock) is in the
 * {@link QueueDialect}.
 */
@Repository
public class QueueRepository {

    private final JdbcClient jdbc;
    private final QueueDialect dialect;

    QueueRepository(JdbcClient jdbc, QueueDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** The run_attempts row of one attempt. */
    record AttemptRow(String workerId, Instant endedAt, AttemptOutcome outcome) {}

    QueueDialect dialect() {
        return dialect;
    }

    /** Runs {@code work} (a whole transaction) as the dialect needs claims and rescues to run: see {@link QueueDialect#exclusive}. */
    <T> T exclusive(Supplier<T> work) {
        return dialect.exclusive(work);
    }

    /** See {@link QueueDialect#claim}; {@code excluded} may be empty. */
    Claimed claim(String workerId, Capacity free, String workerLabelsJson, Predicate<String> labelsMatch,
            Collection<Long> excluded, Instant now, Instant leaseExpiresAt) {
        List<Long> skip = excluded.isEmpty() ? List.of(-1L) : List.copyOf(excluded);
        return dialect.claim(workerId, free, workerLabelsJson, labelsMatch, skip, now, leaseExpiresAt);
    }

    /**
     * After claiming a run in a project with a limit: locks the project's limit row until commit and counts its
     * RUNNING runs, this one included. Claims in one limited project thus commit one at a time, each counting the
     * ones before it (each statement reads what has committed when it starts), so the limit holds across instances.
     */
    boolean withinLimit(long projectId) {
        Optional<Integer> max = jdbc.sql("SELECT max_running FROM project_run_limits WHERE project_id = :p FOR UPDATE")
                .param("p", projectId).query(Integer.class).optional();
        if (max.isEmpty()) {
            return true; // the limit was removed meanwhile
        }
        long running = jdbc.sql("SELECT count(*) FROM runs WHERE project_id = :p AND status = 'RUNNING'")
                .param("p", projectId).query(Long.class).single();
        return running <= max.get();
    }

    // --- after the claim -------------------------------------------------------------------------------------

    Optional<RunState> state(long runId) {
        return jdbc.sql("SELECT " + RunState.COLUMNS + " FROM runs WHERE id = :id").param("id", runId)
                .query((rs, i) -> RunState.of(rs)).optional();
    }

    /** The run's state, its row locked until commit (status reports; the rescuer's use skips locked rows). */
    Optional<RunState> lock(long runId) {
        return jdbc.sql("SELECT " + RunState.COLUMNS + " FROM runs WHERE id = :id FOR UPDATE").param("id", runId)
                .query((rs, i) -> RunState.of(rs)).optional();
    }

    /**
     * The run's state for a fencing check, share-locked until commit on PostgreSQL: while the caller's write
     * transaction is open, no claim, rescue, cancel or report can move the run to another attempt. (H2 has no
     * shared row locks; there the check is a plain read.)
     */
    Optional<RunState> shareLock(long runId) {
        return jdbc.sql("SELECT " + RunState.COLUMNS + " FROM runs WHERE id = :id" + dialect.shareLockClause()).param("id", runId)
                .query((rs, i) -> RunState.of(rs)).optional();
    }

    Optional<AttemptRow> attempt(long runId, int attempt) {
        return jdbc.sql("SELECT worker_id, ended_at, outcome FROM run_attempts WHERE run_id = :id AND attempt = :a")
                .param("id", runId).param("a", attempt)
                .query((rs, i) -> {
                    String outcome = rs.getString("outcome");
                    return new AttemptRow(rs.getString("worker_id"), Sql.instant(rs, "ended_at"),
                            outcome == null ? null : AttemptOutcome.valueOf(outcome));
                })
                .optional();
    }

    /** Pushes the lease of a live attempt held by this worker; false if it is not live any more. */
    boolean renew(long runId, int attempt, String workerId, Instant leaseExpiresAt) {
        return jdbc.sql("UPDATE runs SET lease_expires_at = :exp"
                        + " WHERE id = :id AND attempt = :a AND worker_id = :w AND status = 'RUNNING'")
                .param("exp", Sql.ts(leaseExpiresAt)).param("id", runId).param("a", attempt).param("w", workerId)
                .update() == 1;
    }

    /** RUNNING to a final status. */
    boolean finish(long runId, int attempt, RunStatus status, Instant now) {
        return jdbc.sql("""
                        UPDATE runs SET status = :status, finished_at = :now, lease_expires_at = NULL, worker_id = NULL,
                                        updated_at = :now, version = version + 1
                        WHERE id = :id AND attempt = :a AND status = 'RUNNING'""")
                .param("status", status.name()).param("now", Sql.ts(now)).param("id", runId).param("a", attempt)
                .update() == 1;
    }

    /** RUNNING back to QUEUED, claimable again from {@code notBefore}; it keeps its place (queued_at) in line. */
    boolean requeue(long runId, int attempt, Instant notBefore, Instant now) {
        return jdbc.sql("""
                        UPDATE runs SET status = 'QUEUED', not_before = :notBefore, lease_expires_at = NULL,
                                        worker_id = NULL, updated_at = :now, version = version + 1
                        WHERE id = :id AND attempt = :a AND status = 'RUNNING'""")
                .param("notBefore", Sql.ts(notBefore)).param("now", Sql.ts(now)).param("id", runId)
                .param("a", attempt)
                .update() == 1;
    }

    /** Closes the attempt's run_attempts row (if still open) with its outcome and why. */
    void endAttempt(long runId, int attempt, AttemptOutcome outcome, String reason, Instant now) {
        jdbc.sql("""
                        UPDATE run_attempts SET ended_at = :now, outcome = :outcome, reason = :reason
                        WHERE run_id = :id AND attempt = :a AND ended_at IS NULL""")
                .param("now", Sql.ts(now)).param("outcome", outcome.name()).param("reason", clip(reason))
                .param("id", runId).param("a", attempt)
                .update();
    }

    /** Frees what the attempt held on its worker. */
    void release(long runId, int attempt) {
        jdbc.sql("DELETE FROM allocations WHERE run_id = :id AND attempt = :a")
                .param("id", runId).param("a", attempt).update();
    }

    void releaseAll(String workerId) {
        jdbc.sql("DELETE FROM allocations WHERE worker_id = :w").param("w", workerId).update();
    }

    /** The attempts this worker holds an allocation for: the runs to take back when it goes away. */
    List<RunAttempt> allocatedAttempts(String workerId) {
        return jdbc.sql("SELECT run_id, attempt FROM allocations WHERE worker_id = :w ORDER BY run_id")
                .param("w", workerId)
                .query((rs, i) -> new RunAttempt(rs.getLong("run_id"), rs.getInt("attempt")))
                .list();
    }

    /** Up to {@code limit} RUNNING runs whose lease ended before {@code now}, locked; rows others hold are skipped. */
    List<RunState> lockExpired(Instant now, int limit) {
        return jdbc.sql("SELECT " + RunState.COLUMNS + " FROM runs WHERE status = 'RUNNING' AND lease_expires_at < :now"
                        + " ORDER BY lease_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED")
                .param("now", Sql.ts(now)).param("limit", limit)
                .query((rs, i) -> RunState.of(rs)).list();
    }

    /**
     * Marks ACTIVE workers not heard from since {@code cutoff} OFFLINE; returns how many. Rows locked by others are
     * skipped (a worker whose row a claim holds is alive), so rescuers in several instances never wait on each other.
     */
    int markOffline(Instant cutoff) {
        List<String> silent = jdbc.sql("SELECT id FROM workers WHERE status = 'ACTIVE' AND last_seen_at < :cutoff"
                        + " FOR UPDATE SKIP LOCKED")
                .param("cutoff", Sql.ts(cutoff)).query(String.class).list();
        if (silent.isEmpty()) {
            return 0;
        }
        return jdbc.sql("UPDATE workers SET status = 'OFFLINE' WHERE id IN (:ids)").param("ids", silent).update();
    }

    /**
     * Releases what offline or deregistered workers still hold for attempts that are over (typically a run
     * cancelled while its worker was dying, which never acknowledged the cancel). Live attempts are the rescuer's.
     * Takes only allocation rows no one else holds, so it cannot deadlock with another release.
     */
    int releaseOrphans() {
        List<RunAttempt> orphans = jdbc.sql("""
                        SELECT run_id, attempt FROM allocations a
                        WHERE EXISTS (SELECT 1 FROM workers w WHERE w.id = a.worker_id AND w.status <> 'ACTIVE')
                          AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = a.run_id AND r.attempt = a.attempt
                                          AND r.status = 'RUNNING')
                        FOR UPDATE SKIP LOCKED""")
                .query((rs, i) -> new RunAttempt(rs.getLong("run_id"), rs.getInt("attempt")))
                .list();
        orphans.forEach(o -> release(o.runId(), o.attempt()));
        return orphans.size();
    }

    /** QUEUED or RUNNING to CANCELLED; false if the run had already ended. */
    boolean cancel(long runId, Instant now) {
        return jdbc.sql("""
                        UPDATE runs SET status = 'CANCELLED', finished_at = :now, lease_expires_at = NULL,
                                        worker_id = NULL, updated_at = :now, version = version + 1
                        WHERE id = :id AND status IN ('QUEUED', 'RUNNING')""")
                .param("now", Sql.ts(now)).param("id", runId)
                .update() == 1;
    }

    /**
     * FAILED or CANCELLED back to QUEUED as a new round of attempts, behind the runs already waiting at the same
     * priority; false if the run is not FAILED or CANCELLED.
     */
    boolean retry(long runId, Instant now) {
        return jdbc.sql("""
                        UPDATE runs SET status = 'QUEUED', retries = retries + 1, attempt_base = attempt,
                                        not_before = NULL, queued_at = :now, started_at = NULL, finished_at = NULL,
                                        lease_expires_at = NULL, worker_id = NULL, updated_at = :now,
                                        version = version + 1
                        WHERE id = :id AND status IN ('FAILED', 'CANCELLED')""")
                .param("now", Sql.ts(now)).param("id", runId)
                .update() == 1;
    }

    private static String clip(String reason) {
        return reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
    }
}
