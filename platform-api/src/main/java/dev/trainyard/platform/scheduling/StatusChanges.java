package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.events.RunStatusChanged;
import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.scheduling.QueueRepository.Claimed;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link RunStatusChanged} for the scheduler's transitions (claims, workers' reports, the rescuer's and a
 * deregistration's re-queues and failures), inside the transaction that makes them, so the event streams hear them
 * once it commits.
 */
@Component
class StatusChanges {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    StatusChanges(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** QUEUED to RUNNING at the claim's attempt. */
    void claimed(Claimed c, Instant at) {
        events.publishEvent(new RunStatusChanged(c.projectId(), c.experimentId(), c.runId(), RunStatus.QUEUED,
                RunStatus.RUNNING, c.attempt(), at));
    }

    /** A RUNNING run's attempt ended: the run is now {@code to} (a final status, or QUEUED again). */
    void ended(long runId, int attempt, RunStatus to, Instant at) {
        jdbc.sql("SELECT project_id, experiment_id FROM runs WHERE id = ?").param(runId).query((rs, row) -> {
            long experiment = rs.getLong("experiment_id");
            return new RunStatusChanged(rs.getLong("project_id"), rs.wasNull() ? null : experiment, runId,
                    RunStatus.RUNNING, to, attempt, at);
        }).optional().ifPresent(events::publishEvent);
    }
}
