package dev.trainyard.platform.observability;

import dev.trainyard.platform.events.RunEventHub;
import dev.trainyard.platform.runs.RunStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of the whole installation, read from the database: queued runs by priority and resource class, runs by
 * status, checkpoint and dataset bytes stored, workers by status and the oldest heartbeat of an active worker. A few
 * grouped counts refreshed every {@code trainyard.observability.refresh-interval} (5 s) by each instance, never per
 * scrape, so Prometheus scraping many instances often costs the database nothing more. Every instance reports the
 * same database-wide numbers: aggregate them with {@code max}, not {@code sum}.
 */
@Component
class PlatformGauges {

    private static final Logger log = LoggerFactory.getLogger(PlatformGauges.class);
    static final List<String> RESOURCE_CLASSES = List.of("cpu", "gpu");
    private static final String RESOURCE_CLASS = "CASE WHEN gpus > 0 THEN 'gpu' ELSE 'cpu' END";

    private final JdbcClient jdbc;
    private final MultiGauge queueDepth;
    private final MultiGauge runs;
    private final MultiGauge artifactBytes;
    private final MultiGauge workers;
    private volatile double oldestHeartbeatSeconds;

    PlatformGauges(JdbcClient jdbc, MeterRegistry registry, RunEventHub hub) {
        this.jdbc = jdbc;
        this.queueDepth = MultiGauge.builder("trainyard.queue.depth")
                .description("Queued runs by priority and resource class (gpu: runs that ask for GPUs)")
                .register(registry);
        this.runs = MultiGauge.builder("trainyard.runs")
                .description("Runs by status and resource class").register(registry);
        this.artifactBytes = MultiGauge.builder("trainyard.artifacts.stored").baseUnit("bytes")
                .description("Bytes of checkpoints and datasets in the artifact store").register(registry);
        this.workers = MultiGauge.builder("trainyard.workers")
                .description("Registered workers that are ACTIVE or OFFLINE").register(registry);
        Gauge.builder("trainyard.workers.heartbeat.age", () -> oldestHeartbeatSeconds).baseUnit("seconds")
                .description("How long ago the active worker heard from last was heard from").register(registry);
        Gauge.builder("trainyard.events.streams.open", hub, RunEventHub::openStreams)
                .description("Server-Sent Event streams open on this instance").register(registry);
        // the scheduler's counters, made where they count on first use: registered at start, so rate() sees a 0
        registry.counter("trainyard.scheduler.leases");
        registry.counter("trainyard.scheduler.lost", "then", "requeued");
        registry.counter("trainyard.scheduler.lost", "then", "failed");
        refresh();
    }

    /**
     * Reads the counts and sets the gauges. Synchronized: of two refreshes at once (the scheduled one and a caller's),
     * the one that read the database first could otherwise set its older counts last.
     */
    @Scheduled(initialDelayString = "${trainyard.observability.refresh-interval:5s}",
            fixedDelayString = "${trainyard.observability.refresh-interval:5s}")
    synchronized void refresh() {
        try {
            refreshRuns();
            refreshArtifacts();
            refreshWorkers();
        } catch (RuntimeException e) {
            // the gauges keep their last values; the next refresh tries again
            log.warn("cannot refresh the platform's gauges: {}", e.toString());
        }
    }

    private void refreshRuns() {
        Map<Tags, Long> byStatus = new LinkedHashMap<>();
        for (RunStatus status : RunStatus.values()) {
            for (String resourceClass : RESOURCE_CLASSES) {
                byStatus.put(Tags.of("status", status.name(), "resource_class", resourceClass), 0L);
            }
        }
        Map<Tags, Long> queued = new LinkedHashMap<>();
        jdbc.sql("SELECT status, priority, " + RESOURCE_CLASS + " AS resource_class, count(*) AS n FROM runs "
                        + "GROUP BY status, priority, " + RESOURCE_CLASS)
                .query((rs, i) -> {
                    String status = rs.getString("status");
                    String resourceClass = rs.getString("resource_class");
                    long n = rs.getLong("n");
                    byStatus.merge(Tags.of("status", status, "resource_class", resourceClass), n, Long::sum);
                    if (status.equals(RunStatus.QUEUED.name())) {
                        queued.merge(Tags.of("priority", Integer.toString(rs.getInt("priority")), "resource_class",
                                resourceClass), n, Long::sum);
                    }
                    return null;
                })
                .list();
        runs.register(rows(byStatus), true);
        queueDepth.register(rows(queued), true);
    }

    private void refreshArtifacts() {
        long checkpoints = jdbc.sql("SELECT COALESCE(SUM(size_bytes), 0) FROM checkpoints").query(Long.class).single();
        long datasets = jdbc.sql("SELECT COALESCE(SUM(size_bytes), 0) FROM datasets").query(Long.class).single();
        artifactBytes.register(rows(Map.of(Tags.of("kind", "checkpoint"), checkpoints, Tags.of("kind", "dataset"),
                datasets)), true);
    }

    private void refreshWorkers() {
        Map<Tags, Long> byStatus = new LinkedHashMap<>(Map.of(Tags.of("status", "ACTIVE"), 0L,
                Tags.of("status", "OFFLINE"), 0L));
        Instant[] oldestActive = {null};
        jdbc.sql("SELECT status, count(*) AS n, MIN(last_seen_at) AS oldest FROM workers "
                        + "WHERE status IN ('ACTIVE', 'OFFLINE') GROUP BY status")
                .query((rs, i) -> {
                    byStatus.put(Tags.of("status", rs.getString("status")), rs.getLong("n"));
                    Timestamp oldest = rs.getTimestamp("oldest");
                    if (rs.getString("status").equals("ACTIVE") && oldest != null) {
                        oldestActive[0] = oldest.toInstant();
                    }
                    return null;
                })
                .list();
        workers.register(rows(byStatus), true);
        oldestHeartbeatSeconds = oldestActive[0] == null ? 0
                : Math.max(0, Duration.between(oldestActive[0], Instant.now()).toMillis() / 1000.0);
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Long> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(values.size());
        values.forEach((tags, n) -> rows.add(MultiGauge.Row.of(tags, n)));
        return rows;
    }
}
