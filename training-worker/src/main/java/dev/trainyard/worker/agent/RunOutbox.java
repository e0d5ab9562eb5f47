package dev.trainyard.worker.agent;

import dev.trainyard.worker.client.ClientRecords.LogLine;
import dev.trainyard.worker.client.ClientRecords.MetricPoint;
import dev.trainyard.worker.client.PlatformClient;
import dev.trainyard.worker.client.PlatformException;
import dev.trainyard.worker.client.Retry;
import dev.trainyard.worker.client.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What one run attempt reports, in the order the trainer produced it: metric points, log lines and checkpoints go
 * into one lock-free queue and a sender thread sends them. Adding does not wake the sender: it drains the queue every
 * flush interval (or as soon as {@value #MAX_POINTS} points are waiting), so a step that reports metrics costs the
 * training thread a few allocations, a compare-and-set and a queue insert. Points and lines are batched (up to
 * {@value #MAX_POINTS} points a request); a checkpoint is uploaded only once everything queued before it was
 * accepted, so a run resumed from it elsewhere misses no step.
 *
 * <p>Connection failures and 5xx are retried with back-off until the attempt is abandoned or the deadline passes. A
 * 409 means the lease is lost: the outbox drops everything pending and tells its owner ({@code onLeaseLost}). A
 * checkpoint the platform refuses with 429 came sooner than its minimum interval after the run's previous one: it is
 * skipped with a log line and kept until a later checkpoint is stored; if none is by the end, it is sent then as the
 * run's final checkpoint, which the platform always takes.
 *
 * <p>At most {@code maxItems} points and lines wait for the platform (a point holds ~80 bytes of heap). When adding
 * would pass that, the adding thread (the trainer's) waits, so training pauses rather than drop anything or run out of
 * memory, and continues once the platform accepted half of them. Checkpoints are files on disk and never wait. Once
 * the run is stopping ({@link #stopBlocking}: cancelled, preempted, lease lost) nothing waits any more, so the trainer
 * reaches the step boundary where it stops; it adds at most a step's worth past the bound by then.
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
    private final int maxItems;
    private final Retry retry;
    private final Runnable onLeaseLost;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    /** Points queued since the sender last drained; it is woken early when they fill a request. */
    private final AtomicInteger queuedPoints = new AtomicInteger();
    /** Points and lines added and not yet accepted by the platform: at most maxItems while blocking. */
    private final AtomicLong waiting = new AtomicLong();
    /** Where a thread adding to a full outbox waits; notified whenever the platform accepts a request. */
    private final Object room = new Object();
    private volatile boolean blocking = true;
    private final Thread sender;
    private volatile boolean abandoned;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean delivered;
    /** The newest checkpoint the platform refused as too soon, until a later one is stored or the run ends. */
    private Checkpoint skipped;

    RunOutbox(PlatformClient client, String workerId, long runId, int attempt, Duration flushInterval, int maxItems,
              Retry retry, Runnable onLeaseLost) {
        this.client = client;
        this.workerId = workerId;
        this.runId = runId;
        this.attempt = attempt;
        this.flushInterval = flushInterval;
        this.maxItems = maxItems;
        this.retry = retry;
        this.onLeaseLost = onLeaseLost;
        this.sender = Thread.ofPlatform().name("run-" + runId + "-sender").daemon().unstarted(this::send);
    }

    void start() {
        sender.start();
    }

    /** Queues points; waits while the outbox is full (see the class comment). */
    void metrics(List<MetricPoint> points) {
        reserve(points.size());
        if (!abandoned) {
            queue.add(new Points(points));
            if (queuedPoints.addAndGet(points.size()) >= MAX_POINTS) {
                LockSupport.unpark(sender);
            }
        }
    }

    /** Queues a line; waits while the outbox is full (see the class comment). */
    void log(LogLine line) {
        reserve(1);
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

    /** Points and lines not yet accepted by the platform. */
    long waitingItems() {
        return waiting.get();
    }

    /**
     * From now on adding never waits, and a thread waiting to add goes on: the run is stopping (cancelled, preempted,
     * lease lost) and the trainer must reach the step boundary where it stops.
     */
    void stopBlocking() {
        blocking = false;
        synchronized (room) {
            room.notifyAll();
        }
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
        stopBlocking();
        sender.interrupt();
    }

    /**
     * Counts {@code n} more items; first waits while they would not fit, unless nothing is waiting at all (a report
     * larger than the bound) or the outbox stopped blocking. An interrupt ends the wait (and stays set).
     */
    private void reserve(int n) {
        if (n == 0) {
            return;
        }
        for (long w = waiting.get(); w + n <= maxItems || w == 0 || !blocking; w = waiting.get()) {
            if (waiting.compareAndSet(w, w + n)) {
                return;
            }
        }
        long start = System.nanoTime();
        LOG.warn("run {} attempt {}: training paused: {} metric points and log lines are waiting for the platform at {} "
                        + "(trainyard.worker.outbox-max-items={}); it continues once the platform accepted half of them",
                runId, attempt, waiting.get(), client.base(), maxItems);
        LockSupport.unpark(sender);
        boolean interrupted = false;
        synchronized (room) {
            for (long w = waiting.get(); ; w = waiting.get()) {
                if (!blocking || interrupted || w == 0 || (w <= maxItems / 2 && w + n <= maxItems)) {
                    if (waiting.compareAndSet(w, w + n)) {
                        break;
                    }
                    continue;
                }
                try {
                    room.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("run {} attempt {}: training continues after {} ms paused{}: {} items waiting for the platform at {}", runId,
                attempt, (System.nanoTime() - start) / 1_000_000, blocking && !interrupted ? "" : " (the run is stopping)",
                waiting.get() - n, client.base());
    }

    /** The platform accepted {@code n} items: a thread waiting for room may go on. */
    private void accepted(int n) {
        waiting.addAndGet(-n);
        synchronized (room) {
            room.notifyAll();
        }
    }

    private boolean givingUp() {
        return abandoned || System.nanoTime() > deadlineNanos;
    }

    private void send() {
        MDC.put("runId", Long.toString(runId));
        MDC.put("attempt", Integer.toString(attempt));
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
            stopBlocking(); // nothing will make room any more
            if (skipped != null) {
                deleteQuietly(skipped.file());
            }
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
                upload(c, false);
            }
            case End e -> {
                flush(points, lines);
                if (skipped != null) {
                    upload(skipped, true); // the run's last checkpoint: the platform takes it whenever it comes
                }
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
            accepted(batch.size());
        }
        points.clear();
        if (!lines.isEmpty()) {
            retry.run("sending " + lines.size() + " log lines of run " + runId, this::givingUp, () -> {
                client.logs(workerId, runId, attempt, lines);
                return null;
            });
            accepted(lines.size());
            lines.clear();
        }
    }

    private void upload(Checkpoint c, boolean last) throws InterruptedException {
        boolean keep = false;
        try {
            String sha256 = Sha256.of(c.file());
            boolean stored = retry.run("uploading checkpoint step " + c.step() + " of run " + runId, this::givingUp, () -> {
                try {
                    client.uploadCheckpoint(workerId, runId, attempt, c.file(), c.step(), c.epoch(), c.metrics(), sha256, last);
                    return true;
                } catch (PlatformException e) {
                    if (e.status() == 429 && !last) {
                        return false; // too soon after the previous checkpoint: not worth waiting for
                    }
                    throw e;
                }
            });
            if (skipped != null && skipped != c) {
                deleteQuietly(skipped.file());
            }
            skipped = null;
            if (stored) {
                LOG.info("run {} attempt {}: uploaded checkpoint step {} (sha256 {})", runId, attempt, c.step(), sha256);
            } else {
                LOG.info("run {} attempt {}: skipped checkpoint step {}: the platform stores a run's periodic checkpoints "
                        + "at most every trainyard.checkpoints.min-interval; it is sent at the end unless a later one is "
                        + "stored", runId, attempt, c.step());
                skipped = c;
                keep = true;
            }
        } catch (IOException e) {
            LOG.error("run {} attempt {}: cannot read checkpoint {}: {}", runId, attempt, c.file(), e.toString());
        } finally {
            if (!keep) {
                deleteQuietly(c.file());
            }
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
