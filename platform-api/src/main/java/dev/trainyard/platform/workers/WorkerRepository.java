package dev.trainyard.platform.workers;

import dev.trainyard.platform.scheduling.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The workers table and the allocations that say what each worker's live attempts hold. */
@Repository
public class WorkerRepository {

    private static final String COLUMNS = "id, name, token_id, status, labels, cpus, memory_mb, gpu_count, gpus,"
            + " registered_at, last_seen_at, deregistered_at";

    private final JdbcClient jdbc;

    public WorkerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A worker row; labels and gpus are JSON text. */
    public record WorkerRow(String id, String name, long tokenId, WorkerStatus status, String labels, int cpus,
            int memoryMb, int gpuCount, String gpus, Instant registeredAt, Instant lastSeenAt,
            Instant deregisteredAt) {

        static WorkerRow of(ResultSet rs) throws SQLException {
            return new WorkerRow(rs.getString("id"), rs.getString("name"), rs.getLong("token_id"),
                    WorkerStatus.valueOf(rs.getString("status")), rs.getString("labels"), rs.getInt("cpus"),
                    rs.getInt("memory_mb"), rs.getInt("gpu_count"), rs.getString("gpus"),
                    Sql.instant(rs, "registered_at"), Sql.instant(rs, "last_seen_at"),
                    Sql.instant(rs, "deregistered_at"));
        }
    }

    /** What one live attempt holds on a worker. */
    public record Allocation(long runId, int attempt, int cpus, int gpus, int memoryMb, List<Integer> gpuIndices) {}

    /** A worker's devices minus its allocations; the GPUs as the free indices, lowest first. */
    public record Capacity(int cpus, int memoryMb, List<Integer> freeGpus) {

        public static Capacity of(WorkerRow worker, List<Allocation> held) {
            int cpus = 0;
            int memory = 0;
            List<Integer> used = new ArrayList<>();
            for (Allocation a : held) {
                cpus += a.cpus();
                memory += a.memoryMb();
                used.addAll(a.gpuIndices());
            }
            return of(worker, cpus, memory, used);
        }

        static Capacity of(WorkerRow worker, int heldCpus, int heldMemoryMb, Collection<Integer> usedGpus) {
            Set<Integer> used = new HashSet<>(usedGpus);
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < worker.gpuCount(); i++) {
                if (!used.contains(i)) {
                    free.add(i);
                }
            }
            return new Capacity(Math.max(worker.cpus() - heldCpus, 0), Math.max(worker.memoryMb() - heldMemoryMb, 0),
                    free);
        }
    }

    void insert(WorkerRow w) {
        jdbc.sql("""
                        INSERT INTO workers (id, name, token_id, status, labels, cpus, memory_mb, gpu_count, gpus,
                                             registered_at, last_seen_at)
                        VALUES (:id, :name, :token, :status, :labels, :cpus, :memory, :gpuCount, :gpus, :now, :now)""")
                .param("id", w.id()).param("name", w.name()).param("token", w.tokenId())
                .param("status", w.status().name()).param("labels", w.labels()).param("cpus", w.cpus())
                .param("memory", w.memoryMb()).param("gpuCount", w.gpuCount()).param("gpus", w.gpus())
                .param("now", Sql.ts(w.registeredAt()))
                .update();
    }

    public Optional<WorkerRow> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM workers WHERE id = :id").param("id", id)
                .query((rs, i) -> WorkerRow.of(rs)).optional();
    }

    List<WorkerRow> byToken(long tokenId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM workers WHERE token_id = :token AND status <> 'DEREGISTERED'"
                        + " ORDER BY registered_at, id")
                .param("token", tokenId).query((rs, i) -> WorkerRow.of(rs)).list();
    }

    /**
     * The worker, its row locked until commit (inside a transaction), and a note that it was heard from: claims for
     * one worker go one at a time, so two long-polls of the same worker cannot both take its last free GPU.
     * last_seen_at is only rewritten when it is over a second old (or the worker was OFFLINE), so that a busy
     * worker's claims take a row lock but do not each write a new row version. A deregistered worker is returned
     * as it is, untouched.
     */
    public Optional<WorkerRow> lockAndTouch(String id, Instant now) {
        Optional<WorkerRow> row = jdbc.sql("SELECT " + COLUMNS + " FROM workers WHERE id = :id FOR UPDATE")
                .param("id", id).query((rs, i) -> WorkerRow.of(rs)).optional();
        row.filter(w -> w.status() == WorkerStatus.OFFLINE
                        || w.status() == WorkerStatus.ACTIVE && w.lastSeenAt().isBefore(now.minusSeconds(1)))
                .ifPresent(w -> jdbc.sql("UPDATE workers SET last_seen_at = :now, status = 'ACTIVE' WHERE id = :id")
                        .param("now", Sql.ts(now)).param("id", id).update());
        return row;
    }

    public List<Allocation> allocations(String workerId) {
        return jdbc.sql("SELECT run_id, attempt, cpus, gpus, memory_mb, gpu_indices FROM allocations"
                        + " WHERE worker_id = :w ORDER BY run_id, attempt")
                .param("w", workerId)
                .query((rs, i) -> new Allocation(rs.getLong("run_id"), rs.getInt("attempt"), rs.getInt("cpus"),
                        rs.getInt("gpus"), rs.getInt("memory_mb"), indices(rs.getString("gpu_indices"))))
                .list();
    }

    /** What the worker has free, from the sums of its allocations (one aggregate query: a claim needs no more). */
    public Capacity capacity(WorkerRow worker) {
        return jdbc.sql("""
                        SELECT COALESCE(SUM(cpus), 0) AS cpus, COALESCE(SUM(memory_mb), 0) AS memory,
                               STRING_AGG(CASE WHEN gpus > 0 THEN gpu_indices END, ',') AS gpu_indices
                        FROM allocations WHERE worker_id = :w""")
                .param("w", worker.id())
                .query((rs, i) -> Capacity.of(worker, rs.getInt("cpus"), rs.getInt("memory"),
                        indices(rs.getString("gpu_indices"))))
                .single();
    }

    /** Marks the worker gone; false if it already was. Locks its row, as {@link #lockAndTouch}. */
    boolean deregister(String id, Instant now) {
        return jdbc.sql("UPDATE workers SET status = 'DEREGISTERED', deregistered_at = :now"
                        + " WHERE id = :id AND status <> 'DEREGISTERED'")
                .param("now", Sql.ts(now)).param("id", id).update() == 1;
    }

    public static List<Integer> indices(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
    }

    public static String indicesText(List<Integer> indices) {
        return String.join(",", indices.stream().map(String::valueOf).toList());
    }
}
