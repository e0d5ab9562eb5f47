package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.scheduling.RetryPolicy.RetryDecision.Fail;
import dev.trainyard.platform.scheduling.RetryPolicy.RetryDecision.Requeue;
import java.time.Instant;

/**
 * The default {@link RetryPolicy}: a failure the worker calls not retryable fails the run; otherwise the run goes
 * back to the queue behind an exponential back-off ({@code backoff-base}, doubling up to {@code backoff-max}) until
 * the round has used {@code maxAttempts} attempts.
 */
public final class AttemptsRetryPolicy implements RetryPolicy {

    private final SchedulingProperties settings;

    public AttemptsRetryPolicy(SchedulingProperties settings) {
        this.settings = settings;
    }

    @Override
    public RetryDecision decide(AttemptEnd end) {
        if (!end.retryable()) {
            return new Fail(end.reason() + " (not retryable)");
        }
        if (end.attemptsUsed() >= end.maxAttempts()) {
            return new Fail(end.reason() + "; that was attempt " + end.attemptsUsed() + " of " + end.maxAttempts()
                    + ", so the run failed");
        }
        Instant notBefore = end.at().plus(settings.backoff(end.attemptsUsed()));
        return new Requeue(notBefore, end.reason() + "; attempt " + end.attemptsUsed() + " of " + end.maxAttempts()
                + ", re-queued to start again after " + notBefore);
    }
}
