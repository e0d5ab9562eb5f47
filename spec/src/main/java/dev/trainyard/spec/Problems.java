package dev.trainyard.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects {@link SpecProblem}s while a spec is read; helpers for pointers and for quoting rejected values. */
final class Problems {
    private final List<SpecProblem> list = new ArrayList<>();

    void add(String pointer, String message, JsonNode rejected) {
        list.add(new SpecProblem(pointer, message, plain(rejected)));
    }

    void add(String pointer, String message, Object rejected) {
        list.add(new SpecProblem(pointer, message, rejected));
    }

    List<SpecProblem> list() {
        return List.copyOf(list);
    }

    int size() {
        return list.size();
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** The pointer of member {@code name} of the value at {@code parent} (RFC 6901 escaping). */
    static String child(String parent, String name) {
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String child(String parent, int index) {
        return parent + "/" + index;
    }

    /** A JSON value as plain Java: String, Integer/Long/Double, Boolean, List, Map, or null. */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isInt()) {
            return n.asInt();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.asLong() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(plain(e)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), plain(e.getValue())));
        return out;
    }

    /** How a rejected value is quoted in a message: {@code 'conv3d'}, {@code -0.1}, {@code [3, 3, 3]}, {@code an object}. */
    static String show(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isTextual()) {
            return "'" + n.asText() + "'";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            String s = n.toString().replace(",", ", ");
            return s.length() > 60 ? "a list of " + n.size() : s;
        }
        return n.asText();
    }
}
