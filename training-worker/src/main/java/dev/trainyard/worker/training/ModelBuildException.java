package dev.trainyard.worker.training;

/**
 * A model spec that cannot be built with the data it is given, e.g. layers whose shapes do not fit. Names the layer
 * by its index in the spec's layer list (or the expanded built-in) and by its JSON pointer, so the platform can show
 * it next to the field.
 */
public final class ModelBuildException extends IllegalArgumentException {
    private final int layerIndex;
    private final String pointer;

    public ModelBuildException(int layerIndex, String pointer, String message) {
        super(message);
        this.layerIndex = layerIndex;
        this.pointer = pointer;
    }

    /** The index of the offending layer, or -1 when the problem is the model's output as a whole. */
    public int layerIndex() {
        return layerIndex;
    }

    /** A JSON pointer into the run spec, e.g. {@code /model/layers/3}. */
    public String pointer() {
        return pointer;
    }
}
