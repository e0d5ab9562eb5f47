package dev.trainyard.platform.checkpoints;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the best checkpoint has the lowest value of its metric (a loss) or the highest (an accuracy). */
public enum BestMode {
    MIN, MAX;

    /** True if {@code candidate} is better than {@code best}. */
    boolean better(double candidate, double best) {
        return this == MIN ? candidate < best : candidate > best;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BestMode fromWire(String value) {
        for (BestMode m : values()) {
            if (m.wireName().equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be min or max");
    }
}
