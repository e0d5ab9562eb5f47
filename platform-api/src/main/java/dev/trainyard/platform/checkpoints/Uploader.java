package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.workers.WorkerPrincipal;

/**
 * Who uploads a checkpoint, which decides what is checked before the bytes are read and again, under the run's
 * lock, before the checkpoint is recorded:
 * <ul>
 *   <li>a {@link Person} (a user token, {@code POST /api/v1/projects/{p}/runs/{r}/checkpoints}) needs the editor
 *       role in the run's project; a script writing for a worker adds {@code X-Worker-Id} and {@code X-Run-Attempt}
 *       (both or neither, as for metrics and logs), and is then fenced like a worker ({@link Fence});
 *   <li>a {@link Worker} (a worker token, {@code POST /api/v1/workers/{w}/runs/{r}/checkpoints} with
 *       {@code X-Run-Attempt}) needs the run's lease: the scheduler's {@code LeaseGuard} refuses (409) unless the run
 *       is RUNNING at exactly this attempt on this worker, and the worker was registered with this token, so a worker
 *       whose lease was taken away cannot write into its successor's checkpoints.
 * </ul>
 */
sealed interface Uploader {

    /** Whether the upload is for a worker's attempt (the checkpoint interval guard applies). */
    default boolean fenced() {
        return !(this instanceof Person person) || person.fence() != null;
    }

    /** @param fence the worker attempt the upload is for, or null for an unfenced upload */
    record Person(Caller caller, long projectId, Fence fence) implements Uploader {}

    /** A write for this worker's attempt: refused (409) unless the attempt is the run's live one on that worker. */
    record Fence(String workerId, int attempt) {}

    record Worker(WorkerPrincipal principal, String workerId, int attempt) implements Uploader {}
}
