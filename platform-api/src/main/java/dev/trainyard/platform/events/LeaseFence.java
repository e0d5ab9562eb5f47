package dev.trainyard.platform.events;

import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.workers.WorkerPrincipal;
import org.springframework.stereotype.Component;

/**
 * Fencing for what workers write about a run (metric points, log lines), by the scheduler's {@link LeaseGuard}: a
 * write that names a run attempt is accepted only while that attempt is the run's live one and held by that worker,
 * so a worker that lost its lease cannot write into its successor's attempt. The check is returned as a
 * {@link Runnable} for the writer to run inside the write's transaction, where it share-locks the run's row until
 * the write commits.
 *
 * <p>Workers write through their own endpoints ({@code /api/v1/workers/{workerId}/runs/{runId}/...}, worker token,
 * attempt in {@code X-Run-Attempt}). On the project endpoints a write may name its attempt with the same header and
 * {@code X-Worker-Id}, as checkpoint uploads do; without them (a person's script, an import) it is not fenced.
 */
@Component
public class LeaseFence {

    public static final String ATTEMPT_HEADER = "X-Run-Attempt";
    public static final String WORKER_HEADER = "X-Worker-Id";

    private final LeaseGuard guard;

    public LeaseFence(LeaseGuard guard) {
        this.guard = guard;
    }

    /** The check for a write on a project endpoint, or null when it names no attempt. */
    public Runnable forHeaders(long runId, Integer attempt, String workerId) {
        if (attempt == null && workerId == null) {
            return null;
        }
        if (attempt == null || workerId == null) {
            String missing = attempt == null ? ATTEMPT_HEADER : WORKER_HEADER;
            throw ApiException.badRequest(FieldProblem.atParameter(missing, "a worker's write names both "
                    + ATTEMPT_HEADER + " and " + WORKER_HEADER + "; this one lacks " + missing, null));
        }
        return () -> guard.check(runId, workerId, attempt);
    }

    /** The check for a write on a worker endpoint: the token must own the worker, and the worker hold the attempt. */
    public Runnable forWorker(WorkerPrincipal principal, String workerId, long runId, int attempt) {
        return () -> guard.check(principal, workerId, runId, attempt);
    }
}
