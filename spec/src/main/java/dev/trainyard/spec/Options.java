package dev.trainyard.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated arguments of a layer, loss, optimizer, scheduler or built-in model, with defaults filled in, in the
 * order the {@link Catalog} declares them. Values are {@link Integer}, {@link Double}, {@link Boolean},
 * {@link String}, {@code List<Integer>} or {@code List<Double>}; an optional argument without a default (e.g. a
 * layer's input size, inferred by the worker from the previous layer) is absent rather than null.
 */
public final class Options {
    private static final Options EMPTY = new Options(Map.of());
    private final Map<String, Object> values;

    private Options(Map<String, Object> values) {
        this.values = values;
    }

    public static Options empty() {
        return EMPTY;
    }

    /** Options from a map of plain values (copied; nulls are dropped). */
    public static Options of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            if (e.getValue() != null) {
                copy.put(e.getKey(), e.getValue() instanceof List<?> l ? List.copyOf(l) : e.getValue());
            }
        }
        return new Options(Collections.unmodifiableMap(copy));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value, or null if absent. */
    public Object get(String name) {
        return values.get(name);
    }

    public int getInt(String name) {
        return ((Number) require(name)).intValue();
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return String.valueOf(require(name));
    }

    public List<Integer> getInts(String name) {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) require(name)) {
            out.add(((Number) o).intValue());
        }
        return List.copyOf(out);
    }

    public List<Double> getDoubles(String name) {
        List<Double> out = new ArrayList<>();
        for (Object o : (List<?>) require(name)) {
            out.add(((Number) o).doubleValue());
        }
        return List.copyOf(out);
    }

    /** An argument given as one integer {@code k} or a pair {@code [h, w]}, as {@code {h, w}}. */
    public int[] getPair(String name) {
        Object v = require(name);
        if (v instanceof List<?> l) {
            return new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
        }
        int k = ((Number) v).intValue();
        return new int[] {k, k};
    }

    /** The values as a read-only map, in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("option '" + name + "' is not set (options: " + values.keySet() + ")");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
