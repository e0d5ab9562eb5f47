package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.scheduling.RetryPolicy.AttemptEnd;
import dev.trainyard.platform.scheduling.RetryPolicy.RetryDecision;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The default retry policy: the one place that decides between another attempt and failing the run. */
class AttemptsRetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private final RetryPolicy policy = new AttemptsRetryPolicy(new SchedulingProperties(Duration.ofSeconds(20),
            Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofMinutes(10), Duration.ofSeconds(60), null));

    private RetryDecision decide(int used, int max, AttemptOutcome outcome, boolean retryable) {
        return policy.decide(new AttemptEnd(7, used, used, max, outcome, retryable, "it broke", NOW));
    }

    @Test
    void aRetryableEndWithAttemptsLeftIsRequeuedBehindADoublingBackoff() {
        RetryDecision first = decide(1, 3, AttemptOutcome.LOST, true);
        assertThat(first).isEqualTo(new RetryDecision.Requeue(NOW.plusSeconds(5),
                "it broke; attempt 1 of 3, re-queued to start again after 2026-12-05T10:00:05Z"));
        assertThat(decide(2, 3, AttemptOutcome.FAILED, true))
                .isEqualTo(new RetryDecision.Requeue(NOW.plusSeconds(10),
                        "it broke; attempt 2 of 3, re-queued to start again after 2026-12-05T10:00:10Z"));
    }

    @Test
    void theLastAttemptOrANonRetryableFailureFailsTheRun() {
        assertThat(decide(3, 3, AttemptOutcome.LOST, true))
                .isEqualTo(new RetryDecision.Fail("it broke; that was attempt 3 of 3, so the run failed"));
        assertThat(decide(1, 3, AttemptOutcome.FAILED, false))
                .isEqualTo(new RetryDecision.Fail("it broke (not retryable)"));
    }
}
