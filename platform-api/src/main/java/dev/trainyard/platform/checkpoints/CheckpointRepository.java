package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.runs.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The checkpoints, checkpoint_metrics and checkpoint_retention tables, in plain SQL. */
@Repository
class CheckpointRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    CheckpointRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** What an upload needs to know about its run. */
    record RunRow(long id, long projectId, Long experimentId, RunStatus status, int attempt, String workerId) {}

    /** A checkpoint row with its metrics and its uploader's name. */
    record Checkpoint(long id, long runId, long projectId, long step, Integer epoch, long sizeBytes, String sha256,
            String storageKey, String filename, Integer attempt, String uploadedBy, Instant createdAt,
            Map<String, Double> metrics) {}

    private static final String RUN = "SELECT id, project_id, experiment_id, status, attempt, worker_id FROM runs "
            + "WHERE id = ?";

    Optional<RunRow> findRun(long runId) {
        return jdbc.sql(RUN).param(runId).query(CheckpointRepository::runRow).optional();
    }

    /** The run, locked until the transaction ends: uploads into a run, and its deletion, take turns. */
    Optional<RunRow> lockRun(long runId) {
        return jdbc.sql(RUN + " FOR UPDATE").param(runId).query(CheckpointRepository::runRow).optional();
    }

    /** The run's spec, as JSON text. */
    Optional<String> spec(long runId) {
        return jdbc.sql("SELECT spec FROM runs WHERE id = ?").param(runId).query(String.class).optional();
    }

    /** When the run's newest checkpoint was stored, if it has any. */
    Optional<Instant> lastStoredAt(long runId) {
        return jdbc.sql("SELECT created_at FROM checkpoints WHERE run_id = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
                .param(runId).query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }

    private static RunRow runRow(ResultSet rs, int row) throws SQLException {
        long experiment = rs.getLong("experiment_id");
        return new RunRow(rs.getLong("id"), rs.getLong("project_id"), rs.wasNull() ? null : experiment,
                RunStatus.valueOf(rs.getString("status")), rs.getInt("attempt"), rs.getString("worker_id"));
    }

    private static final String SELECT = "SELECT c.id, c.run_id, c.project_id, c.step, c.epoch, c.size_bytes, "
            + "c.sha256, c.storage_key, c.filename, c.attempt, u.username, c.created_at FROM checkpoints c "
            + "LEFT JOIN users u ON u.id = c.uploaded_by ";

    List<Checkpoint> list(long runId) {
        return withMetrics(jdbc.sql(SELECT + "WHERE c.run_id = ? ORDER BY c.step, c.id").param(runId)
                .query(CheckpointRepository::checkpoint).list());
    }

    Optional<Checkpoint> find(long runId, long id) {
        return one(jdbc.sql(SELECT + "WHERE c.run_id = ? AND c.id = ?").params(runId, id)
                .query(CheckpointRepository::checkpoint).optional());
    }

    Optional<Checkpoint> findByStep(long runId, long step) {
        return one(jdbc.sql(SELECT + "WHERE c.run_id = ? AND c.step = ?").params(runId, step)
                .query(CheckpointRepository::checkpoint).optional());
    }

    Optional<Checkpoint> latest(long runId) {
        return one(jdbc.sql(SELECT + "WHERE c.run_id = ? ORDER BY c.step DESC, c.id DESC LIMIT 1").param(runId)
                .query(CheckpointRepository::checkpoint).optional());
    }

    private Optional<Checkpoint> one(Optional<Checkpoint> found) {
        return found.map(c -> withMetrics(List.of(c)).getFirst());
    }

    private static Checkpoint checkpoint(ResultSet rs, int row) throws SQLException {
        int epoch = rs.getInt("epoch");
        Integer epochOrNull = rs.wasNull() ? null : epoch;
        int attempt = rs.getInt("attempt");
        Integer attemptOrNull = rs.wasNull() ? null : attempt;
        return new Checkpoint(rs.getLong("id"), rs.getLong("run_id"), rs.getLong("project_id"), rs.getLong("step"),
                epochOrNull, rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("storage_key"),
                rs.getString("filename"), attemptOrNull, rs.getString("username"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), Map.of());
    }

    private List<Checkpoint> withMetrics(List<Checkpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return checkpoints;
        }
        Map<Long, Map<String, Double>> metrics = metrics(checkpoints.stream().map(Checkpoint::id).toList());
        return checkpoints.stream().map(c -> new Checkpoint(c.id(), c.runId(), c.projectId(), c.step(), c.epoch(),
                c.sizeBytes(), c.sha256(), c.storageKey(), c.filename(), c.attempt(), c.uploadedBy(), c.createdAt(),
                metrics.getOrDefault(c.id(), Map.of()))).toList();
    }

    private Map<Long, Map<String, Double>> metrics(Collection<Long> ids) {
        Map<Long, Map<String, Double>> out = new HashMap<>();
        String in = String.join(",", ids.stream().map(String::valueOf).toList());
        jdbc.sql("SELECT checkpoint_id, name, metric_value FROM checkpoint_metrics WHERE checkpoint_id IN (" + in + ")")
                .query((ResultSet rs) -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getDouble(3));
                });
        return out;
    }

    long insert(long runId, long projectId, long step, Integer epoch, long sizeBytes, String sha256,
            String storageKey, String filename, Integer attempt, Long uploadedBy, Instant createdAt,
            Map<String, Double> metrics) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO checkpoints (run_id, project_id, step, epoch, size_bytes, sha256, storage_key, filename,"
                + " attempt, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(runId, projectId, step, epoch, sizeBytes, sha256, storageKey, filename, attempt, uploadedBy,
                        createdAt.atOffset(ZoneOffset.UTC))
                .update(key, "id");
        long id = key.getKeyAs(Long.class);
        List<Object[]> rows = new ArrayList<>();
        metrics.forEach((name, value) -> rows.add(new Object[] {id, name, value}));
        if (!rows.isEmpty()) {
            template.batchUpdate("INSERT INTO checkpoint_metrics (checkpoint_id, name, metric_value) VALUES (?, ?, ?)",
                    rows);
        }
        return id;
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM checkpoints WHERE id = ?").param(id).update();
    }

    List<String> storageKeys(long runId) {
        return jdbc.sql("SELECT storage_key FROM checkpoints WHERE run_id = ? ORDER BY id").param(runId)
                .query(String.class).list();
    }

    /** The retention settings of an experiment, with their last change. */
    record Retention(RetentionPolicy policy, Instant updatedAt) {}

    Optional<Retention> retention(long experimentId) {
        return jdbc.sql("SELECT keep_last, best_metric, best_mode, updated_at FROM checkpoint_retention "
                + "WHERE experiment_id = ?").param(experimentId).query((rs, row) -> {
                    String mode = rs.getString("best_mode");
                    return new Retention(new RetentionPolicy(rs.getInt("keep_last"), rs.getString("best_metric"),
                            mode == null ? null : BestMode.fromWire(mode)),
                            rs.getObject("updated_at", OffsetDateTime.class).toInstant());
                }).optional();
    }

    void saveRetention(long experimentId, RetentionPolicy policy, Instant now) {
        Object[] values = {policy.keepLast(), policy.bestMetric(),
                policy.bestMode() == null ? null : policy.bestMode().wireName(), now.atOffset(ZoneOffset.UTC),
                experimentId};
        int updated = jdbc.sql("UPDATE checkpoint_retention SET keep_last = ?, best_metric = ?, best_mode = ?, "
                + "updated_at = ? WHERE experiment_id = ?").params(values).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO checkpoint_retention (keep_last, best_metric, best_mode, updated_at, experiment_id) "
                    + "VALUES (?, ?, ?, ?, ?)").params(values).update();
        }
    }

    boolean deleteRetention(long experimentId) {
        return jdbc.sql("DELETE FROM checkpoint_retention WHERE experiment_id = ?").param(experimentId).update() == 1;
    }
}
