package dev.trainyard.platform.runs;

/**
 * Everything a submission or clone decides about a run before it is queued; {@link Run#Run(NewRun, java.time.Instant)}
 * turns it into the QUEUED row.
 *
 * @param spec the normalised spec as JSON text
 * @param clonedFrom the run this one was cloned from, or null
 * @param idempotency the submission's Idempotency-Key and request hash, or null
 */
record NewRun(long projectId, Long experimentId, String name, String spec, String notes, int priority,
        Demand demand, int maxAttempts, long createdBy, Long clonedFrom, Idempotency idempotency) {

    /** What the run needs from a worker; {@code labelsJson} is a JSON object of strings. */
    record Demand(int cpus, int gpus, int memoryMb, String labelsJson) {}

    /** The key a submission was made with and the hash of its request, to recognise a repeat. */
    record Idempotency(String key, String hash) {}
}
