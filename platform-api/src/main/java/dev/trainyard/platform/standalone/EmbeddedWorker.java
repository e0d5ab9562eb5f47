package dev.trainyard.platform.standalone;

import dev.trainyard.platform.TrainyardProperties;
import dev.trainyard.platform.workers.WorkerTokenService;
import dev.trainyard.worker.agent.WorkerAgent;
import dev.trainyard.worker.agent.WorkerSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The standalone platform's own worker: a {@link WorkerAgent} in this process that talks to this platform over HTTP
 * on 127.0.0.1 with a worker token of its own, like any other worker.
 *
 * <p>It starts once the server listens (an application runner after {@link DemoExperiment}; the bootstrap admin
 * exists before the application starts). It stops first when the platform
 * shuts down: its lifecycle phase is above the web server's graceful shutdown, so the server still answers while
 * the agent checkpoints its runs, uploads the checkpoints and deregisters, which re-queues the runs; the next start
 * resumes them from those checkpoints.
 */
@Component
@Profile("standalone")
@ConditionalOnBooleanProperty(name = "trainyard.standalone.worker.enabled", matchIfMissing = true)
@Order(20)
class EmbeddedWorker implements ApplicationRunner, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedWorker.class);

    static final String NAME = "standalone";

    private final StandaloneProperties.Worker settings;
    private final WorkerTokenFile tokenFile;
    private final Environment environment;
    private volatile boolean running;
    private WorkerAgent agent;

    EmbeddedWorker(StandaloneProperties properties, TrainyardProperties trainyard, WorkerTokenService tokens,
            LocalAdmin admin, Environment environment) {
        this.settings = properties.worker();
        if (trainyard.home() == null || settings.workDir() == null) {
            throw new IllegalStateException("the embedded worker needs trainyard.home and "
                    + "trainyard.standalone.worker.work-dir (the standalone profile sets both)");
        }
        this.tokenFile = new WorkerTokenFile(trainyard.home().resolve("worker-token"), tokens, admin);
        this.environment = environment;
    }

    @Override
    public synchronized void run(ApplicationArguments args) {
        if (!running || agent != null) {
            return;
        }
        URI platform = URI.create("http://127.0.0.1:" + environment.getRequiredProperty("local.server.port"));
        Path workDir = settings.workDir().toAbsolutePath().normalize();
        agent = new WorkerAgent(new WorkerSettings(platform, tokenFile.obtain(), NAME, Map.of(), settings.maxRuns(),
                settings.dataRoot(), workDir, 0, 0, null, null, null, settings.shutdownTimeout()));
        agent.start();
        log.info("Embedded worker '{}' started: up to {} runs at once, datasets from {}, work directory {}", NAME,
                settings.maxRuns(), settings.dataRoot(), workDir);
    }

    /** Nothing to do yet: the agent starts in {@link #run} once the admin that issues its token exists. */
    @Override
    public void start() {
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (agent != null) {
            log.info("Stopping the embedded worker: checkpointing its runs and giving them back to the queue");
            agent.close();
            agent = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (DEFAULT_PHASE - 1024), which would refuse its last calls. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    synchronized WorkerAgent agent() {
        return agent;
    }
}
