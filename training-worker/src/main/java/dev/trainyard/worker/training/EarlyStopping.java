package dev.trainyard.worker.training;

import dev.trainyard.spec.EarlyStoppingSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Early stopping, as Lightning's {@code EarlyStopping}: after each evaluation, the metric improves if it beats the best
 * so far by more than {@code minDelta} (under the mode); {@code patience} evaluations in a row without improvement
 * stop the run. A NaN value never improves. The state is saved in checkpoints so a resumed run stops at the same point.
 */
public final class EarlyStopping {
    private final EarlyStoppingSpec spec;
    private Double best;
    private int badEvaluations;

    public EarlyStopping(EarlyStoppingSpec spec) {
        this.spec = spec;
    }

    /**
     * Records one evaluation's metrics; returns true if the run should stop now. Metrics without the monitored value
     * (e.g. an evaluation of another split) are ignored.
     */
    public boolean update(Map<String, Double> metrics) {
        Double v = metrics.get(spec.metric());
        if (v == null) {
            return false;
        }
        if (spec.mode().improves(v, best, spec.minDelta())) {
            best = v;
            badEvaluations = 0;
            return false;
        }
        badEvaluations++;
        return badEvaluations >= spec.patience();
    }

    /** The best value so far, or null. */
    public Double best() {
        return best;
    }

    /** Evaluations in a row without improvement. */
    public int badEvaluations() {
        return badEvaluations;
    }

    /** "val/loss has not improved by more than 0.001 for 3 evaluations (best 0.4123)". */
    public String reason() {
        return spec.metric() + " has not improved" + (spec.minDelta() > 0 ? " by more than " + spec.minDelta() : "") + " for "
                + badEvaluations + " evaluation" + (badEvaluations == 1 ? "" : "s") + " (best " + best + ")";
    }

    Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("best", best);
        s.put("badEvaluations", badEvaluations);
        return s;
    }

    void loadStateDict(Map<?, ?> s) {
        best = s.get("best") == null ? null : ((Number) s.get("best")).doubleValue();
        badEvaluations = ((Number) s.get("badEvaluations")).intValue();
    }
}
