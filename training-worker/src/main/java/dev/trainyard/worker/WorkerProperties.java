package dev.trainyard.worker;

import dev.trainyard.worker.agent.WorkerSettings;
import dev.trainyard.worker.devices.GpuSetting;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code trainyard.worker.*}: where the platform is, how to authenticate, and what this worker offers.
 *
 * @param platformUrl   the platform's base URL (required)
 * @param token         the worker token ({@code tyw_...}); or
 * @param tokenFile     a file holding it
 * @param name          the name to register under (default: the host name)
 * @param labels        labels runs can ask for
 * @param maxRuns       runs at once (default 1)
 * @param dataRoot      where run specs' dataset paths are resolved (default /usr/share/datasets)
 * @param workDir       checkpoints and the dataset cache (default ./.trainyard-worker)
 * @param cpus          CPU cores to offer (default: detected)
 * @param memoryMb      memory to offer in MB (default: detected)
 * @param gpus          {@code auto} (default): offer the CUDA GPUs JCuda finds where the NVIDIA driver is installed;
 *                      {@code none}: offer no GPUs, without probing
 * @param flushInterval how often metrics and log lines are sent (default 500 ms)
 * @param leaseWait     how long a lease request waits for a run (default 20 s, at most 30 s)
 * @param shutdownTimeout how long shutdown may take: checkpoint, upload, deregister (default 30 s)
 * @param outboxMaxItems metric points and log lines of one run that may wait for the platform before its training
 *                      pauses (default 500,000, ~40 MB)
 * @param warmUpSteps   training steps of throwaway models on random data while the worker waits for its first lease,
 *                      so its first run does not pay for compiling the engine's kernels (default 450; 0: off)
 */
@ConfigurationProperties("trainyard.worker")
public record WorkerProperties(URI platformUrl, String token, Path tokenFile, String name, Map<String, String> labels,
                               @DefaultValue("1") int maxRuns, @DefaultValue("/usr/share/datasets") Path dataRoot,
                               @DefaultValue(".trainyard-worker") Path workDir, @DefaultValue("0") int cpus,
                               @DefaultValue("0") int memoryMb, @DefaultValue("auto") GpuSetting gpus,
                               @DefaultValue("500ms") Duration flushInterval,
                               @DefaultValue("20s") Duration leaseWait, @DefaultValue("30s") Duration shutdownTimeout,
                               @DefaultValue("" + WorkerSettings.DEFAULT_OUTBOX_MAX_ITEMS) int outboxMaxItems,
                               @DefaultValue("" + WorkerSettings.DEFAULT_WARM_UP_STEPS) int warmUpSteps) {

    /** The agent's settings; fails with what is missing or unreadable. */
    public WorkerSettings toSettings() {
        if (platformUrl == null) {
            throw new IllegalStateException("trainyard.worker.platform-url is required (e.g. http://localhost:8080)");
        }
        return new WorkerSettings(platformUrl, resolveToken(), name == null || name.isBlank() ? hostName() : name, labels,
                maxRuns, dataRoot, workDir, cpus, memoryMb, gpus, flushInterval, leaseWait, shutdownTimeout, outboxMaxItems,
                warmUpSteps);
    }

    private String resolveToken() {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        if (tokenFile == null) {
            throw new IllegalStateException("a worker token is required: set trainyard.worker.token or "
                    + "trainyard.worker.token-file (a file holding the tyw_... token an admin created with POST /api/v1/worker-tokens)");
        }
        try {
            String t = Files.readString(tokenFile).strip();
            if (t.isEmpty()) {
                throw new IllegalStateException("trainyard.worker.token-file " + tokenFile.toAbsolutePath() + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trainyard.worker.token-file " + tokenFile.toAbsolutePath() + ": " + e, e);
        }
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-");
            return h.isEmpty() || !Character.isLetterOrDigit(h.charAt(0)) ? "worker-" + h : h;
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
