package dev.trainyard.platform.runs;

import dev.trainyard.platform.scheduling.RunLifecycle;
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
 * caller's transaction. The runs are locked; QUEUED and RUNNING ones are cancelled first by {@link RunLifecycle}
 * (their streams hear it, a worker's devices are freed and the worker is told to stop at its next heartbeat); then
 * each run's {@link RunDeleting} lets features with data outside the database (checkpoint artifacts) schedule its
 * deletion, and the rows go. Parameters, tags, metric summaries, attempts, logs and checkpoints follow by foreign
 * key; metric points by the metric janitor.
 */
@Service
public class RunPurge {

    private static final int CHUNK = 1000;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final RunLifecycle lifecycle;

    public RunPurge(JdbcClient jdbc, ApplicationEventPublisher events, RunLifecycle lifecycle) {
        this.jdbc = jdbc;
        this.events = events;
        this.lifecycle = lifecycle;
    }

    private record Locked(long id, RunStatus status) {}

    /**
     * Deletes the project's runs, or only those of {@code experimentId} when it is not null; returns how many.
     *
     * @param by who deletes them, for the cancelled attempts' reason
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int purge(long projectId, Long experimentId, String by) {
        List<Locked> runs = jdbc.sql("SELECT id, status FROM runs WHERE project_id = :p"
                        + (experimentId == null ? "" : " AND experiment_id = :e") + " ORDER BY id FOR UPDATE")
                .param("p", projectId).param("e", experimentId == null ? -1L : experimentId)
                .query((rs, i) -> new Locked(rs.getLong("id"), RunStatus.valueOf(rs.getString("status"))))
                .list();
        Instant now = Times.now();
        for (Locked run : runs) {
            if (!run.status().isTerminal()) {
                lifecycle.cancel(run.id(), by, now);
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
