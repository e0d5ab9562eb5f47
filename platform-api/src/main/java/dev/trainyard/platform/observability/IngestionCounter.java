package dev.trainyard.platform.observability;

import dev.trainyard.platform.events.MetricsAppended;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts the metric points this instance stored (new ones only: a retried batch adds nothing), from the event
 * ingestion publishes after each write; events relayed from other instances do not pass here, so summing the counter
 * over instances counts each point once.
 */
@Component
class IngestionCounter {

    private final Counter points;

    IngestionCounter(MeterRegistry registry) {
        this.points = Counter.builder("trainyard.metrics.points.ingested")
                .description("Metric points stored (duplicates of stored points not counted)").register(registry);
    }

    @EventListener
    void onMetrics(MetricsAppended e) {
        points.increment(e.points());
    }
}
