package dev.trainyard.platform.runs;

import dev.trainyard.platform.events.RunStatusChanged;
import dev.trainyard.platform.scheduling.Sql;
import dev.trainyard.platform.web.Times;
import java.time.Instant;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes every run of a project or an experiment, for the deletion of the project or experiment, inside the
 * caller's transaction. The runs are locked; QUEUED and RUNNING ones are cancelled first (their streams hear it and a
 * worker holding one is told to stop at its next heartbeat); then each run's {@link RunDeleting} lets features with
 * data outside the database (checkpoint artifacts) schedule its deletion, and the rows go. Parameters, tags, metric
 * summaries, attempts, logs and checkpoints follow by foreign key; metric points by the metric janitor.
 */
@Service
public class RunPurge {

    private static final int CHUNK = 1000;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    public RunPurge(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    private record Locked(long id, Long experimentId, RunStatus status, int attempt) {}

    /** Deletes the project's runs, or only those of {@code experimentId} when it is not null; returns how many. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int purge(long projectId, Long experimentId) {
        List<Locked> runs = jdbc.sql("SELECT id, experiment_id, status, attempt FROM runs WHERE project_id = :p"
                        + (experimentId == null ? "" : " AND experiment_id = :e") + " ORDER BY id FOR UPDATE")
                .param("p", projectId).param("e", experimentId == null ? -1L : experimentId)
                .query((rs, i) -> {
                    long experiment = rs.getLong("experiment_id");
                    Long e = rs.wasNull() ? null : experiment;
                    return new Locked(rs.getLong("id"), e, RunStatus.valueOf(rs.getString("status")),
                            rs.getInt("attempt"));
                })
                .list();
        Instant now = Times.now();
        for (Locked run : runs) {
            if (!run.status().isTerminal()) {
                jdbc.sql("UPDATE runs SET status = 'CANCELLED', finished_at = :now, lease_expires_at = NULL,"
                                + " worker_id = NULL, updated_at = :now, version = version + 1 WHERE id = :id")
                        .param("now", Sql.ts(now)).param("id", run.id()).update();
                events.publishEvent(new RunStatusChanged(projectId, run.experimentId(), run.id(), run.status(),
                        RunStatus.CANCELLED, run.attempt(), now));
            }
            events.publishEvent(new RunDeleting(projectId, run.id()));
        }
        List<Long> ids = runs.stream().map(Locked::id).toList();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            jdbc.sql("DELETE FROM runs WHERE id IN (:ids)")
                    .param("ids", ids.subList(from, Math.min(ids.size(), from + CHUNK))).update();
        }
        return ids.size();
    }
}
