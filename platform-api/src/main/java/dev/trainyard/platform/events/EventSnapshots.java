package dev.trainyard.platform.events;

import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The state a stream opens with, so a client that (re)connects needs no other request to catch up. */
@Repository
public class EventSnapshots {

    /** An experiment or project stream's snapshot lists at most this many runs, newest first. */
    static final int MAX_RUNS = 1_000;

    private final JdbcClient jdbc;

    public EventSnapshots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A run's {@code snapshot} event. */
    public record RunSnapshot(RunState run, Map<String, RunEventHub.KeyValue> metrics, LogPosition logs) {}

    public record RunState(long id, String name, Long experimentId, RunStatus status, int attempt) {}

    /** Where a run's log ends: the last attempt that logged, and its last seq (null when nothing was logged). */
    public record LogPosition(Integer attempt, Long lastSeq) {}

    /** An experiment's {@code snapshot} event. */
    public record ExperimentSnapshot(long experimentId, List<RunState> runs, boolean truncated) {}

    public RunSnapshot run(RunRef run) {
        Map<String, RunEventHub.KeyValue> metrics = new LinkedHashMap<>();
        jdbc.sql("SELECT name, last_value, last_step, min_value, max_value FROM run_metric_summaries"
                        + " WHERE run_id = :id ORDER BY name")
                .param("id", run.id())
                .query(rs -> {
                    metrics.put(rs.getString("name"), new RunEventHub.KeyValue(rs.getLong("last_step"),
                            rs.getDouble("last_value"), rs.getDouble("min_value"), rs.getDouble("max_value")));
                });
        return new RunSnapshot(new RunState(run.id(), run.name(), run.experimentId(), run.status(), run.attempt()),
                metrics, logPosition(run.id()));
    }

    public LogPosition logPosition(long runId) {
        return jdbc.sql("SELECT attempt, seq FROM run_logs WHERE run_id = :id ORDER BY attempt DESC, seq DESC"
                        + " FETCH FIRST 1 ROWS ONLY")
                .param("id", runId)
                .query((rs, i) -> new LogPosition(rs.getInt("attempt"), rs.getLong("seq")))
                .optional()
                .orElse(new LogPosition(null, null));
    }

    /** A project's {@code snapshot} event. */
    public record ProjectSnapshot(long projectId, List<RunState> runs, boolean truncated) {}

    public ExperimentSnapshot experiment(long projectId, long experimentId) {
        List<RunState> runs = newestRuns(jdbc.sql("SELECT id, name, experiment_id, status, attempt FROM runs"
                        + " WHERE project_id = :p AND experiment_id = :e ORDER BY created_at DESC, id DESC"
                        + " FETCH FIRST " + (MAX_RUNS + 1) + " ROWS ONLY")
                .param("p", projectId).param("e", experimentId));
        boolean truncated = runs.size() > MAX_RUNS;
        return new ExperimentSnapshot(experimentId, truncated ? runs.subList(0, MAX_RUNS) : runs, truncated);
    }

    public ProjectSnapshot project(long projectId) {
        List<RunState> runs = newestRuns(jdbc.sql("SELECT id, name, experiment_id, status, attempt FROM runs"
                        + " WHERE project_id = :p ORDER BY created_at DESC, id DESC"
                        + " FETCH FIRST " + (MAX_RUNS + 1) + " ROWS ONLY")
                .param("p", projectId));
        boolean truncated = runs.size() > MAX_RUNS;
        return new ProjectSnapshot(projectId, truncated ? runs.subList(0, MAX_RUNS) : runs, truncated);
    }

    private static List<RunState> newestRuns(JdbcClient.StatementSpec query) {
        return query.query((rs, i) -> new RunState(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("experiment_id", Long.class), RunStatus.valueOf(rs.getString("status")),
                        rs.getInt("attempt")))
                .list();
    }

    public boolean experimentExists(long projectId, long experimentId) {
        return jdbc.sql("SELECT COUNT(*) FROM experiments WHERE id = :e AND project_id = :p")
                .param("e", experimentId).param("p", projectId).query(Long.class).single() > 0;
    }
}
