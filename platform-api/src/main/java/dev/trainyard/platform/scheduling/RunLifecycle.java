package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.events.RunStatusChanged;
import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.scheduling.RetryPolicy.AttemptEnd;
import dev.trainyard.platform.scheduling.RetryPolicy.RetryDecision;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunAttempt;
import dev.trainyard.platform.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Every move of a run from one status to another, in one place: submit, claim, renew, finish, fail or lose (then
 * requeue or fail, as the {@link RetryPolicy} decides), cancel and retry.
 *
 * <pre>
 *   (submit) → QUEUED ─claim→ RUNNING ─finish→ SUCCEEDED | CANCELLED (by the worker)
 *                ↑  │            │  └──fail / lose──→ requeue (QUEUED, not before the back-off) | FAILED
 *                │  └─cancel→ CANCELLED ←─cancel────┘
 *                └──────retry── FAILED | CANCELLED
 * </pre>
 *
 * Each transition changes the run's row (bumping runs.version), closes the attempt's run_attempts row with a typed
 * {@link AttemptOutcome}, releases the worker's allocation when the attempt ends (whatever ends it: a cancel
 * through the API frees the devices at once, the worker need not acknowledge), and publishes
 * {@link RunStatusChanged}. Every method runs inside the caller's transaction, with the run's row locked where it
 * reads the run first, so the event streams hear the change once it commits.
 */
@Component
public class RunLifecycle {

    private final QueueRepository queue;
    private final RetryPolicy retryPolicy;
    private final ApplicationEventPublisher events;
    private final QueueSignal signal;
    private final MeterRegistry meters;

    RunLifecycle(QueueRepository queue, RetryPolicy retryPolicy, ApplicationEventPublisher events,
            QueueSignal signal, MeterRegistry meters) {
        this.queue = queue;
        this.retryPolicy = retryPolicy;
        this.events = events;
        this.signal = signal;
        this.meters = meters;
    }

    /** A run was inserted as QUEUED (by {@code RunService}, through JPA). */
    public void submitted(long projectId, Long experimentId, long runId, Instant at) {
        events.publishEvent(new RunStatusChanged(projectId, experimentId, runId, null, RunStatus.QUEUED, 0, at));
    }

    /** QUEUED to RUNNING: the claim's single statement already wrote the attempt row and the allocation. */
    void claimed(Claimed c, Instant at) {
        events.publishEvent(new RunStatusChanged(c.projectId(), c.experimentId(), c.runId(), RunStatus.QUEUED,
                RunStatus.RUNNING, c.attempt(), at));
    }

    /** Pushes the lease of a live attempt held by {@code workerId}; false if it is not live any more. */
    boolean renew(RunAttempt attempt, String workerId, Instant leaseExpiresAt) {
        return queue.renew(attempt.runId(), attempt.attempt(), workerId, leaseExpiresAt);
    }

    /** The live attempt of {@code run} ended as the worker reported: SUCCEEDED, or CANCELLED on its own. */
    void finish(RunState run, AttemptOutcome outcome, String reason, Instant now) {
        RunStatus to = switch (outcome) {
            case SUCCEEDED -> RunStatus.SUCCEEDED;
            case CANCELLED -> RunStatus.CANCELLED;
            case FAILED, LOST -> throw new IllegalArgumentException(outcome + " goes through fail or lose");
        };
        if (queue.finish(run.id(), run.attempt(), to, now)) {
            published(run, RunStatus.RUNNING, to, now);
        }
        end(run, outcome, reason, now);
    }

    /**
     * The live attempt of {@code run} failed (the worker said so, {@code retryable} or not): the retry policy
     * decides whether the run is re-queued or FAILED.
     */
    RetryDecision fail(RunState run, boolean retryable, String reason, Instant now) {
        return endBadly(run, AttemptOutcome.FAILED, retryable, reason, now);
    }

    /** The live attempt of {@code run} was lost (its lease expired, its worker went away); as {@link #fail}. */
    RetryDecision lose(RunState run, String reason, Instant now) {
        RetryDecision decision = endBadly(run, AttemptOutcome.LOST, true, reason, now);
        meters.counter("trainyard.scheduler.lost", "then",
                decision instanceof RetryDecision.Requeue ? "requeued" : "failed").increment();
        return decision;
    }

    private RetryDecision endBadly(RunState run, AttemptOutcome outcome, boolean retryable, String reason,
            Instant now) {
        RetryDecision decision = retryPolicy.decide(new AttemptEnd(run.id(), run.attempt(), run.attemptsUsed(),
                run.maxAttempts(), outcome, retryable, reason, now));
        switch (decision) {
            case RetryDecision.Requeue r -> {
                if (queue.requeue(run.id(), run.attempt(), r.notBefore(), now)) {
                    published(run, RunStatus.RUNNING, RunStatus.QUEUED, now);
                }
                QueueSignal.wakeAfterCommit(signal);
            }
            case RetryDecision.Fail f -> {
                if (queue.finish(run.id(), run.attempt(), RunStatus.FAILED, now)) {
                    published(run, RunStatus.RUNNING, RunStatus.FAILED, now);
                }
            }
        }
        end(run, outcome, decision.reason(), now);
        return decision;
    }

    private void end(RunState run, AttemptOutcome outcome, String reason, Instant now) {
        queue.endAttempt(run.id(), run.attempt(), outcome, reason, now);
        release(new RunAttempt(run.id(), run.attempt()));
    }

    /** Frees what an attempt held on its worker (the worker reported it ended, even if the report was refused). */
    void release(RunAttempt attempt) {
        queue.release(attempt.runId(), attempt.attempt());
        QueueSignal.wakeAfterCommit(signal);
    }

    /**
     * Cancels a QUEUED or RUNNING run (409 for one that has ended). A running attempt ends as CANCELLED and its
     * allocation is released at once: the worker hears of the cancel on its next heartbeat or write and stops, but
     * its devices do not wait for its acknowledgement, which a worker still setting the run up may never send.
     *
     * @param by who cancelled, for the attempt's reason
     */
    public void cancel(long runId, String by, Instant now) {
        RunState run = queue.lock(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
        if (run.status().isTerminal()) {
            throw ApiException.conflict("run " + runId + " is already " + run.status() + "; only QUEUED or RUNNING"
                    + " runs can be cancelled");
        }
        queue.cancel(runId, now);
        published(run, run.status(), RunStatus.CANCELLED, now);
        if (run.status() == RunStatus.RUNNING) {
            end(run, AttemptOutcome.CANCELLED, "cancelled by " + by, now);
        }
    }

    /** Puts a FAILED or CANCELLED run back in the queue as a new round of attempts (409 for any other). */
    public void retry(long runId, Instant now) {
        RunState run = queue.lock(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
        if (run.status() != RunStatus.FAILED && run.status() != RunStatus.CANCELLED) {
            throw ApiException.conflict("run " + runId + " is " + run.status() + "; only FAILED or CANCELLED runs"
                    + " can be retried (clone a SUCCEEDED one)");
        }
        queue.retry(runId, now);
        published(run, run.status(), RunStatus.QUEUED, now);
        QueueSignal.wakeAfterCommit(signal);
    }

    /**
     * Takes back what a worker held (deregistration): its live attempts are lost, so their runs are re-queued or
     * failed, and all its allocations are released.
     */
    public void releaseWorker(String workerId, String reason, Instant now) {
        for (RunAttempt held : queue.allocatedAttempts(workerId)) {
            queue.lock(held.runId())
                    .filter(r -> r.status() == RunStatus.RUNNING && r.attempt() == held.attempt())
                    .ifPresent(r -> lose(r, reason, now));
        }
        queue.releaseAll(workerId);
        QueueSignal.wakeAfterCommit(signal);
    }

    private void published(RunState run, RunStatus from, RunStatus to, Instant at) {
        events.publishEvent(new RunStatusChanged(run.projectId(), run.experimentId(), run.id(), from, to,
                run.attempt(), at));
    }
}
