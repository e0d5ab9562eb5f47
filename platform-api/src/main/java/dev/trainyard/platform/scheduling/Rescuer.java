package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.web.Times;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes runs back from workers that stopped answering. Every {@code rescue-interval}, in every platform-api instance:
 * RUNNING runs whose lease expired are locked with {@code FOR UPDATE SKIP LOCKED} (so instances share the work
 * instead of doing it twice) and lost ({@link RunLifecycle#lose}: the attempt ends as LOST, and the retry policy
 * sends the run back to the queue behind a back-off or fails it for good). The attempt
 * number moves on with the next claim, so the silent worker's late writes are refused (fencing). Then workers not
 * heard from for {@code worker-timeout} are marked OFFLINE and what they held for finished runs is released.
 *
 * <p>A freshly started instance waits {@code startup-grace} (one lease duration) before its first scheduled pass. If every instance was down,
 * workers kept training but could not send heartbeats, so their leases expired on the database's clock; the wait lets
 * them reconnect and renew instead of losing what they did meanwhile.
 */
@Component
public class Rescuer {

    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);
    private static final int BATCH = 100;

    private final QueueRepository queue;
    private final QueueSignal signal;
    private final SchedulingProperties settings;
    private final TransactionTemplate tx;
    private final RunLifecycle lifecycle;
    private final Instant startedAt = Times.now();

    Rescuer(QueueRepository queue, QueueSignal signal, SchedulingProperties settings,
            PlatformTransactionManager transactions, RunLifecycle lifecycle) {
        this.queue = queue;
        this.signal = signal;
        this.settings = settings;
        this.tx = new TransactionTemplate(transactions);
        this.lifecycle = lifecycle;
    }

    /** One pass; returns how many runs it took back. Safe to call from several instances at once. */
    public int rescue() {
        int total = 0;
        int batch;
        do {
            Instant now = Times.now();
            batch = queue.exclusive(() -> tx.execute(status -> {
                List<RunState> expired = queue.lockExpired(now, BATCH);
                for (RunState run : expired) {
                    lifecycle.lose(run, "lease expired at " + run.leaseExpiresAt() + ": worker " + run.workerId()
                            + " sent no heartbeat for " + settings.leaseDuration().toSeconds() + " s", now);
                }
                return expired.size();
            }));
            total += batch;
        } while (batch == BATCH);
        Instant cutoff = Times.now().minus(settings.workerTimeout());
        queue.exclusive(() -> tx.execute(status -> {
            int offline = queue.markOffline(cutoff);
            int released = queue.releaseOrphans();
            if (offline > 0 || released > 0) {
                log.info("marked {} silent workers OFFLINE, released {} allocations of finished attempts", offline,
                        released);
            }
            return null;
        }));
        if (total > 0) {
            log.info("took back {} runs whose lease had expired", total);
            signal.wake(); // on H2 nothing else would tell this instance's waiters
        }
        return total;
    }

    /** The scheduled entry point: a failure is logged and the next pass tries again. */
    void rescueQuietly() {
        if (Times.now().isBefore(startedAt.plus(settings.startupGrace()))) {
            return;
        }
        try {
            rescue();
        } catch (RuntimeException e) {
            log.warn("rescuer pass failed; next pass in {}", settings.rescueInterval(), e);
        }
    }

    /** A worker deregistered: its live attempts are lost and its allocations released, in the caller's transaction. */
    public void releaseWorker(String workerId, String reason, Instant now) {
        lifecycle.releaseWorker(workerId, reason, now);
    }
}
