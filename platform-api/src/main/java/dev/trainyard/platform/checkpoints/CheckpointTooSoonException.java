package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.web.ApiException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A worker's periodic checkpoint that came sooner than {@code trainyard.checkpoints.min-interval} after the run's
 * previous one: 429 with {@code Retry-After}, rendered by {@link CheckpointProblemHandler}. Nothing is stored; the
 * worker skips it and sends its run's last checkpoint with {@code final=true}, which is never refused.
 */
class CheckpointTooSoonException extends ApiException {

    private final Duration minInterval;
    private final Duration retryAfter;

    CheckpointTooSoonException(long runId, long step, Duration minInterval, Duration sincePrevious) {
        super(HttpStatus.TOO_MANY_REQUESTS, "run " + runId + " stored a checkpoint " + sincePrevious.toMillis()
                + " ms ago; periodic checkpoints of a run are at least trainyard.checkpoints.min-interval ("
                + minInterval.toMillis() / 1000.0 + " s) apart, so step " + step + " was not stored. A run's last "
                + "checkpoint (final=true) is always taken", List.of());
        this.minInterval = minInterval;
        this.retryAfter = minInterval.minus(sincePrevious);
    }

    Duration minInterval() {
        return minInterval;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
