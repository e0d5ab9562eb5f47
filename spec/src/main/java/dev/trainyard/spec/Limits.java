package dev.trainyard.spec;

/**
 * The largest sizes and counts a spec may ask for. They sit far above what a real run on a CPU worker uses, and below
 * what the trainer cannot handle: a wider layer or a larger batch runs out of memory, a longer run or a larger cadence
 * overflows a 32-bit count. docs/run-spec.md lists them ("Limits").
 */
public final class Limits {
    private Limits() {
    }

    /** Examples per optimizer step, and per evaluation batch. */
    public static final int BATCH_SIZE = 65_536;
    /** Passes over the training data. */
    public static final int EPOCHS = 100_000;
    /** Optimizer steps, and any cadence or schedule length counted in steps or epochs. */
    public static final int STEPS = 1_000_000_000;
    /** Examples in a train or test subset. */
    public static final int SUBSET = 100_000_000;
    /** Features, channels, hidden sizes, embedding dimensions, heads and groups of one layer. */
    public static final int WIDTH = 16_384;
    /** An embedding's vocabulary, and one size of an unflatten. */
    public static final int ENTRIES = 1_000_000;
    /** Kernel sizes, strides, dilations, paddings and pooled output sizes. */
    public static final int WINDOW = 1_024;
    /** Layers in a layer list, hidden widths or conv blocks of a built-in model, stacked layers of one layer. */
    public static final int LAYERS = 256;
    /** Metrics in a spec, and top-k. */
    public static final int METRICS = 100;
    /** Checkpoints kept, and evaluations of patience. */
    public static final int KEEP = 10_000;
}
