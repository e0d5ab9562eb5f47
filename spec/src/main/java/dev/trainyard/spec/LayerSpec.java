package dev.trainyard.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layer of a {@link ModelSpec}: a type from {@link Catalog#layers()} and its arguments, defaults filled in;
 * arguments the worker infers from the previous layer's output (e.g. {@code inFeatures}) are absent unless given.
 */
public record LayerSpec(String type, Options args) {

    /**
     * A layer built in code (e.g. a built-in model's expansion), with the catalog's defaults filled in; the values are
     * taken as given (Integer, Double, Boolean, String or lists of them), so this checks names, not ranges.
     */
    public static LayerSpec of(String type, Map<String, ?> args) {
        ComponentType t = Catalog.layers().get(type);
        if (t == null) {
            throw new IllegalArgumentException("unknown layer type '" + type + "'; expected one of " + Catalog.layers().keySet());
        }
        for (String name : args.keySet()) {
            if (t.param(name) == null) {
                throw new IllegalArgumentException("layer type '" + type + "' has no argument '" + name + "'; it has "
                        + t.paramNames());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : t.params()) {
            Object v = args.containsKey(p.name()) ? args.get(p.name()) : p.defaultValue();
            if (v == null && p.required()) {
                throw new IllegalArgumentException("layer type '" + type + "' needs argument '" + p.name() + "'");
            }
            if (v != null) {
                values.put(p.name(), v);
            }
        }
        return new LayerSpec(type, Options.of(values));
    }
}
