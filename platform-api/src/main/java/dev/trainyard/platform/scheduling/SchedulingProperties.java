package dev.trainyard.platform.scheduling;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code trainyard.scheduling.*}.
 *
 * @param leaseDuration how long a run's lease lasts without a heartbeat, 10 to 30 s; workers are told to send
 *     heartbeats three times per lease
 * @param rescueInterval how often the rescuer looks for expired leases and silent workers
 * @param pollInterval how often a waiting long-poll tries again when nothing wakes it: without LISTEN/NOTIFY (H2,
 *     or while the listening connection is down) this is how fast it notices new runs
 * @param listenPollInterval the same while LISTEN/NOTIFY works: only a safety net, and for runs whose back-off
 *     ends
 * @param backoffBase the wait before a re-queued run can start again after its first lost or failed attempt; it
 *     doubles with each further attempt
 * @param backoffMax the longest back-off
 * @param workerTimeout a worker not heard from for this long is marked OFFLINE and what it still held for
 *     finished runs is released
 * @param startupGrace how long a freshly started instance waits before its first rescuer pass, so workers that trained
 *     on while every instance was down can renew their leases (default: one lease duration)
 */
@ConfigurationProperties("trainyard.scheduling")
public record SchedulingProperties(
        @DefaultValue("20s") Duration leaseDuration,
        @DefaultValue("2s") Duration rescueInterval,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("5s") Duration listenPollInterval,
        @DefaultValue("5s") Duration backoffBase,
        @DefaultValue("10m") Duration backoffMax,
        @DefaultValue("60s") Duration workerTimeout,
        Duration startupGrace) {

    /** The longest a lease request may wait for a run. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    public SchedulingProperties {
        if (leaseDuration.compareTo(Duration.ofSeconds(10)) < 0 || leaseDuration.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("trainyard.scheduling.lease-duration must be 10s to 30s, not "
                    + leaseDuration.toMillis() + "ms");
        }
        for (var d : new Duration[] {rescueInterval, pollInterval, listenPollInterval, backoffBase, workerTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("trainyard.scheduling durations must be positive, not " + d);
            }
        }
        if (startupGrace == null) {
            startupGrace = leaseDuration;
        } else if (startupGrace.isNegative()) {
            throw new IllegalArgumentException("trainyard.scheduling.startup-grace must not be negative, not "
                    + startupGrace);
        }
        if (workerTimeout.compareTo(leaseDuration) < 0) {
            throw new IllegalArgumentException("trainyard.scheduling.worker-timeout (" + workerTimeout
                    + ") must be at least the lease duration (" + leaseDuration + ")");
        }
    }

    public Duration heartbeatInterval() {
        return leaseDuration.dividedBy(3);
    }

    /** The back-off after the n-th attempt of a round (n >= 1): base, 2 base, 4 base, ... up to the maximum. */
    public Duration backoff(int n) {
        int doublings = Math.min(Math.max(n - 1, 0), 30);
        Duration d = backoffBase.multipliedBy(1L << doublings);
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }
}
