package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the queue does differently on its two databases, as {@code metrics/} has two writers: PostgreSQL claims in
 * one River-style statement ({@link PostgresQueueDialect}), H2 (standalone, one process) in portable SQL behind a
 * lock ({@link PortableQueueDialect}). Everything else in {@link QueueRepository} is the same SQL on both.
 */
sealed interface QueueDialect permits PostgresQueueDialect, PortableQueueDialect {

    /**
     * Claims the first run in queue order (priority, then submission) that fits the worker's free resources and
     * labels, skipping {@code excluded} projects (never empty), and writes its attempt row and allocation; null if
     * there is none. Runs inside the caller's transaction.
     *
     * @param labelsMatch tells whether a run's labels (JSON) are all among the worker's, for a dialect that cannot
     *     match them in SQL
     */
    Claimed claim(String workerId, Capacity free, String workerLabelsJson, Predicate<String> labelsMatch,
            Collection<Long> excluded, Instant now, Instant leaseExpiresAt);

    /** Whether {@link #claim} matches labels in SQL (then {@code labelsMatch} may be null). */
    boolean matchesLabelsInSql();

    /** The suffix of a fencing read that share-locks the run's row until commit, where the database has one. */
    String shareLockClause();

    /** Runs {@code work} (a whole transaction) so that claims and rescues are safe under concurrency. */
    <T> T exclusive(Supplier<T> work);
}
