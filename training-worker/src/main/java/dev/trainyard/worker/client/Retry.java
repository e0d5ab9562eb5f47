package dev.trainyard.worker.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Retries a platform call on connection failures and transient answers (5xx, 408, 429) with exponential back-off and
 * full jitter, until it succeeds, fails for good (another 4xx) or the caller gives up ({@code giveUp}, checked before
 * every attempt and while waiting).
 */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    /** A call that may fail with an I/O error or a {@link PlatformException}. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    /** Thrown when the caller gave up before the call succeeded. */
    public static final class GaveUpException extends RuntimeException {
        GaveUpException(String what, Exception last) {
            super("gave up on " + what + (last == null ? "" : " after: " + describe(last)), last);
        }
    }

    private final Duration initial;
    private final Duration max;

    public Retry(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    public static Retry standard() {
        return new Retry(Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public <T> T run(String what, BooleanSupplier giveUp, Call<T> call) throws InterruptedException {
        long ceiling = initial.toMillis();
        Exception last = null;
        for (int attempt = 1; ; attempt++) {
            if (giveUp.getAsBoolean()) {
                throw new GaveUpException(what, last);
            }
            try {
                return call.call();
            } catch (IOException e) {
                last = e;
            } catch (PlatformException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                last = e;
            }
            long sleep = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.warn("{} failed (attempt {}), retrying in {} ms: {}", what, attempt, sleep, describe(last));
            }
            long until = System.nanoTime() + sleep * 1_000_000;
            while (System.nanoTime() < until) {
                if (giveUp.getAsBoolean()) {
                    throw new GaveUpException(what, last);
                }
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
            ceiling = Math.min(max.toMillis(), ceiling * 2);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
