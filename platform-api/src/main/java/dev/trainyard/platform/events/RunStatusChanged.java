package dev.trainyard.platform.events;

import dev.trainyard.platform.runs.RunStatus;
import java.time.Instant;

/**
 * A run's status changed. Whatever changes a status publishes this with Spring's {@code ApplicationEventPublisher}:
 * {@code RunService} for submissions, cancels and retries, the scheduler for claims, completions and rescues.
 *
 * <p>Publish it inside the transaction that makes the change. The streams ({@link RunEventHub}) listen with
 * {@code @TransactionalEventListener}, so they hear it once that transaction commits (and not at all if it rolls
 * back); published outside a transaction, it is delivered at once.
 *
 * @param experimentId the run's experiment, or null; streams of that experiment receive the event too
 * @param from the status before, or null for a run that was just submitted
 * @param to the status now
 * @param attempt the run's attempt number after the change (0 until it is first claimed)
 * @param at when the change happened
 */
public record RunStatusChanged(long projectId, Long experimentId, long runId, RunStatus from, RunStatus to,
        int attempt, Instant at) {}
