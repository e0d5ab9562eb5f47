package dev.trainyard.worker.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one map of a loaded checkpoint's state: each fails with {@link CheckpointFormatException} naming
 * the checkpoint, the field's path and what it expected, instead of a ClassCastException.
 */
final class CheckpointFields {
    private final String source;
    private final String path;
    private final Map<?, ?> map;

    CheckpointFields(String source, String path, Map<?, ?> map) {
        this.source = source;
        this.path = path;
        this.map = map;
    }

    /** Thrown for a checkpoint whose state lacks a field or holds one of another type. */
    static final class CheckpointFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CheckpointFormatException(String message) {
            super(message);
        }
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private CheckpointFormatException wrong(String key, String expected) {
        Object v = map.get(key);
        return new CheckpointFormatException(source + ": not a checkpoint of this trainer: " + at(key) + " is "
                + (v == null ? "missing" : "a " + v.getClass().getSimpleName()) + ", expected " + expected);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    private Number number(String key) {
        if (map.get(key) instanceof Number n) {
            return n;
        }
        throw wrong(key, "a number");
    }

    long longValue(String key) {
        return number(key).longValue();
    }

    int intValue(String key) {
        return number(key).intValue();
    }

    double doubleValue(String key) {
        return number(key).doubleValue();
    }

    String string(String key) {
        if (map.get(key) instanceof String s) {
            return s;
        }
        throw wrong(key, "text");
    }

    String optionalString(String key) {
        return has(key) ? string(key) : null;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        String name = string(key);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw wrong(key, "one of " + List.of(type.getEnumConstants()));
        }
    }

    byte[] bytes(String key) {
        if (map.get(key) instanceof byte[] b) {
            return b;
        }
        throw wrong(key, "bytes");
    }

    CheckpointFields object(String key) {
        if (map.get(key) instanceof Map<?, ?> m) {
            return new CheckpointFields(source, at(key), m);
        }
        throw wrong(key, "an object");
    }

    /** The map under {@code key} as it was saved, for a component that reads its own state dict. */
    @SuppressWarnings("unchecked")
    Map<String, Object> stateDict(String key) {
        if (map.get(key) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw wrong(key, "an object");
    }

    List<CheckpointFields> objects(String key) {
        if (!(map.get(key) instanceof List<?> list)) {
            throw wrong(key, "a list");
        }
        List<CheckpointFields> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String item = at(key) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new CheckpointFormatException(source + ": not a checkpoint of this trainer: " + item + " is "
                        + (list.get(i) == null ? "null" : "a " + list.get(i).getClass().getSimpleName())
                        + ", expected an object");
            }
            items.add(new CheckpointFields(source, item, m));
        }
        return items;
    }

    /** A map of metric name to number. */
    Map<String, Double> doubles(String key) {
        CheckpointFields m = object(key);
        Map<String, Double> out = new LinkedHashMap<>();
        m.map.keySet().forEach(k -> out.put(String.valueOf(k), m.doubleValue(String.valueOf(k))));
        return out;
    }
}
