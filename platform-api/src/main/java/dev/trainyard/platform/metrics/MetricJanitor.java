package dev.trainyard.platform.metrics;

import dev.trainyard.platform.runs.RunDeleting;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Deletes the metric points and rollups of runs that no longer exist. metric_points has no foreign key to runs
 * (checking one per row would halve ingestion), so deleting a run leaves them behind; metric_series says which
 * runs have any. A sweep runs shortly after each run deletion commits and every
 * {@code trainyard.metrics.sweep-interval} (10 minutes) in case one was missed (a restart, a delete in SQL).
 */
@Component
public class MetricJanitor {

    private static final Logger log = LoggerFactory.getLogger(MetricJanitor.class);
    /** Points deleted per statement, so that a huge run does not hold one long transaction. */
    static final int CHUNK = 50_000;

    private final JdbcClient jdbc;
    private final Duration interval;
    private final AtomicBoolean sweepPending = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metric-janitor");
        t.setDaemon(true);
        return t;
    });

    public MetricJanitor(JdbcClient jdbc, @Value("${trainyard.metrics.sweep-interval:10m}") Duration interval) {
        this.jdbc = jdbc;
        this.interval = interval;
    }

    @PostConstruct
    void start() {
        executor.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @TransactionalEventListener
    void onRunDeleted(RunDeleting event) {
        // one sweep for the runs a transaction deletes together (a whole project's); cleared before it starts, so
        // a deletion committing during the sweep schedules the next one
        if (sweepPending.compareAndSet(false, true)) {
            executor.schedule(() -> {
                sweepPending.set(false);
                sweepQuietly();
            }, 1, TimeUnit.SECONDS);
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("metric janitor: sweep failed; the next one retries", e);
        }
    }

    /** Deletes everything metric of deleted runs; returns how many runs it cleaned up. */
    public synchronized int sweep() {
        List<Long> orphans = jdbc.sql("SELECT DISTINCT s.run_id FROM metric_series s"
                        + " WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id)")
                .query(Long.class).list();
        for (long runId : orphans) {
            List<Long> keyIds = jdbc.sql("SELECT key_id FROM metric_series WHERE run_id = :r")
                    .param("r", runId).query(Long.class).list();
            for (long keyId : keyIds) {
                deletePoints(runId, keyId);
                jdbc.sql("DELETE FROM metric_rollups WHERE run_id = :r AND key_id = :k")
                        .param("r", runId).param("k", keyId).update();
                jdbc.sql("DELETE FROM metric_series WHERE run_id = :r AND key_id = :k")
                        .param("r", runId).param("k", keyId).update();
            }
        }
        if (!orphans.isEmpty()) {
            log.info("metric janitor: deleted the metrics of {} deleted run(s)", orphans.size());
        }
        return orphans.size();
    }

    private void deletePoints(long runId, long keyId) {
        while (true) {
            // the highest step of the next CHUNK points bounds the delete, read through the primary key
            Long bound = jdbc.sql("SELECT MAX(step) FROM (SELECT step FROM metric_points"
                            + " WHERE run_id = :r AND key_id = :k ORDER BY step FETCH FIRST " + CHUNK + " ROWS ONLY) x")
                    .param("r", runId).param("k", keyId).query((rs, i) -> rs.getObject(1, Long.class)).list()
                    .getFirst();
            if (bound == null) {
                return;
            }
            jdbc.sql("DELETE FROM metric_points WHERE run_id = :r AND key_id = :k AND step <= :b")
                    .param("r", runId).param("k", keyId).param("b", bound).update();
        }
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
