package dev.trainyard.worker.agent;

import dev.trainyard.worker.client.ClientRecords.Devices;
import dev.trainyard.worker.client.ClientRecords.HeartbeatResponse;
import dev.trainyard.worker.client.ClientRecords.LeaseResponse;
import dev.trainyard.worker.client.ClientRecords.LeasedRun;
import dev.trainyard.worker.client.ClientRecords.RegisterRequest;
import dev.trainyard.worker.client.ClientRecords.Registration;
import dev.trainyard.worker.client.ClientRecords.RunAttempt;
import dev.trainyard.worker.client.ClientRecords.StopOrder;
import dev.trainyard.worker.client.PlatformClient;
import dev.trainyard.worker.client.PlatformException;
import dev.trainyard.worker.client.Retry;
import dev.trainyard.worker.datasets.DatasetCache;
import dev.trainyard.worker.devices.GpuProbe;
import dev.trainyard.worker.devices.GpuSetting;
import dev.trainyard.worker.devices.JCudaGpuProbe;
import dev.trainyard.worker.training.KernelWarmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A training worker: registers with the platform, long-polls for leases while fewer than maxRuns runs are running,
 * runs each leased run on its own thread ({@link RunExecution}), sends heartbeats for them and acts on the stop orders
 * they bring back. Connection failures and 5xx are retried with back-off; if the platform forgot the worker (404) or
 * it was deregistered (410) it registers again.
 *
 * <p>Until its first lease it warms the engine's kernels on a background thread ({@link KernelWarmup}, up to
 * {@code warmUpSteps} steps), so that its first run starts on compiled code; the warm-up stops when a run is leased.
 *
 * <p>{@link #close()} stops leasing, preempts every run (checkpoint at the current step, uploaded after its metrics),
 * then deregisters, which puts the runs back in the queue at once; all of it within the shutdown timeout.
 *
 * <pre>{@code
 * try (var agent = new WorkerAgent(WorkerSettings.of(URI.create("http://localhost:8080"), token, "gpu-box-1"))) {
 *     agent.start();
 *     ...
 * }
 * }</pre>
 */
public final class WorkerAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);
    /** Kept from the shutdown timeout for deregistering after the runs stopped. */
    private static final Duration DEREGISTER_RESERVE = Duration.ofSeconds(5);
    /**
     * The heartbeat period while runs are running, shorter than the platform asks for: a cancellation arrives with the
     * next heartbeat, and a cancelled run must stop within 2 s. (One small request a second per busy worker.)
     */
    private static final Duration RUNNING_HEARTBEAT = Duration.ofSeconds(1);

    private final WorkerSettings settings;
    private final GpuProbe gpuProbe;
    private final PlatformClient client;
    private final Retry retry = Retry.standard();
    private final DatasetCache datasets;
    private final Set<RunExecution> running = ConcurrentHashMap.newKeySet();
    private final Object slots = new Object();
    private final Thread leaser;
    private final Thread heartbeater;
    private volatile boolean closing;
    private volatile boolean stopHeartbeats;
    private volatile Registration registration;
    private volatile Devices devices;
    private volatile KernelWarmup warmup;
    private boolean started;
    private boolean closed;

    public WorkerAgent(WorkerSettings settings) {
        this(settings, new JCudaGpuProbe());
    }

    /** With this probe for the GPUs to offer (unless the settings say {@link GpuSetting#NONE}). */
    public WorkerAgent(WorkerSettings settings, GpuProbe gpuProbe) {
        this.settings = settings;
        this.gpuProbe = gpuProbe;
        this.client = new PlatformClient(settings.platformUrl(), settings.token());
        this.datasets = new DatasetCache(settings.workDir().resolve("datasets"));
        TrainingMeters.register();
        this.leaser = Thread.ofPlatform().name("worker-lease").unstarted(this::leaseLoop);
        this.heartbeater = Thread.ofPlatform().name("worker-heartbeat").daemon().unstarted(this::heartbeatLoop);
    }

    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the worker agent was already started");
        }
        started = true;
        GpuProbe.Discovery gpus = settings.gpus() == GpuSetting.NONE
                ? GpuProbe.Discovery.none("GPU discovery is off (trainyard.worker.gpus=none)")
                : gpuProbe.discover();
        devices = dev.trainyard.worker.devices.Devices.detect(settings.cpus(), settings.memoryMb(), gpus);
        LOG.info("worker {} for {}: {} CPUs, {} MB, up to {} runs at once; {}", settings.name(), settings.platformUrl(),
                devices.cpus(), devices.memoryMb(), settings.maxRuns(), gpus.summary());
        leaser.start();
        heartbeater.start();
        if (settings.warmUpSteps() > 0) {
            warmup = KernelWarmup.start(settings.warmUpSteps(), LOG::info);
        }
    }

    /** The warm-up started with the agent, or null when it is off. */
    KernelWarmup warmup() {
        return warmup;
    }

    /** The id of the current registration, or null while not registered. */
    public String workerId() {
        Registration r = registration;
        return r == null ? null : r.id();
    }

    public int runningCount() {
        return running.size();
    }

    public WorkerSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ registration and leasing

    private String ensureRegistered() throws InterruptedException {
        Registration r = registration;
        if (r != null) {
            return r.id();
        }
        r = retry.run("registering with " + settings.platformUrl(), () -> closing,
                () -> client.register(new RegisterRequest(settings.name(), settings.labels(), devices)));
        registration = r;
        LOG.info("registered as worker {} (leases last {} s, heartbeat every {} s)", r.id(), r.leaseSeconds(), r.heartbeatSeconds());
        return r.id();
    }

    /** The platform does not know this registration any more: register again on the next lease. */
    private void forget(String workerId) {
        Registration r = registration;
        if (r != null && r.id().equals(workerId)) {
            LOG.warn("the platform does not know worker {} any more; registering again", workerId);
            registration = null;
        }
    }

    private void leaseLoop() {
        int wait = (int) settings.leaseWait().toSeconds();
        while (!closing) {
            String id = null;
            try {
                id = ensureRegistered();
                int free = settings.maxRuns() - running.size();
                if (free <= 0) {
                    synchronized (slots) {
                        if (settings.maxRuns() - running.size() <= 0) {
                            slots.wait(1000);
                        }
                    }
                    continue;
                }
                String workerId = id;
                LeaseResponse response = retry.run("leasing runs", () -> closing, () -> client.lease(workerId, wait, free));
                for (LeasedRun run : response.runs()) {
                    if (closing) {
                        LOG.info("run {} attempt {} leased while shutting down: left to the platform", run.runId(), run.attempt());
                        continue;
                    }
                    startRun(workerId, run);
                }
            } catch (InterruptedException | Retry.GaveUpException e) {
                if (!closing) {
                    LOG.warn("leasing stopped: {}", e.toString());
                }
                return;
            } catch (PlatformException e) {
                if (e.isUnknownWorker() && id != null) {
                    forget(id);
                } else {
                    LOG.error("leasing failed: {}", e.getMessage());
                    pause(Duration.ofSeconds(5));
                }
            } catch (RuntimeException e) {
                LOG.error("leasing failed", e);
                pause(Duration.ofSeconds(5));
            }
        }
    }

    private void startRun(String workerId, LeasedRun run) {
        LOG.info("leased run {} attempt {} ({}){}", run.runId(), run.attempt(), run.name(),
                run.experimentId() == null ? "" : " of experiment " + run.experimentId());
        stopWarmup("run " + run.runId() + " leased");
        RunExecution execution = new RunExecution(client, settings, retry, datasets, workerId, run, devices.gpus(),
                this::finished);
        running.add(execution);
        execution.start();
    }

    private void finished(RunExecution execution) {
        running.remove(execution);
        synchronized (slots) {
            slots.notifyAll();
        }
    }

    private void stopWarmup(String reason) {
        KernelWarmup w = warmup;
        if (w != null) {
            w.stop(reason);
        }
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ heartbeats

    private void heartbeatLoop() {
        while (!stopHeartbeats) {
            Registration r = registration;
            try {
                Thread.sleep(r == null || !running.isEmpty() ? RUNNING_HEARTBEAT
                        : Duration.ofSeconds(Math.max(1, r.heartbeatSeconds())));
            } catch (InterruptedException e) {
                if (stopHeartbeats) {
                    return;
                }
            }
            r = registration;
            if (r == null) {
                continue;
            }
            String id = r.id();
            List<RunExecution> mine = running.stream().filter(e -> e.workerId().equals(id)).toList();
            try {
                HeartbeatResponse response = client.heartbeat(r.id(), mine.stream().map(RunExecution::attempt).toList());
                for (StopOrder order : response.stop() == null ? List.<StopOrder>of() : response.stop()) {
                    for (RunExecution e : mine) {
                        if (e.attempt().equals(new RunAttempt(order.runId(), order.attempt()))) {
                            e.stop(order.reason(), order.detail());
                        }
                    }
                }
            } catch (PlatformException e) {
                if (e.isUnknownWorker()) {
                    forget(r.id());
                } else {
                    LOG.warn("heartbeat failed: {}", e.getMessage());
                }
            } catch (IOException e) {
                LOG.warn("heartbeat failed, the platform is unreachable: {}", e.toString());
            } catch (InterruptedException e) {
                if (stopHeartbeats) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("heartbeat failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Stops leasing, preempts the running runs (each checkpoints at its current step and uploads it after flushing its
     * metrics), then deregisters. Takes at most the shutdown timeout.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long start = System.nanoTime();
        long hardDeadline = start + settings.shutdownTimeout().toNanos();
        long runsDeadline = hardDeadline - Math.min(DEREGISTER_RESERVE.toNanos(), settings.shutdownTimeout().toNanos() / 3);
        closing = true;
        stopWarmup("the worker is shutting down");
        LOG.info("shutting down: {} runs to checkpoint", running.size());
        try {
            leaser.interrupt();
            if (leaser.isAlive()) {
                leaser.join(Duration.ofSeconds(2));
            }
            for (RunExecution e : running) {
                e.preempt(runsDeadline);
            }
            for (RunExecution e : List.copyOf(running)) {
                if (!e.awaitDone(runsDeadline + 1_000_000_000L)) {
                    LOG.warn("run {} did not stop in time", e.attempt().runId());
                }
            }
            stopHeartbeats = true;
            heartbeater.interrupt();
            heartbeater.join(Duration.ofSeconds(2));
            Registration r = registration;
            if (r != null) {
                retry.run("deregistering worker " + r.id(), () -> System.nanoTime() > hardDeadline, () -> {
                    client.deregister(r.id());
                    return null;
                });
                registration = null;
                LOG.info("deregistered worker {} after {} ms", r.id(), (System.nanoTime() - start) / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("shutdown: {}", e.toString());
        } finally {
            stopHeartbeats = true;
            heartbeater.interrupt();
            client.close();
        }
    }
}
