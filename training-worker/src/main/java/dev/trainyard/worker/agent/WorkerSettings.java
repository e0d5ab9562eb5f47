package dev.trainyard.worker.agent;

import dev.trainyard.worker.devices.GpuSetting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link WorkerAgent} runs.
 *
 * @param platformUrl       the platform's base URL, e.g. {@code http://localhost:8080}
 * @param token             the worker token ({@code tyw_...})
 * @param name              the name to register under
 * @param labels            what the worker offers (runs asking for labels only go to workers carrying them)
 * @param maxRuns           runs at once
 * @param dataRoot          where dataset paths of run specs are resolved
 * @param workDir           checkpoints of running attempts and the dataset artifact cache
 * @param cpus              CPU cores to offer; 0 detects them
 * @param memoryMb          memory to offer; 0 detects it
 * @param gpus              whether to probe for CUDA GPUs (null: {@link GpuSetting#AUTO})
 * @param flushInterval     how often a run's pending metrics and log lines are sent
 * @param leaseWait         how long one lease request waits for a run (at most 30 s)
 * @param shutdownTimeout   how long {@link WorkerAgent#close()} may take in all
 * @param outboxMaxItems    metric points and log lines of one run that may wait for the platform; at this many its
 *                          training pauses until the platform accepted half of them (nothing is dropped)
 * @param warmUpSteps       training steps of throwaway models on random data while the worker waits for its first
 *                          lease, so the JIT compiles the engine's kernels before a run needs them
 *                          ({@link dev.trainyard.worker.training.KernelWarmup}); 0 turns the warm-up off
 */
public record WorkerSettings(URI platformUrl, String token, String name, Map<String, String> labels, int maxRuns,
                             Path dataRoot, Path workDir, int cpus, int memoryMb, GpuSetting gpus, Duration flushInterval,
                             Duration leaseWait, Duration shutdownTimeout, int outboxMaxItems, int warmUpSteps) {

    /**
     * ~40 MB of heap per run (a waiting point holds ~80 bytes). A run logging every step reports 3 points a step: the
     * Fashion-MNIST mlp benchmark (~1,500 steps a second on 2 cores) trains on for ~2 minutes without the platform
     * before it pauses; logging every 10th step, ~20 minutes.
     */
    public static final int DEFAULT_OUTBOX_MAX_ITEMS = 500_000;
    /** See KernelWarmup. */
    public static final int DEFAULT_WARM_UP_STEPS = 450;

    public WorkerSettings {
        Objects.requireNonNull(platformUrl, "platformUrl");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a worker token is required (tyw_...)");
        }
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (maxRuns < 1) {
            throw new IllegalArgumentException("maxRuns must be at least 1, got " + maxRuns);
        }
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(workDir, "workDir");
        gpus = gpus == null ? GpuSetting.AUTO : gpus;
        flushInterval = flushInterval == null ? Duration.ofMillis(500) : flushInterval;
        leaseWait = leaseWait == null ? Duration.ofSeconds(20) : leaseWait;
        if (leaseWait.isNegative() || leaseWait.toSeconds() > 30) {
            throw new IllegalArgumentException("leaseWait must be 0 to 30 s, got " + leaseWait);
        }
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
        if (outboxMaxItems < 1) {
            throw new IllegalArgumentException("outboxMaxItems must be at least 1, got " + outboxMaxItems);
        }
        if (warmUpSteps < 0) {
            throw new IllegalArgumentException("warmUpSteps must be 0 (off) or more, got " + warmUpSteps);
        }
    }

    /** With the default warm-up ({@value #DEFAULT_WARM_UP_STEPS} steps). */
    public WorkerSettings(URI platformUrl, String token, String name, Map<String, String> labels, int maxRuns,
                          Path dataRoot, Path workDir, int cpus, int memoryMb, GpuSetting gpus, Duration flushInterval,
                          Duration leaseWait, Duration shutdownTimeout, int outboxMaxItems) {
        this(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, gpus, flushInterval, leaseWait,
                shutdownTimeout, outboxMaxItems, DEFAULT_WARM_UP_STEPS);
    }

    /** With the default outbox bound ({@value #DEFAULT_OUTBOX_MAX_ITEMS} items) and warm-up. */
    public WorkerSettings(URI platformUrl, String token, String name, Map<String, String> labels, int maxRuns,
                          Path dataRoot, Path workDir, int cpus, int memoryMb, GpuSetting gpus, Duration flushInterval,
                          Duration leaseWait, Duration shutdownTimeout) {
        this(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, gpus, flushInterval, leaseWait,
                shutdownTimeout, DEFAULT_OUTBOX_MAX_ITEMS);
    }

    /** Defaults for everything but the platform, token and name. */
    public static WorkerSettings of(URI platformUrl, String token, String name) {
        return new WorkerSettings(platformUrl, token, name, Map.of(), 1, Path.of("/usr/share/datasets"),
                Path.of(".trainyard-worker"), 0, 0, null, null, null, null, DEFAULT_OUTBOX_MAX_ITEMS, DEFAULT_WARM_UP_STEPS);
    }

    public WorkerSettings withMaxRuns(int n) {
        return new WorkerSettings(platformUrl, token, name, labels, n, dataRoot, workDir, cpus, memoryMb, gpus,
                flushInterval, leaseWait, shutdownTimeout, outboxMaxItems, warmUpSteps);
    }

    public WorkerSettings withDirs(Path dataRoot, Path workDir) {
        return new WorkerSettings(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, gpus,
                flushInterval, leaseWait, shutdownTimeout, outboxMaxItems, warmUpSteps);
    }

    public WorkerSettings withLeaseWait(Duration d) {
        return new WorkerSettings(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, gpus,
                flushInterval, d, shutdownTimeout, outboxMaxItems, warmUpSteps);
    }

    public WorkerSettings withGpus(GpuSetting g) {
        return new WorkerSettings(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, g,
                flushInterval, leaseWait, shutdownTimeout, outboxMaxItems, warmUpSteps);
    }

    public WorkerSettings withOutboxMaxItems(int n) {
        return new WorkerSettings(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, gpus,
                flushInterval, leaseWait, shutdownTimeout, n, warmUpSteps);
    }

    public WorkerSettings withWarmUpSteps(int n) {
        return new WorkerSettings(platformUrl, token, name, labels, maxRuns, dataRoot, workDir, cpus, memoryMb, gpus,
                flushInterval, leaseWait, shutdownTimeout, outboxMaxItems, n);
    }
}
