package dev.trainyard.worker.agent;

import dev.trainyard.worker.client.ClientRecords.LogLine;
import dev.trainyard.worker.client.ClientRecords.MetricPoint;
import dev.trainyard.worker.client.PlatformClient;
import dev.trainyard.worker.client.PlatformException;
import dev.trainyard.worker.client.Retry;
import dev.trainyard.worker.client.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What one run attempt reports, in the order the trainer produced it: metric points, log lines and checkpoints go
 * into one lock-free queue and a sender thread sends them. Adding neither blocks nor wakes the sender: it drains the
 * queue every flush interval (or as soon as {@value #MAX_POINTS} points are waiting), so a step that reports metrics
 * costs the training thread a few allocations and a queue insert. Points and lines are batched (up to
 * {@value #MAX_POINTS} points a request); a checkpoint is uploaded only once everything queued before it was
 * accepted, so a run resumed from it elsewhere misses no step.
 *
 * <p>Connection failures and 5xx are retried with back-off until the attempt is abandoned or the deadline passes. A
 * 409 means the lease is lost: the outbox drops everything pending and tells its owner ({@code onLeaseLost}).
 *
 * <p>The queue is unbounded: a point is ~100 bytes, so even a platform unreachable for an hour of step-by-step
 * logging holds a few tens of MB.
 */
final class RunOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(RunOutbox.class);
    static final int MAX_POINTS = 10_000;
    static final int MAX_LINES = 5_000;

    private sealed interface Item {
    }

    private record Points(List<MetricPoint> points) implements Item {
    }

    private record Line(LogLine line) implements Item {
    }

    private record Checkpoint(long step, int epoch, Path file, Map<String, Double> metrics) implements Item {
    }

    private record End() implements Item {
    }

    private final PlatformClient client;
    private final String workerId;
    private final long runId;
    private final int attempt;
    private final Duration flushInterval;
    private final Retry retry;
    private final Runnable onLeaseLost;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    /** Points queued since the sender last drained; it is woken early when they fill a request. */
    private final AtomicInteger queuedPoints = new AtomicInteger();
    private final Thread sender;
    private volatile boolean abandoned;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean delivered;

    RunOutbox(PlatformClient client, String workerId, long runId, int attempt, Duration flushInterval, Retry retry,
              Runnable onLeaseLost) {
        this.client = client;
        this.workerId = workerId;
        this.runId = runId;
        this.attempt = attempt;
        this.flushInterval = flushInterval;
        this.retry = retry;
        this.onLeaseLost = onLeaseLost;
        this.sender = Thread.ofPlatform().name("run-" + runId + "-sender").daemon().unstarted(this::send);
    }

    void start() {
        sender.start();
    }

    void metrics(List<MetricPoint> points) {
        if (!abandoned) {
            queue.add(new Points(points));
            if (queuedPoints.addAndGet(points.size()) >= MAX_POINTS) {
                LockSupport.unpark(sender);
            }
        }
    }

    void log(LogLine line) {
        if (!abandoned) {
            queue.add(new Line(line));
        }
    }

    /** Queues a checkpoint upload; the outbox owns {@code file} from now on and deletes it once sent or dropped. */
    void checkpoint(long step, int epoch, Path file, Map<String, Double> metrics) {
        if (abandoned) {
            deleteQuietly(file);
        } else {
            queue.add(new Checkpoint(step, epoch, file, metrics));
        }
    }

    boolean isAbandoned() {
        return abandoned;
    }

    /**
     * Sends everything queued so far and stops, waiting at most until {@code deadlineNanos} (System.nanoTime);
     * returns whether all of it was accepted.
     */
    boolean finish(long deadlineNanos) throws InterruptedException {
        this.deadlineNanos = deadlineNanos;
        queue.add(new End());
        LockSupport.unpark(sender);
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
            sender.join(Duration.ofNanos(wait));
        }
        if (sender.isAlive()) {
            abandon();
            sender.join(Duration.ofSeconds(2));
        }
        return delivered && !abandoned;
    }

    /** Drops everything pending (the lease is lost or the run was cancelled) and stops the sender. */
    void abandon() {
        abandoned = true;
        sender.interrupt();
    }

    private boolean givingUp() {
        return abandoned || System.nanoTime() > deadlineNanos;
    }

    private void send() {
        List<MetricPoint> points = new ArrayList<>();
        List<LogLine> lines = new ArrayList<>();
        try {
            while (!abandoned) {
                queuedPoints.set(0);
                for (Item item; (item = queue.poll()) != null; ) {
                    if (handle(item, points, lines)) {
                        return;
                    }
                }
                flush(points, lines);
                LockSupport.parkNanos(this, flushInterval.toNanos());
            }
        } catch (InterruptedException | Retry.GaveUpException e) {
            LOG.debug("run {} attempt {}: sender stopped: {}", runId, attempt, e.toString());
        } catch (PlatformException e) {
            if (e.isConflict()) {
                LOG.warn("run {} attempt {}: the platform refused a write with 409 (the lease is lost): {}", runId, attempt,
                        e.getMessage());
                abandoned = true;
                onLeaseLost.run();
            } else {
                LOG.error("run {} attempt {}: the platform refused a write; dropping this run's remaining output: {}", runId,
                        attempt, e.getMessage());
                abandoned = true;
            }
        } catch (RuntimeException e) {
            LOG.error("run {} attempt {}: sender failed", runId, attempt, e);
            abandoned = true;
        } finally {
            for (Item left : queue) {
                if (left instanceof Checkpoint c) {
                    deleteQuietly(c.file());
                }
            }
            queue.clear();
        }
    }

    /** Handles one queued item; true once the end was reached and everything sent. */
    private boolean handle(Item item, List<MetricPoint> points, List<LogLine> lines) throws InterruptedException {
        switch (item) {
            case Points p -> {
                points.addAll(p.points());
                if (points.size() >= MAX_POINTS) {
                    flush(points, lines);
                }
            }
            case Line l -> {
                lines.add(l.line());
                if (lines.size() >= MAX_LINES) {
                    flush(points, lines);
                }
            }
            case Checkpoint c -> {
                flush(points, lines);
                upload(c);
            }
            case End e -> {
                flush(points, lines);
                delivered = !abandoned;
                return true;
            }
        }
        return false;
    }

    private void flush(List<MetricPoint> points, List<LogLine> lines) throws InterruptedException {
        for (int from = 0; from < points.size(); from += MAX_POINTS) {
            List<MetricPoint> batch = points.subList(from, Math.min(points.size(), from + MAX_POINTS));
            retry.run("sending " + batch.size() + " metric points of run " + runId, this::givingUp, () -> {
                client.metrics(workerId, runId, attempt, batch);
                return null;
            });
        }
        points.clear();
        if (!lines.isEmpty()) {
            retry.run("sending " + lines.size() + " log lines of run " + runId, this::givingUp, () -> {
                client.logs(workerId, runId, attempt, lines);
                return null;
            });
            lines.clear();
        }
    }

    private void upload(Checkpoint c) throws InterruptedException {
        try {
            String sha256 = Sha256.of(c.file());
            retry.run("uploading checkpoint step " + c.step() + " of run " + runId, this::givingUp, () -> {
                client.uploadCheckpoint(workerId, runId, attempt, c.file(), c.step(), c.epoch(), c.metrics(), sha256);
                return null;
            });
            LOG.info("run {} attempt {}: uploaded checkpoint step {} (sha256 {})", runId, attempt, c.step(), sha256);
        } catch (IOException e) {
            LOG.error("run {} attempt {}: cannot read checkpoint {}: {}", runId, attempt, c.file(), e.toString());
        } finally {
            deleteQuietly(c.file());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.toString());
        }
    }
}
