package dev.trainyard.platform.checkpoints;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a run's checkpoints to keep: the {@code keepLast} most recently uploaded, plus the one with the best value
 * of {@code bestMetric} (lowest or highest by {@code bestMode}; among equal values the more recent one). Checkpoints
 * that did not report the metric, or reported NaN, are never the best. Without a best metric only the last are kept.
 * "Recent" is upload order rather than step: after a resume, the newest attempt's checkpoints are the ones to keep.
 */
record RetentionPolicy(int keepLast, String bestMetric, BestMode bestMode) {

    RetentionPolicy {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be at least 1");
        }
        if ((bestMetric == null) != (bestMode == null)) {
            throw new IllegalArgumentException("a best metric needs a mode, and a mode a metric");
        }
    }

    /** A checkpoint as retention sees it: its id (upload order) and its metrics. */
    record Candidate(long id, Map<String, Double> metrics) {}

    /** The ids of the candidates to delete. */
    Set<Long> prune(List<Candidate> candidates) {
        return prune(candidates, Set.of());
    }

    /** The ids of the candidates to delete, never one of {@code protect}. */
    Set<Long> prune(List<Candidate> candidates, Set<Long> protect) {
        List<Candidate> newestFirst = candidates.stream()
                .sorted(Comparator.comparingLong(Candidate::id).reversed()).toList();
        Set<Long> keep = new HashSet<>(protect);
        newestFirst.stream().limit(keepLast).forEach(c -> keep.add(c.id()));
        if (bestMetric != null) {
            Candidate best = null;
            for (Candidate c : newestFirst) {
                Double value = c.metrics().get(bestMetric);
                if (value != null && !value.isNaN()
                        && (best == null || bestMode.better(value, best.metrics().get(bestMetric)))) {
                    best = c;
                }
            }
            if (best != null) {
                keep.add(best.id());
            }
        }
        Set<Long> prune = new HashSet<>();
        candidates.forEach(c -> {
            if (!keep.contains(c.id())) {
                prune.add(c.id());
            }
        });
        return prune;
    }
}
