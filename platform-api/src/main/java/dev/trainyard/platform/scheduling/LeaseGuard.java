package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.workers.WorkerPrincipal;
import dev.trainyard.platform.workers.WorkerService;
import org.springframework.stereotype.Component;

/**
 * Fencing for every write a worker makes about a run (status reports, and metrics, logs and checkpoints): the write
 * carries the attempt number its lease gave it, and is refused with 409 problem+json unless that attempt is still
 * the run's live attempt (RUNNING) and held by this worker. Once the rescuer has re-queued a run, or it was
 * cancelled or finished, a worker that lost its lease can no longer write anything about it.
 *
 * <p>Call it in the same transaction as the write: on PostgreSQL it share-locks the run's row until commit, so the
 * lease cannot move between the check and the write.
 *
 * <pre>{@code
 * tx.executeWithoutResult(s -> {
 *     leaseGuard.check(principal, workerId, runId, attempt);   // 404/410 for the worker, 409 for the lease
 *     metrics.insert(runId, attempt, points);
 * });
 * }</pre>
 *
 * <p>Workers write through their own endpoints ({@code /api/v1/workers/{workerId}/runs/{runId}/...}, worker token,
 * attempt in {@code X-Run-Attempt}). On the project endpoints a write may name its attempt with the same header and
 * {@code X-Worker-Id}, as checkpoint uploads do; without them (a person's script, an import) it is not fenced.
 * {@link #forHeaders} and {@link #forWorker} hand the check to a writer as a {@link Runnable} to run inside the
 * write's transaction.
 */
@Component
public class LeaseGuard {

    public static final String ATTEMPT_HEADER = "X-Run-Attempt";
    public static final String WORKER_HEADER = "X-Worker-Id";

    private final QueueRepository queue;
    private final WorkerService workers;

    public LeaseGuard(QueueRepository queue, WorkerService workers) {
        this.queue = queue;
        this.workers = workers;
    }

    /** 404 if the run does not exist; 409 unless {@code workerId} holds {@code attempt}, the run's live attempt. */
    public void check(long runId, String workerId, int attempt) {
        RunState run = queue.shareLock(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
        if (!Fencing.live(run, workerId, attempt)) {
            throw ApiException.conflict(Fencing.refused(workerId, runId, attempt, run));
        }
    }

    /**
     * The same, after checking that the calling worker token registered {@code workerId} (404 otherwise, 410 for
     * a deregistered worker): what a worker endpoint under /api/v1/workers/{workerId}/runs/{runId}/... needs.
     */
    public void check(WorkerPrincipal principal, String workerId, long runId, int attempt) {
        workers.requireOwned(principal, workerId);
        check(runId, workerId, attempt);
    }

    /** The check for a write on a project endpoint, or null when it names no attempt (400 when it names half). */
    public Runnable forHeaders(long runId, Integer attempt, String workerId) {
        if (attempt == null && workerId == null) {
            return null;
        }
        if (attempt == null || workerId == null) {
            String missing = attempt == null ? ATTEMPT_HEADER : WORKER_HEADER;
            throw ApiException.badRequest(FieldProblem.atParameter(missing, "a worker's write names both "
                    + ATTEMPT_HEADER + " and " + WORKER_HEADER + "; this one lacks " + missing, null));
        }
        return () -> check(runId, workerId, attempt);
    }

    /** The check for a write on a worker endpoint: the token must own the worker, and the worker hold the attempt. */
    public Runnable forWorker(WorkerPrincipal principal, String workerId, long runId, int attempt) {
        return () -> check(principal, workerId, runId, attempt);
    }
}
