package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulingPropertiesTest {

    private static SchedulingProperties lease(Duration lease) {
        return new SchedulingProperties(lease, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(60), null);
    }

    @Test
    void theLeaseIsTenToThirtySecondsAndHeartbeatsComeThreeTimesPerLease() {
        assertThat(lease(Duration.ofSeconds(12)).heartbeatInterval()).isEqualTo(Duration.ofSeconds(4));
        assertThat(lease(Duration.ofSeconds(30)).heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> lease(Duration.ofSeconds(9))).hasMessageContaining("10s to 30s");
        assertThatThrownBy(() -> lease(Duration.ofSeconds(31))).hasMessageContaining("lease-duration");
    }

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        SchedulingProperties s = lease(Duration.ofSeconds(20));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.backoff(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(s.backoff(8)).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.backoff(1000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aWorkerTimeoutShorterThanALeaseIsRefused() {
        assertThatThrownBy(() -> new SchedulingProperties(Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofSeconds(10), null)).hasMessageContaining("worker-timeout");
    }

    @Test
    void aFreshInstanceWaitsOneLeaseBeforeRescuingUnlessToldOtherwise() {
        assertThat(lease(Duration.ofSeconds(12)).startupGrace()).isEqualTo(Duration.ofSeconds(12));
        SchedulingProperties none = new SchedulingProperties(Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ZERO);
        assertThat(none.startupGrace()).isZero();
        assertThatThrownBy(() -> new SchedulingProperties(Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofSeconds(-1))).hasMessageContaining("startup-grace");
    }
}
