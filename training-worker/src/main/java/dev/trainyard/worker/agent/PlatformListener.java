package dev.trainyard.worker.agent;

import dev.trainyard.worker.client.ClientRecords.LogLine;
import dev.trainyard.worker.client.ClientRecords.MetricPoint;
import dev.trainyard.worker.training.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams what a trainer reports to the platform through the run's {@link RunOutbox}: it only queues, and blocks the
 * training thread only while the outbox is full (the platform is unreachable or slower than training), until the
 * platform accepts again or the run stops. Log lines also go to the worker's own log with the run id. With each {@code train/loss} report
 * (the logging cadence), at most once a second, it adds the process's CPU and memory use.
 */
final class PlatformListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformListener.class);
    private static final long SYSTEM_SAMPLE_NANOS = 1_000_000_000L;

    private final long runId;
    private final int attempt;
    private final RunOutbox outbox;
    private final Path uploadDir;
    private final ProcessUsage usage = new ProcessUsage();
    private long nextSeq = 1;
    private long nextSystemSample;

    PlatformListener(long runId, int attempt, RunOutbox outbox, Path uploadDir) throws IOException {
        this.runId = runId;
        this.attempt = attempt;
        this.outbox = outbox;
        this.uploadDir = Files.createDirectories(uploadDir);
    }

    @Override
    public void onMetrics(long step, int epoch, Map<String, Double> metrics) {
        long now = System.currentTimeMillis() * 1000;
        List<MetricPoint> points = new ArrayList<>(metrics.size() + 2);
        metrics.forEach((k, v) -> points.add(new MetricPoint(k, step, v, now)));
        long nanos = System.nanoTime();
        if (metrics.containsKey("train/loss") && nanos - nextSystemSample >= 0) {
            nextSystemSample = nanos + SYSTEM_SAMPLE_NANOS;
            points.add(new MetricPoint("system/cpu_percent", step, usage.cpuPercent(), now));
            points.add(new MetricPoint("system/memory_mb", step, usage.memoryMb(), now));
        }
        outbox.metrics(points);
    }

    @Override
    public void onStep(int samples) {
        TrainingMeters.STEPS.increment();
        TrainingMeters.SAMPLES.increment(samples);
    }

    @Override
    public void onCheckpoint(long step, int epoch, Path file, Map<String, Double> metrics) {
        // the trainer deletes old checkpoints under its retention policy: upload our own link to the file
        Path link = uploadDir.resolve(file.getFileName());
        try {
            Files.deleteIfExists(link);
            try {
                Files.createLink(link, file);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(file, link, StandardCopyOption.REPLACE_EXISTING);
            }
            outbox.checkpoint(step, epoch, link, Map.copyOf(metrics));
        } catch (IOException e) {
            LOG.error("run {} attempt {}: cannot keep checkpoint {} for upload: {}", runId, attempt, file, e.toString());
        }
    }

    @Override
    public void onLog(String line) {
        LOG.info("run {} attempt {}: {}", runId, attempt, line);
        long seq;
        synchronized (this) {
            seq = nextSeq++;
        }
        outbox.log(new LogLine(seq, System.currentTimeMillis(), "stdout", line.length() > 16_384 ? line.substring(0, 16_384) : line));
    }
}
