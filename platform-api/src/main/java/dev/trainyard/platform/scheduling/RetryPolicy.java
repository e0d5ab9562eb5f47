package dev.trainyard.platform.scheduling;

import java.time.Instant;

/**
 * Decides what happens to a run whose live attempt failed or was lost: back to the queue, or failed for good. One
 * bean of this type is injected into {@link RunLifecycle}; replace it to retry by error type, say. Modelled on
 * River's {@code makeRetryDecision}.
 */
public interface RetryPolicy {

    /**
     * An attempt that ended badly.
     *
     * @param attemptsUsed attempts of the current round (since the last retry through the API), this one included
     * @param retryable false when the worker said another attempt cannot help (a bad spec or dataset)
     * @param reason what happened, in a sentence; the decision's reason extends it
     */
    record AttemptEnd(long runId, int attempt, int attemptsUsed, int maxAttempts, AttemptOutcome outcome,
            boolean retryable, String reason, Instant at) {}

    RetryDecision decide(AttemptEnd end);

    /** What to do with the run; {@code reason} is kept on the attempt's row. */
    sealed interface RetryDecision {

        String reason();

        /** Back to the queue, claimable again from {@code notBefore}. */
        record Requeue(Instant notBefore, String reason) implements RetryDecision {}

        /** The run is FAILED. */
        record Fail(String reason) implements RetryDecision {}
    }
}
