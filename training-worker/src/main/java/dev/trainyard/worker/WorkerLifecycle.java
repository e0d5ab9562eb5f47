package dev.trainyard.worker;

import dev.trainyard.worker.agent.WorkerAgent;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link WorkerAgent} for the application's lifetime: started once the context is up, closed (checkpoint,
 * upload, deregister) when the context closes, e.g. on SIGTERM.
 */
@Component
class WorkerLifecycle implements SmartLifecycle {
    private final WorkerProperties properties;
    private WorkerAgent agent;

    WorkerLifecycle(WorkerProperties properties) {
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        agent = new WorkerAgent(properties.toSettings());
        agent.start();
    }

    @Override
    public synchronized void stop() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return agent != null;
    }

    synchronized WorkerAgent agent() {
        return agent;
    }
}
