package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import dev.trainyard.platform.workers.WorkerRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue on PostgreSQL: a claim is one statement in the style of River and Oban. The candidate is picked and
 * locked with {@code FOR UPDATE SKIP LOCKED} inside a materialised CTE (concurrent claimers skip each other's rows
 * instead of waiting), then marked RUNNING, given its attempt row and its allocation, all in one round trip. Fencing
 * reads share-lock the run's row; no other lock is needed.
 */
final class PostgresQueueDialect implements QueueDialect {

    /**
     * The claim on PostgreSQL. Parameters: the worker's free cpus, memory and GPUs (the free indices, lowest first,
     * as an array literal; a run needing n GPUs is only claimed when n are free, and gets the first n), its labels
     * (a run's labels must be contained in them), projects to skip, now, the lease's end.
     */
    static final String CLAIM = """
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

    private final JdbcClient jdbc;

    PostgresQueueDialect(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Claimed claim(String workerId, Capacity free, String workerLabelsJson, Predicate<String> labelsMatch,
            Collection<Long> excluded, Instant now, Instant leaseExpiresAt) {
        String freeGpus = "{" + WorkerRepository.indicesText(free.freeGpus()) + "}";
        return jdbc.sql(CLAIM)
                .param("now", Sql.ts(now)).param("cpus", free.cpus()).param("memory", free.memoryMb())
                .param("gpus", free.freeGpus().size()).param("labels", workerLabelsJson)
                .param("excluded", excluded).param("worker", workerId)
                .param("leaseExpiresAt", Sql.ts(leaseExpiresAt)).param("freeGpus", freeGpus)
                .query((rs, i) -> Claimed.of(rs, WorkerRepository.indices(rs.getString("gpu_indices")),
                        rs.getBoolean("limited")))
                .optional().orElse(null);
    }

    @Override
    public boolean matchesLabelsInSql() {
        return true;
    }

    @Override
    public String shareLockClause() {
        return " FOR SHARE";
    }

    @Override
    public <T> T exclusive(Supplier<T> work) {
        return work.get(); // SKIP LOCKED makes concurrent claims and rescues safe
    }
}
