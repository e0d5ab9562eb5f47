package dev.trainyard.spec;

/** Whether a monitored metric should go down (a loss) or up (an accuracy). */
public enum Mode {
    MIN,
    MAX;

    /** True if {@code candidate} beats {@code best} by more than {@code minDelta}; anything beats NaN/absent (null). */
    public boolean improves(double candidate, Double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (best == null || Double.isNaN(best)) {
            return true;
        }
        return this == MIN ? candidate < best - minDelta : candidate > best + minDelta;
    }

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
