package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.scheduling.QueueRepository.RunState;
import dev.trainyard.platform.web.Times;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
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
 * instead of doing it twice), their attempt ends as LOST, and they go back to the queue behind an exponential
 * back-off ({@code not_before}), or fail for good once the round's attempts reach {@code max_attempts}. The attempt
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
    private final MeterRegistry meters;
    private final StatusChanges statusChanges;
    private final Instant startedAt = Times.now();

    Rescuer(QueueRepository queue, QueueSignal signal, SchedulingProperties settings,
            PlatformTransactionManager transactions, MeterRegistry meters, StatusChanges statusChanges) {
        this.statusChanges = statusChanges;
        this.queue = queue;
        this.signal = signal;
        this.settings = settings;
        this.tx = new TransactionTemplate(transactions);
        this.meters = meters;
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
                    lose(run, "lease expired at " + run.leaseExpiresAt() + ": worker " + run.workerId()
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

    /**
     * Takes back what a worker held, inside the caller's transaction (deregistration): its live attempts are lost
     * and their runs re-queued (or failed), its allocations released.
     */
    public void releaseWorker(String workerId, String reason, Instant now) {
        for (long[] held : queue.allocatedAttempts(workerId)) {
            long runId = held[0];
            int attempt = (int) held[1];
            queue.lock(runId).filter(r -> r.status() == RunStatus.RUNNING && r.attempt() == attempt)
                    .ifPresent(r -> lose(r, reason, now));
        }
        queue.releaseAll(workerId);
        QueueSignal.wakeAfterCommit(signal);
    }

    /** Ends a live attempt as LOST and re-queues the run with back-off, or fails it when no attempts are left. */
    void lose(RunState run, String reason, Instant now) {
        int used = run.attempt() - run.attemptBase();
        if (used >= run.maxAttempts()) {
            if (queue.finish(run.id(), run.attempt(), RunStatus.FAILED, now)) {
                statusChanges.ended(run.id(), run.attempt(), RunStatus.FAILED, now);
            }
            queue.endAttempt(run.id(), run.attempt(), "LOST", reason + "; that was attempt " + used + " of "
                    + run.maxAttempts() + ", so the run failed", now);
            meters.counter("trainyard.scheduler.lost", "then", "failed").increment();
        } else {
            Duration backoff = settings.backoff(used);
            Instant notBefore = now.plus(backoff);
            if (queue.requeue(run.id(), run.attempt(), notBefore, now)) {
                statusChanges.ended(run.id(), run.attempt(), RunStatus.QUEUED, now);
            }
            queue.endAttempt(run.id(), run.attempt(), "LOST", reason + "; attempt " + used + " of "
                    + run.maxAttempts() + ", re-queued to start again after " + notBefore, now);
            meters.counter("trainyard.scheduler.lost", "then", "requeued").increment();
        }
        queue.release(run.id(), run.attempt());
    }
}
