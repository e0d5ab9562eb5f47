package dev.trainyard.engine.nn;

import java.util.Locale;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction=} strings. */
public enum Reduction {
    /** Per-element losses, unreduced. */
    NONE("none"),
    /** The (weighted) mean. */
    MEAN("mean"),
    SUM("sum"),
    /** The sum divided by the batch size; only {@code klDiv} accepts it (it is the mathematically right KL mean). */
    BATCHMEAN("batchmean");

    private final String pyName;

    Reduction(String pyName) {
        this.pyName = pyName;
    }

    /** The PyTorch string, e.g. {@code "mean"}. */
    public String pyName() {
        return pyName;
    }

    /** Parses PyTorch's strings ({@code "none"}, {@code "mean"}, {@code "sum"}, {@code "batchmean"}). */
    public static Reduction fromName(String name) {
        for (Reduction r : values()) {
            if (r.pyName.equals(name) || r.name().equals(name.toUpperCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a valid value for reduction; expected none, mean, sum"
                + " (or batchmean for klDiv)");
    }

    @Override
    public String toString() {
        return pyName;
    }
}
