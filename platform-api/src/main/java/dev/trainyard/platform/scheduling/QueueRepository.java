package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.workers.WorkerRepository;
import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The queue's SQL: claiming a run for a worker, and the moves a run makes afterwards (lease renewal, finish, re-queue)
 * together with its run_attempts row and its allocation. Every status change bumps runs.version, so a cancel or
 * retry through the API that read the run before fails with 409 instead of being lost; lease renewals do not bump it
 * (they change nothing a user acts on).
 *
 * <p>On PostgreSQL a claim is one statement in the style of River and Oban: the candidate is picked and locked with
 * {@code FOR UPDATE SKIP LOCKED} inside a materialised CTE (concurrent claimers skip each other's rows instead of
 * waiting), then marked RUNNING, given its attempt row and its allocation, all in one round trip. On H2 the same
 * choice is made in portable SQL and Java while {@link #exclusive} holds a lock: standalone is one process.
 */
@Repository
public class QueueRepository {

    /**
     * The claim on PostgreSQL. Parameters: the worker's free cpus, memory and GPUs (the free indices, lowest first,
     * as an array literal; a run needing n GPUs is only claimed when n are free, and gets the first n), its labels
     * (a run's labels must be contained in them), projects to skip, now, the lease's end.
     */
    static final String CLAIM_POSTGRESQL = """
            WITH full_projects AS MATERIALIZED (
                -- projects already running as many runs as their limit allows
                SELECT l.project_id
                FROM project_run_limits l
                WHERE l.max_running <= (SELECT count(*) FROM runs x
                                        WHERE x.project_id = l.project_id AND x.status = 'RUNNING')
            ),
            candidate AS MATERIALIZED (
                SELECT r.id
                FROM runs r
                WHERE r.status = 'QUEUED'
                  AND (r.not_before IS NULL OR r.not_before <= :now)
                  AND r.cpus <= :cpus AND r.memory_mb <= :memory AND r.gpus <= :gpus
                  AND r.labels <@ CAST(:labels AS jsonb)
                  AND r.project_id NOT IN (:excluded)
                  AND NOT EXISTS (SELECT 1 FROM full_projects f WHERE f.project_id = r.project_id)
                ORDER BY r.priority DESC, r.queued_at, r.id
                LIMIT 1
                FOR UPDATE OF r SKIP LOCKED
            ),
            claimed AS (
                UPDATE runs r
                SET status = 'RUNNING', attempt = r.attempt + 1, worker_id = :worker,
                    lease_expires_at = :leaseExpiresAt, started_at = COALESCE(r.started_at, :now),
                    not_before = NULL, updated_at = :now, version = r.version + 1
                FROM candidate
                WHERE r.id = candidate.id
                RETURNING r.id, r.project_id, r.experiment_id, r.name, r.attempt, r.max_attempts, r.spec, r.cpus,
                          r.gpus, r.memory_mb, r.labels, r.lease_expires_at,
                          (SELECT COALESCE(string_agg(CAST(f.g AS text), ',' ORDER BY f.o), '')
                           FROM unnest(CAST(:freeGpus AS integer[])) WITH ORDINALITY AS f(g, o)
                           WHERE f.o <= r.gpus) AS gpu_indices
            ),
            attempt_row AS (
                INSERT INTO run_attempts (run_id, attempt, worker_id, started_at)
                SELECT id, attempt, :worker, :now FROM claimed
            ),
            allocation AS (
                INSERT INTO allocations (run_id, attempt, worker_id, cpus, gpus, memory_mb, gpu_indices, created_at)
                SELECT id, attempt, :worker, cpus, gpus, memory_mb, gpu_indices, :now FROM claimed
            )
            SELECT c.*, EXISTS (SELECT 1 FROM project_run_limits l WHERE l.project_id = c.project_id) AS limited
            FROM claimed c""";

    /** H2: the candidates in queue order, a page at a time; labels are matched in Java. */
    private static final String CANDIDATES_PORTABLE = """
            SELECT r.id, r.labels
            FROM runs r
            WHERE r.status = 'QUEUED'
              AND (r.not_before IS NULL OR r.not_before <= :now)
              AND r.cpus <= :cpus AND r.memory_mb <= :memory AND r.gpus <= :gpus
              AND r.project_id NOT IN (:excluded)
              AND NOT EXISTS (SELECT 1 FROM project_run_limits l
                              WHERE l.project_id = r.project_id
                                AND l.max_running <= (SELECT count(*) FROM runs x
                                                      WHERE x.project_id = r.project_id AND x.status = 'RUNNING'))
            ORDER BY r.priority DESC, r.queued_at, r.id
            LIMIT :limit OFFSET :offset""";

    private static final int PAGE = 200;

    private final JdbcClient jdbc;
    private final Database database;
    private final ReentrantLock singleInstance = new ReentrantLock();

    public QueueRepository(JdbcClient jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** A run just claimed: what the worker needs to start it. {@code limited}: its project has a run limit. */
    record Claimed(long runId, long projectId, Long experimentId, String name, int attempt, int maxAttempts,
            String spec, int cpus, int gpus, int memoryMb, String labels, List<Integer> gpuIndices,
            Instant leaseExpiresAt, boolean limited) {}

    /** A run's scheduling state, as the fencing checks and transitions need it. */
    record RunState(long id, RunStatus status, int attempt, int attemptBase, int maxAttempts, String workerId,
            Instant leaseExpiresAt, Instant notBefore, Instant finishedAt) {

        static RunState of(ResultSet rs) throws SQLException {
            return new RunState(rs.getLong("id"), RunStatus.valueOf(rs.getString("status")), rs.getInt("attempt"),
                    rs.getInt("attempt_base"), rs.getInt("max_attempts"), rs.getString("worker_id"),
                    Sql.instant(rs, "lease_expires_at"), Sql.instant(rs, "not_before"),
                    Sql.instant(rs, "finished_at"));
        }
    }

    /** The run_attempts row of one attempt. */
    record AttemptRow(String workerId, Instant endedAt, String outcome) {}

    private static final String STATE_COLUMNS =
            "id, status, attempt, attempt_base, max_attempts, worker_id, lease_expires_at, not_before, finished_at";

    Database database() {
        return database;
    }

    /**
     * Runs {@code work} (a whole transaction) alone among this process's claims and rescues on H2, where the
     * queue's SQL is not safe under concurrency; on PostgreSQL it just runs it (SKIP LOCKED makes that safe).
     */
    <T> T exclusive(Supplier<T> work) {
        if (database == Database.POSTGRESQL) {
            return work.get();
        }
        singleInstance.lock();
        try {
            return work.get();
        } finally {
            singleInstance.unlock();
        }
    }

    /**
     * Claims the first run in queue order (priority, then submission) that fits the worker's free resources and
     * labels, skipping {@code excluded} projects; null if there is none. Must run inside a transaction.
     *
     * @param labelsMatch on H2, tells whether a run's labels (JSON) are all among the worker's
     */
    Claimed claim(String workerId, Capacity free, String workerLabelsJson, Predicate<String> labelsMatch,
            Collection<Long> excluded, Instant now, Instant leaseExpiresAt) {
        List<Long> skip = excluded.isEmpty() ? List.of(-1L) : List.copyOf(excluded);
        if (database == Database.POSTGRESQL) {
            String freeGpus = "{" + WorkerRepository.indicesText(free.freeGpus()) + "}";
            return jdbc.sql(CLAIM_POSTGRESQL)
                    .param("now", Sql.ts(now)).param("cpus", free.cpus()).param("memory", free.memoryMb())
                    .param("gpus", free.freeGpus().size()).param("labels", workerLabelsJson)
                    .param("excluded", skip).param("worker", workerId)
                    .param("leaseExpiresAt", Sql.ts(leaseExpiresAt)).param("freeGpus", freeGpus)
                    .query((rs, i) -> claimed(rs, WorkerRepository.indices(rs.getString("gpu_indices")),
                            rs.getBoolean("limited")))
                    .optional().orElse(null);
        }
        return claimPortable(workerId, free, labelsMatch, skip, now, leaseExpiresAt);
    }

    private Claimed claimPortable(String workerId, Capacity free, Predicate<String> labelsMatch, List<Long> skip,
            Instant now, Instant leaseExpiresAt) {
        Long chosen = null;
        for (int offset = 0; chosen == null; offset += PAGE) {
            List<Map.Entry<Long, String>> page = jdbc.sql(CANDIDATES_PORTABLE)
                    .param("now", Sql.ts(now)).param("cpus", free.cpus()).param("memory", free.memoryMb())
                    .param("gpus", free.freeGpus().size()).param("excluded", skip)
                    .param("limit", PAGE).param("offset", offset)
                    .query((rs, i) -> Map.entry(rs.getLong("id"), rs.getString("labels")))
                    .list();
            for (Map.Entry<Long, String> candidate : page) {
                if (labelsMatch.test(candidate.getValue())) {
                    chosen = candidate.getKey();
                    break;
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        if (chosen == null) {
            return null;
        }
        int updated = jdbc.sql("""
                        UPDATE runs SET status = 'RUNNING', attempt = attempt + 1, worker_id = :worker,
                                        lease_expires_at = :leaseExpiresAt, started_at = COALESCE(started_at, :now),
                                        not_before = NULL, updated_at = :now, version = version + 1
                        WHERE id = :id AND status = 'QUEUED'""")
                .param("worker", workerId).param("leaseExpiresAt", Sql.ts(leaseExpiresAt)).param("now", Sql.ts(now))
                .param("id", chosen)
                .update();
        if (updated == 0) {
            return null; // cancelled in the meantime
        }
        Claimed run = jdbc.sql("SELECT id, project_id, experiment_id, name, attempt, max_attempts, spec, cpus, gpus,"
                        + " memory_mb, labels, lease_expires_at FROM runs WHERE id = :id")
                .param("id", chosen)
                .query((rs, i) -> claimed(rs, List.of(), false))
                .single();
        List<Integer> gpus = free.freeGpus().subList(0, run.gpus());
        jdbc.sql("INSERT INTO run_attempts (run_id, attempt, worker_id, started_at) VALUES (:id, :a, :w, :now)")
                .param("id", run.runId()).param("a", run.attempt()).param("w", workerId).param("now", Sql.ts(now))
                .update();
        jdbc.sql("""
                        INSERT INTO allocations (run_id, attempt, worker_id, cpus, gpus, memory_mb, gpu_indices, created_at)
                        VALUES (:id, :a, :w, :cpus, :gpus, :memory, :indices, :now)""")
                .param("id", run.runId()).param("a", run.attempt()).param("w", workerId).param("cpus", run.cpus())
                .param("gpus", run.gpus()).param("memory", run.memoryMb())
                .param("indices", WorkerRepository.indicesText(gpus)).param("now", Sql.ts(now))
                .update();
        boolean limited = jdbc.sql("SELECT count(*) FROM project_run_limits WHERE project_id = :p")
                .param("p", run.projectId()).query(Long.class).single() > 0;
        return new Claimed(run.runId(), run.projectId(), run.experimentId(), run.name(), run.attempt(),
                run.maxAttempts(), run.spec(), run.cpus(), run.gpus(), run.memoryMb(), run.labels(), gpus,
                run.leaseExpiresAt(), limited);
    }

    private static Claimed claimed(ResultSet rs, List<Integer> gpuIndices, boolean limited) throws SQLException {
        long experiment = rs.getLong("experiment_id");
        Long experimentId = rs.wasNull() ? null : experiment;
        return new Claimed(rs.getLong("id"), rs.getLong("project_id"), experimentId, rs.getString("name"),
                rs.getInt("attempt"), rs.getInt("max_attempts"), rs.getString("spec"), rs.getInt("cpus"),
                rs.getInt("gpus"), rs.getInt("memory_mb"), rs.getString("labels"), gpuIndices,
                Sql.instant(rs, "lease_expires_at"), limited);
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
        return jdbc.sql("SELECT " + STATE_COLUMNS + " FROM runs WHERE id = :id").param("id", runId)
                .query((rs, i) -> RunState.of(rs)).optional();
    }

    /** The run's state, its row locked until commit (status reports; the rescuer's use skips locked rows). */
    Optional<RunState> lock(long runId) {
        return jdbc.sql("SELECT " + STATE_COLUMNS + " FROM runs WHERE id = :id FOR UPDATE").param("id", runId)
                .query((rs, i) -> RunState.of(rs)).optional();
    }

    /**
     * The run's state for a fencing check, share-locked until commit on PostgreSQL: while the caller's write
     * transaction is open, no claim, rescue, cancel or report can move the run to another attempt. (H2 has no
     * shared row locks; there the check is a plain read.)
     */
    Optional<RunState> shareLock(long runId) {
        String lock = database == Database.POSTGRESQL ? " FOR SHARE" : "";
        return jdbc.sql("SELECT " + STATE_COLUMNS + " FROM runs WHERE id = :id" + lock).param("id", runId)
                .query((rs, i) -> RunState.of(rs)).optional();
    }

    Optional<AttemptRow> attempt(long runId, int attempt) {
        return jdbc.sql("SELECT worker_id, ended_at, outcome FROM run_attempts WHERE run_id = :id AND attempt = :a")
                .param("id", runId).param("a", attempt)
                .query((rs, i) -> new AttemptRow(rs.getString("worker_id"), Sql.instant(rs, "ended_at"),
                        rs.getString("outcome")))
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

    void endAttempt(long runId, int attempt, String outcome, String reason, Instant now) {
        jdbc.sql("""
                        UPDATE run_attempts SET ended_at = :now, outcome = :outcome, reason = :reason
                        WHERE run_id = :id AND attempt = :a AND ended_at IS NULL""")
                .param("now", Sql.ts(now)).param("outcome", outcome).param("reason", clip(reason))
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
    List<long[]> allocatedAttempts(String workerId) {
        return jdbc.sql("SELECT run_id, attempt FROM allocations WHERE worker_id = :w ORDER BY run_id")
                .param("w", workerId)
                .query((rs, i) -> new long[] {rs.getLong("run_id"), rs.getInt("attempt")})
                .list();
    }

    /** Up to {@code limit} RUNNING runs whose lease ended before {@code now}, locked; rows others hold are skipped. */
    List<RunState> lockExpired(Instant now, int limit) {
        return jdbc.sql("SELECT " + STATE_COLUMNS + " FROM runs WHERE status = 'RUNNING' AND lease_expires_at < :now"
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
        List<long[]> orphans = jdbc.sql("""
                        SELECT run_id, attempt FROM allocations a
                        WHERE EXISTS (SELECT 1 FROM workers w WHERE w.id = a.worker_id AND w.status <> 'ACTIVE')
                          AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = a.run_id AND r.attempt = a.attempt
                                          AND r.status = 'RUNNING')
                        FOR UPDATE SKIP LOCKED""")
                .query((rs, i) -> new long[] {rs.getLong("run_id"), rs.getInt("attempt")})
                .list();
        orphans.forEach(o -> release(o[0], (int) o[1]));
        return orphans.size();
    }

    private static String clip(String reason) {
        return reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
    }
}
