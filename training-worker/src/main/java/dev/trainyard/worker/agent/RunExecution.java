package dev.trainyard.worker.agent;

import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import dev.trainyard.worker.client.ClientRecords.CheckpointInfo;
import dev.trainyard.worker.client.ClientRecords.Gpu;
import dev.trainyard.worker.client.ClientRecords.LeasedRun;
import dev.trainyard.worker.client.ClientRecords.ReportedStatus;
import dev.trainyard.worker.client.ClientRecords.RunAttempt;
import dev.trainyard.worker.client.ClientRecords.StatusReport;
import dev.trainyard.worker.client.ClientRecords.StopReason;
import dev.trainyard.worker.client.PlatformClient;
import dev.trainyard.worker.client.PlatformException;
import dev.trainyard.worker.client.Retry;
import dev.trainyard.worker.datasets.DatasetCache;
import dev.trainyard.worker.training.ArtifactResolver;
import dev.trainyard.worker.training.Trainer;
import dev.trainyard.worker.training.TrainerOptions;
import dev.trainyard.worker.training.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One leased run attempt on its own thread: reports RUNNING, builds the trainer (downloading dataset artifacts),
 * resumes from the run's latest checkpoint if it has one, trains while a {@link RunOutbox} streams the results, and
 * reports how it ended. Stop orders from heartbeats, a 409 on a write and the worker's shutdown arrive from other
 * threads.
 */
final class RunExecution {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
    private static final int MESSAGE_LIMIT = 1000;

    private enum Stop {
        CANCELLED, LEASE_LOST, PREEMPTED
    }

    private final PlatformClient client;
    private final WorkerSettings settings;
    private final Retry retry;
    private final DatasetCache datasets;
    private final String workerId;
    private final LeasedRun lease;
    private final List<Gpu> workerGpus;
    private final Consumer<RunExecution> onDone;
    private final Path runDir;
    private final Thread thread;
    private final Object stopLock = new Object();
    private Stop stop;
    private Trainer trainer;
    private RunOutbox outbox;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    /** Set once a final status (anything but RUNNING) was reported or tried: the attempt ends with one report. */
    private volatile boolean finalReportSent;

    RunExecution(PlatformClient client, WorkerSettings settings, Retry retry, DatasetCache datasets, String workerId,
                 LeasedRun lease, List<Gpu> workerGpus, Consumer<RunExecution> onDone) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
        this.datasets = datasets;
        this.workerId = workerId;
        this.lease = lease;
        this.workerGpus = workerGpus;
        this.onDone = onDone;
        this.runDir = settings.workDir().resolve("runs").resolve(lease.runId() + "-" + lease.attempt());
        this.thread = Thread.ofPlatform().name("run-" + lease.runId()).unstarted(this::execute);
    }

    RunAttempt attempt() {
        return new RunAttempt(lease.runId(), lease.attempt());
    }

    String workerId() {
        return workerId;
    }

    void start() {
        thread.start();
    }

    /** A heartbeat's stop order. */
    void stop(StopReason reason, String detail) {
        switch (reason) {
            case CANCELLED -> stopWith(Stop.CANCELLED, "cancelled through the platform" + (detail == null ? "" : ": " + detail));
            case LEASE_LOST, NOT_FOUND -> stopWith(Stop.LEASE_LOST, "the platform says " + reason
                    + (detail == null ? "" : ": " + detail) + "; dropping this attempt's output");
            case FINISHED -> { } // already reported
        }
    }

    /** The worker is shutting down: checkpoint at the current step, upload it and stop, by {@code deadlineNanos}. */
    void preempt(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        stopWith(Stop.PREEMPTED, "the worker is shutting down: checkpointing at the current step");
    }

    boolean awaitDone(long deadlineNanos) throws InterruptedException {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
            thread.join(java.time.Duration.ofNanos(wait));
        }
        return !thread.isAlive();
    }

    private void stopWith(Stop how, String why) {
        synchronized (stopLock) {
            if (stop == Stop.LEASE_LOST || stop == how) {
                return;
            }
            stop = how == Stop.PREEMPTED && stop == Stop.CANCELLED ? Stop.CANCELLED : how;
            LOG.info("run {} attempt {}: {}", lease.runId(), lease.attempt(), why);
            applyStop();
        }
    }

    /** Called with stopLock held. */
    private void applyStop() {
        if (stop == null) {
            return;
        }
        if (outbox != null) {
            // a trainer waiting for room in a full outbox must go on to the step boundary where it stops
            if (stop == Stop.LEASE_LOST) {
                outbox.abandon();
            } else {
                outbox.stopBlocking();
            }
        }
        if (trainer != null) {
            if (stop == Stop.PREEMPTED) {
                trainer.preempt();
            } else {
                trainer.cancel();
            }
        }
    }

    private Stop stop() {
        synchronized (stopLock) {
            return stop;
        }
    }

    private boolean givingUp() {
        return stop() == Stop.LEASE_LOST || System.nanoTime() > deadlineNanos;
    }

    private void execute() {
        // every line this run's thread logs carries the run: a field of its own in JSON logs
        MDC.put("runId", Long.toString(lease.runId()));
        MDC.put("attempt", Integer.toString(lease.attempt()));
        try {
            work();
        } catch (InterruptedException e) {
            LOG.warn("run {} attempt {}: interrupted", lease.runId(), lease.attempt());
        } catch (Retry.GaveUpException e) {
            LOG.warn("run {} attempt {}: {}", lease.runId(), lease.attempt(), e.getMessage());
        } catch (RuntimeException | Error e) {
            // not from setting the run up or training it (those are reported in work): the worker's own machinery
            LOG.error("run {} attempt {}: the worker failed running it", lease.runId(), lease.attempt(), e);
            if (!finalReportSent) {
                try {
                    RunFailure failure = RunFailure.of("the worker failed running it", e);
                    report(ReportedStatus.FAILED, failure.message(), true);
                } catch (InterruptedException | RuntimeException again) {
                    LOG.warn("run {} attempt {}: could not report the failure: {}", lease.runId(), lease.attempt(), again.toString());
                }
            }
        } finally {
            if (outbox != null && !outbox.isAbandoned()) {
                outbox.abandon();
            }
            deleteRecursively(runDir);
            onDone.accept(this);
        }
    }

    private void work() throws InterruptedException {
        PlatformListener listener;
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            LOG.error("run {} attempt {}: cannot use the work directory {}: {}", lease.runId(), lease.attempt(), runDir, e.toString());
            report(ReportedStatus.FAILED, RunFailure.of("the worker cannot use its work directory", e).message(), true);
            return;
        }
        RunOutbox box = new RunOutbox(client, workerId, lease.runId(), lease.attempt(), settings.flushInterval(),
                settings.outboxMaxItems(), retry,
                () -> stopWith(Stop.LEASE_LOST, "a write was refused with 409: the lease is lost"));
        try {
            listener = new PlatformListener(lease.runId(), lease.attempt(), box, runDir.resolve("upload"));
        } catch (IOException e) {
            LOG.error("run {} attempt {}: cannot use the work directory {}: {}", lease.runId(), lease.attempt(), runDir, e.toString());
            report(ReportedStatus.FAILED, RunFailure.of("the worker cannot use its work directory", e).message(), true);
            return;
        }
        synchronized (stopLock) {
            outbox = box;
            applyStop();
        }
        box.start();
        if (!report(ReportedStatus.RUNNING, null, null)) {
            endStopped(box, "stopped before it started: the platform refused its start");
            return;
        }
        if (!lease.gpuIndices().isEmpty()) {
            listener.onLog(leasedGpus() + " leased, but the engine has no CUDA backend yet: training on the CPU");
        }
        Trainer t;
        try {
            t = setUp(listener);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | Error e) {
            if (stoppedByPlatform(e)) {
                endStopped(box, "stopped while setting up: " + RunFailure.withoutLocalPaths(e.getMessage()));
            } else if (stop() != Stop.PREEMPTED) {
                fail(box, listener, RunFailure.inSetUp(e), e);
            }
            return;
        }
        synchronized (stopLock) {
            trainer = t;
            if (stop == Stop.PREEMPTED) {
                LOG.info("run {} attempt {}: not started, the worker is shutting down", lease.runId(), lease.attempt());
                return;
            }
            applyStop();
        }
        TrainingResult result;
        try {
            result = t.run();
        } catch (RuntimeException | Error e) {
            fail(box, listener, RunFailure.inTraining(t.step(), e), e);
            return;
        }
        switch (result.status()) {
            case COMPLETED, EARLY_STOPPED -> finish(box, ReportedStatus.SUCCEEDED, result.message(), null);
            case FAILED -> finish(box, ReportedStatus.FAILED, result.message(), false);
            case PREEMPTED -> {
                // the platform re-queues the run when the worker deregisters; another worker resumes it
                boolean sent = box.finish(deadlineNanos);
                LOG.info("run {} attempt {}: preempted at step {}; checkpoint {}", lease.runId(), lease.attempt(),
                        result.step(), sent ? "uploaded" : "NOT uploaded (deadline or lease lost)");
            }
            case CANCELLED -> endStopped(box, result.message());
        }
    }

    /** Parses the spec, loads the data (downloading dataset artifacts), builds the trainer and resumes it if the run has a checkpoint. */
    private Trainer setUp(PlatformListener listener) throws IOException, InterruptedException {
        RunSpec spec = RunSpecs.parse(lease.spec());
        Trainer t = new Trainer(spec, new TrainerOptions(settings.dataRoot(), runDir.resolve("checkpoints"), artifacts(), 0),
                listener);
        resumeFromLatest(t, listener);
        return t;
    }

    /**
     * Whether a set-up failure is the platform stopping this attempt: a request refused with 409 (the attempt was
     * cancelled, or its lease lost), or retries given up because a stop was ordered meanwhile.
     */
    private boolean stoppedByPlatform(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PlatformException p && p.isConflict()) {
                return true;
            }
        }
        Stop s = stop();
        return s == Stop.CANCELLED || s == Stop.LEASE_LOST;
    }

    /**
     * The attempt was stopped (cancelled, or its lease lost) before it ended on its own: its output is dropped and
     * CANCELLED is reported, also after a 409 (a cancel first seen as a refused request, or a lost lease), so the
     * attempt always ends with a report, whether it was stopped while setting up or while training.
     */
    private void endStopped(RunOutbox box, String message) throws InterruptedException {
        box.abandon();
        report(ReportedStatus.CANCELLED, message, null);
    }

    /** The run failed on this worker: its cause goes to the run's logs and to the platform with the FAILED report. */
    private void fail(RunOutbox box, PlatformListener listener, RunFailure failure, Throwable e) throws InterruptedException {
        LOG.warn("run {} attempt {}: {} ({})", lease.runId(), lease.attempt(), failure.message(),
                failure.retryable() ? "retryable" : "not retryable", e);
        listener.onLog(failure.message());
        finish(box, ReportedStatus.FAILED, failure.message(), failure.retryable());
    }

    /** Flushes everything reported, then reports the end; nothing is reported if the output could not be delivered. */
    private void finish(RunOutbox box, ReportedStatus status, String message, Boolean retryable) throws InterruptedException {
        if (box.finish(deadlineNanos)) {
            report(status, message, retryable);
        } else {
            LOG.warn("run {} attempt {}: not reporting {}: its output could not be delivered", lease.runId(), lease.attempt(), status);
        }
    }

    /** Reports a status; false when the platform refused it (the attempt is not live any more). */
    private boolean report(ReportedStatus status, String message, Boolean retryable) throws InterruptedException {
        String m = message == null || message.length() <= MESSAGE_LIMIT ? message : message.substring(0, MESSAGE_LIMIT - 3) + "...";
        if (status != ReportedStatus.RUNNING) {
            finalReportSent = true;
        }
        try {
            retry.run("reporting " + status + " for run " + lease.runId(), () -> System.nanoTime() > deadlineNanos, () -> {
                client.status(workerId, lease.runId(), new StatusReport(lease.attempt(), status, m, retryable));
                return null;
            });
            LOG.info("run {} attempt {}: reported {}{}", lease.runId(), lease.attempt(), status, m == null ? "" : " (" + m + ")");
            return true;
        } catch (PlatformException e) {
            LOG.warn("run {} attempt {}: the platform refused {}: {}", lease.runId(), lease.attempt(), status, e.getMessage());
            if (e.isConflict() || e.isNotFound()) {
                stopWith(Stop.LEASE_LOST, "the attempt is not live any more");
            }
            return false;
        }
    }

    private void resumeFromLatest(Trainer t, PlatformListener listener) throws IOException, InterruptedException {
        var list = retry.run("listing the checkpoints of run " + lease.runId(), this::givingUp,
                () -> client.checkpoints(workerId, lease.runId(), lease.attempt()));
        CheckpointInfo latest = list.stream().max(Comparator.comparingLong(CheckpointInfo::step)).orElse(null);
        if (latest == null) {
            return;
        }
        Path dir = Files.createDirectories(runDir.resolve("resume"));
        Path file = dir.resolve(latest.filename() == null || latest.filename().isBlank() ? "checkpoint.ckpt"
                : Path.of(latest.filename()).getFileName().toString());
        String sha256 = null;
        for (int tries = 1; tries <= 3 && !latest.sha256().equalsIgnoreCase(String.valueOf(sha256)); tries++) {
            sha256 = retry.run("downloading checkpoint step " + latest.step() + " of run " + lease.runId(), this::givingUp,
                    () -> client.downloadCheckpoint(workerId, lease.runId(), lease.attempt(), latest.id(), file));
        }
        if (!latest.sha256().equalsIgnoreCase(sha256)) {
            throw new RunFailure.TransientIOException("checkpoint " + latest.id() + " (step " + latest.step() + ") downloads with sha256 " + sha256
                    + ", but the platform lists " + latest.sha256());
        }
        listener.onLog("resuming from checkpoint " + latest.id() + " at step " + latest.step());
        t.resume(file);
        Files.deleteIfExists(file);
    }

    /** "GPU 0 (model)" or "GPUs 0 (model), 1 (model)". */
    private String leasedGpus() {
        List<String> each = lease.gpuIndices().stream().map(i -> i + " (" + (i >= 0 && i < workerGpus.size()
                ? workerGpus.get(i).model() : "not registered by this worker") + ")").toList();
        return (each.size() == 1 ? "GPU " : "GPUs ") + String.join(", ", each);
    }

    private ArtifactResolver artifacts() {
        return artifact -> {
            try {
                return datasets.resolve(artifact, (hex, target) -> retry.run("downloading dataset " + artifact, this::givingUp,
                        () -> client.downloadDataset(workerId, lease.runId(), lease.attempt(), hex, target)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading dataset " + artifact);
            }
        };
    }

    private static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", p, e.toString());
        }
    }
}
