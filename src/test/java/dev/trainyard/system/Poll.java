package dev.trainyard.system;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; a timeout fails with what the caller says about the state it saw. */
final class Poll {
    private Poll() {
    }

    /**
     * Calls {@code probe} every {@code interval} until it answers non-null, and returns that. Exceptions from the probe
     * (a platform that is restarting) count as "not yet". On timeout, fails with {@code what} and {@code state}.
     */
    static <T> T until(String what, Duration timeout, Duration interval, Supplier<T> probe, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                String lastError = last == null ? "" : "\nlast error: " + last;
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + lastError
                        + "\n" + state.get());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
