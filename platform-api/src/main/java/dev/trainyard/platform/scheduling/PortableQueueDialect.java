package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import dev.trainyard.platform.workers.WorkerRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue on H2 (standalone, one process by construction: H2 locks its database file): the claim's choice is made
 * in portable SQL and Java (labels are matched in Java) while {@link #exclusive} holds a lock, and fencing reads are
 * plain reads (H2 has no shared row locks).
 */
final class PortableQueueDialect implements QueueDialect {

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
    private final ReentrantLock singleInstance = new ReentrantLock();

    PortableQueueDialect(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Claimed claim(String workerId, Capacity free, String workerLabelsJson, Predicate<String> labelsMatch,
            Collection<Long> excluded, Instant now, Instant leaseExpiresAt) {
        Long chosen = null;
        for (int offset = 0; chosen == null; offset += PAGE) {
            List<Map.Entry<Long, String>> page = jdbc.sql(CANDIDATES_PORTABLE)
                    .param("now", Sql.ts(now)).param("cpus", free.cpus()).param("memory", free.memoryMb())
                    .param("gpus", free.freeGpus().size()).param("excluded", excluded)
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
                .query((rs, i) -> Claimed.of(rs, List.of(), false))
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

    @Override
    public boolean matchesLabelsInSql() {
        return false;
    }

    @Override
    public String shareLockClause() {
        return "";
    }

    @Override
    public <T> T exclusive(Supplier<T> work) {
        singleInstance.lock();
        try {
            return work.get();
        } finally {
            singleInstance.unlock();
        }
    }
}
