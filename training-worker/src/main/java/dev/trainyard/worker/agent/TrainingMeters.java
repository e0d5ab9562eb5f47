package dev.trainyard.worker.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * The worker's training counters, on Micrometer's global registry: the worker application's Prometheus endpoint
 * (Spring Boot adds its registry to the global one) shows them as trainyard_worker_training_steps_total and
 * trainyard_worker_training_samples_total, whose rate() is steps and samples per second; an agent embedded in another
 * JVM counts into that JVM's registries, or into none.
 */
final class TrainingMeters {

    static final Counter STEPS = Counter.builder("trainyard.worker.training.steps")
            .description("Optimizer steps trained by this worker's runs").register(Metrics.globalRegistry);
    static final Counter SAMPLES = Counter.builder("trainyard.worker.training.samples")
            .description("Samples trained on by this worker's runs").register(Metrics.globalRegistry);

    private TrainingMeters() {}

    /** Registers the counters (at 0) when an agent starts, so rate() has a start before the first run. */
    static void register() {
        // loading the class registers them
    }
}
