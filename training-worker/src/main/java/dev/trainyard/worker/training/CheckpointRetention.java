package dev.trainyard.worker.training;

import dev.trainyard.spec.CheckpointSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which checkpoints to keep: the {@code keepLast} most recent by step, plus the best by a metric when the policy has
 * {@code keepBest}. Pure: it decides, the trainer deletes.
 *
 * <p>The best is the checkpoint whose metric value beats all others under the mode; on a tie the earliest wins (a
 * later checkpoint must be strictly better to replace it). Checkpoints whose metrics lack the value, or have NaN, are
 * never best.
 */
public final class CheckpointRetention {
    private CheckpointRetention() {
    }

    /**
     * A checkpoint the trainer wrote.
     *
     * @param step    the optimizer steps done when it was saved
     * @param epoch   the epochs completed
     * @param file    its file name in the checkpoint directory
     * @param metrics the latest evaluation's metrics when it was saved (empty before the first evaluation)
     */
    public record Entry(long step, int epoch, String file, Map<String, Double> metrics) {
        public Entry {
            metrics = Map.copyOf(metrics);
        }
    }

    /** The best checkpoint by the policy's keepBest metric, or null (no keepBest, or no checkpoint has the metric). */
    public static Entry best(List<Entry> entries, CheckpointSpec.KeepBest keepBest) {
        if (keepBest == null) {
            return null;
        }
        Entry best = null;
        Double bestValue = null;
        for (Entry e : sortedByStep(entries)) {
            Double v = e.metrics().get(keepBest.metric());
            if (v != null && keepBest.mode().improves(v, bestValue, 0)) {
                best = e;
                bestValue = v;
            }
        }
        return best;
    }

    /** The entries to keep, in step order. */
    public static List<Entry> keep(List<Entry> entries, CheckpointSpec policy) {
        List<Entry> sorted = sortedByStep(entries);
        Set<Entry> keep = new LinkedHashSet<>(sorted.subList(Math.max(0, sorted.size() - policy.keepLast()), sorted.size()));
        Entry best = best(sorted, policy.keepBest());
        if (best != null) {
            keep.add(best);
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : sorted) {
            if (keep.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The entries to delete, in step order: all that {@link #keep} does not keep. */
    public static List<Entry> prune(List<Entry> entries, CheckpointSpec policy) {
        List<Entry> keep = keep(entries, policy);
        List<Entry> out = new ArrayList<>();
        for (Entry e : sortedByStep(entries)) {
            if (!keep.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Entry> sortedByStep(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::step));
        return sorted;
    }
}
