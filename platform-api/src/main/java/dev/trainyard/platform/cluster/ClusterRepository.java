package dev.trainyard.platform.cluster;

import dev.trainyard.platform.cluster.ClusterRecords.ProjectLimit;
import dev.trainyard.platform.scheduling.Sql;
import dev.trainyard.platform.workers.WorkerRepository;
import dev.trainyard.platform.workers.WorkerRepository.Allocation;
import dev.trainyard.platform.workers.WorkerRepository.WorkerRow;
import dev.trainyard.platform.workers.WorkerStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the queue and workers views. {@code visibleTo} is the user whose projects are shown, or null for all
 * (a site admin).
 */
@Repository
public class ClusterRepository {

    /**
     * Every QUEUED run numbered in the scheduler's lease order (the claim of PostgresQueueDialect and
     * PortableQueueDialect: priority DESC, queued_at, id), so a visible run's position counts the hidden runs ahead.
     */
    private static final String NUMBERED_QUEUE = """
            SELECT r.id, r.project_id, r.experiment_id, r.name, r.priority, r.queued_at, r.not_before, r.cpus, r.gpus,
                   r.memory_mb, r.labels,
                   row_number() OVER (ORDER BY r.priority DESC, r.queued_at, r.id) AS position
            FROM runs r
            WHERE r.status = 'QUEUED'""";

    private static final String MEMBER_PROJECTS = "SELECT m.project_id FROM project_members m WHERE m.user_id = :user";

    private final JdbcClient jdbc;

    public ClusterRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A queued run as read, labels as JSON text. */
    record QueueRow(long position, long projectId, String projectName, Long experimentId, long runId, String runName,
            int priority, Instant queuedAt, Instant notBefore, int cpus, int gpus, int memoryMb, String labels) {}

    List<QueueRow> queue(Long visibleTo, int limit) {
        return jdbc.sql("SELECT q.*, p.name AS project_name FROM (" + NUMBERED_QUEUE + ") q"
                        + " JOIN projects p ON p.id = q.project_id"
                        + (visibleTo == null ? "" : " WHERE q.project_id IN (" + MEMBER_PROJECTS + ")")
                        + " ORDER BY q.position LIMIT :limit")
                .params(visibleTo == null ? Map.of("limit", limit) : Map.of("limit", limit, "user", visibleTo))
                .query((rs, i) -> {
                    long experiment = rs.getLong("experiment_id");
                    Long experimentId = rs.wasNull() ? null : experiment;
                    return new QueueRow(rs.getLong("position"), rs.getLong("project_id"),
                            rs.getString("project_name"), experimentId, rs.getLong("id"), rs.getString("name"),
                            rs.getInt("priority"), Sql.instant(rs, "queued_at"), Sql.instant(rs, "not_before"),
                            rs.getInt("cpus"), rs.getInt("gpus"), rs.getInt("memory_mb"), rs.getString("labels"));
                })
                .list();
    }

    /** How many QUEUED runs the user can see, and how many they cannot: {visible, hidden}. */
    long[] queueSizes(Long visibleTo) {
        if (visibleTo == null) {
            long all = jdbc.sql("SELECT count(*) FROM runs WHERE status = 'QUEUED'").query(Long.class).single();
            return new long[] {all, 0};
        }
        return jdbc.sql("SELECT COALESCE(SUM(CASE WHEN r.project_id IN (" + MEMBER_PROJECTS + ") THEN 1 ELSE 0 END), 0)"
                        + " AS visible, count(*) AS total FROM runs r WHERE r.status = 'QUEUED'")
                .param("user", visibleTo)
                .query((rs, i) -> new long[] {rs.getLong("visible"), rs.getLong("total") - rs.getLong("visible")})
                .single();
    }

    /** The visible projects that have queued or running runs or a run limit, with the limit and how many run now. */
    List<ProjectLimit> projectLimits(Long visibleTo) {
        var spec = jdbc.sql("""
                        SELECT p.id, p.name, l.max_running,
                               (SELECT count(*) FROM runs x WHERE x.project_id = p.id AND x.status = 'RUNNING') AS running
                        FROM projects p LEFT JOIN project_run_limits l ON l.project_id = p.id
                        WHERE (l.project_id IS NOT NULL
                               OR EXISTS (SELECT 1 FROM runs x WHERE x.project_id = p.id AND x.status IN ('QUEUED', 'RUNNING')))
                        """ + (visibleTo == null ? "" : " AND p.id IN (" + MEMBER_PROJECTS + ")") + " ORDER BY p.id");
        if (visibleTo != null) {
            spec = spec.param("user", visibleTo);
        }
        return spec.query((rs, i) -> {
            int max = rs.getInt("max_running");
            Integer maxRunning = rs.wasNull() ? null : max;
            return new ProjectLimit(rs.getLong("id"), rs.getString("name"), maxRunning, rs.getLong("running"));
        }).list();
    }

    /** Workers that have not deregistered, by name. */
    List<WorkerRow> liveWorkers() {
        return jdbc.sql("SELECT id, name, token_id, status, labels, cpus, memory_mb, gpu_count, gpus, registered_at,"
                        + " last_seen_at, deregistered_at FROM workers WHERE status <> 'DEREGISTERED' ORDER BY name, id")
                .query((rs, i) -> new WorkerRow(rs.getString("id"), rs.getString("name"), rs.getLong("token_id"),
                        WorkerStatus.valueOf(rs.getString("status")), rs.getString("labels"), rs.getInt("cpus"),
                        rs.getInt("memory_mb"), rs.getInt("gpu_count"), rs.getString("gpus"),
                        Sql.instant(rs, "registered_at"), Sql.instant(rs, "last_seen_at"),
                        Sql.instant(rs, "deregistered_at")))
                .list();
    }

    /** What a worker holds for one attempt, and the run's project and name. */
    record Held(String workerId, Allocation allocation, long projectId, String runName) {}

    /** Every allocation of the workers that have not deregistered. */
    List<Held> held() {
        return jdbc.sql("""
                        SELECT a.worker_id, a.run_id, a.attempt, a.cpus, a.gpus, a.memory_mb, a.gpu_indices,
                               r.project_id, r.name
                        FROM allocations a JOIN runs r ON r.id = a.run_id JOIN workers w ON w.id = a.worker_id
                        WHERE w.status <> 'DEREGISTERED'
                        ORDER BY a.worker_id, a.run_id, a.attempt""")
                .query((rs, i) -> new Held(rs.getString("worker_id"),
                        new Allocation(rs.getLong("run_id"), rs.getInt("attempt"), rs.getInt("cpus"), rs.getInt("gpus"),
                                rs.getInt("memory_mb"), WorkerRepository.indices(rs.getString("gpu_indices"))),
                        rs.getLong("project_id"), rs.getString("name")))
                .list();
    }

    /** The projects the user is a member of. */
    Set<Long> memberProjects(long userId) {
        return new HashSet<>(jdbc.sql(MEMBER_PROJECTS).param("user", userId).query(Long.class).list());
    }
}
