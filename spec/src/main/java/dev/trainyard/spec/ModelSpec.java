package dev.trainyard.spec;

import java.util.List;

/**
 * The network: either an explicit list of layers run in sequence, or a built-in model with arguments. Exactly one of
 * {@link #layers} and {@link #builtin} is set.
 *
 * @param layers  the layers, first to last (null for a built-in)
 * @param builtin {@code mlp} or {@code cnn} (null for a layer list)
 * @param args    the built-in's arguments, defaults filled in (empty for a layer list)
 */
public record ModelSpec(List<LayerSpec> layers, String builtin, Options args) {
    public ModelSpec {
        layers = layers == null ? null : List.copyOf(layers);
        args = args == null ? Options.empty() : args;
    }

    public static ModelSpec ofLayers(List<LayerSpec> layers) {
        return new ModelSpec(layers, null, Options.empty());
    }

    public static ModelSpec ofBuiltin(String builtin, Options args) {
        return new ModelSpec(null, builtin, args);
    }

    public boolean isBuiltin() {
        return builtin != null;
    }
}
