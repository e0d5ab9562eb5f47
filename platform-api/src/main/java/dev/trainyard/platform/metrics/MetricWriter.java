package dev.trainyard.platform.metrics;

import dev.trainyard.platform.events.MetricsAppended;
import java.util.List;
import java.util.function.Supplier;

/**
 * Stores a batch of points and keeps the run's rollups (metric_rollups) and summaries (run_metric_summaries) in
 * step with them, all or nothing. Points already stored are left alone (the first value written for a step wins)
 * and count for nothing: neither in the rollups nor in the summaries.
 */
interface MetricWriter {

    /**
     * @param fence null, or a check that runs first in the write's transaction and refuses it by throwing (the
     *     worker's lease, {@link dev.trainyard.platform.scheduling.LeaseGuard})
     * @param points the batch, made after the fence passed and in the same transaction: making it interns the
     *     batch's metric keys, so a write the fence refuses creates no key. It may be called again when the write
     *     is retried.
     */
    Written write(long projectId, long runId, Runnable fence, Supplier<SortedPoints> points);

    /** A batch whose keys exist already. */
    default Written write(long projectId, long runId, SortedPoints points, Runnable fence) {
        return write(projectId, runId, fence, () -> points);
    }

    /**
     * @param inserted how many of the batch's points were new
     * @param keys the summary after the batch of each key that got new points
     */
    record Written(int inserted, List<MetricsAppended.KeyState> keys) {}
}
