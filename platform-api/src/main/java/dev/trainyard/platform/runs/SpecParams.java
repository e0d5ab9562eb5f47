package dev.trainyard.platform.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's parameters captured from its spec, so that {@code param.optimizer.lr} filters and sorts work on every run
 * without copying values by hand: the spec (with its defaults written out) flattened to dotted keys
 * ({@code optimizer.lr}, {@code model.args.hidden}, {@code batchSize}). Numbers, strings and booleans keep their type;
 * an array becomes its compact JSON text with object keys sorted ({@code "[256,128]"}). A key or text a parameter
 * cannot hold (see {@link RunQuery#NAME}; at most 1000 characters of text) is left out, as are nulls and non-finite
 * numbers. Runs submitted before this on PostgreSQL got theirs from migration V16.
 */
final class SpecParams {

    static final int MAX_TEXT = 1000;
    private static final Pattern NAME = Pattern.compile(RunQuery.NAME);

    private SpecParams() {}

    /** The spec's parameters overlaid with the user's: a user-given value wins on the same key. */
    static Map<String, JsonNode> withUserParams(JsonNode spec, Map<String, JsonNode> userParams) {
        Map<String, JsonNode> params = flatten(spec);
        params.putAll(userParams);
        return params;
    }

    static Map<String, JsonNode> flatten(JsonNode spec) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (spec != null && spec.isObject()) {
            spec.properties().forEach(e -> add(e.getKey(), e.getValue(), out));
        }
        return out;
    }

    /**
     * Of a source run's parameters, those a clone inherits as user-given: the ones that differ from what its spec
     * gives (the rest were captured from the spec and are captured again from the clone's, changes included).
     */
    static Map<String, JsonNode> userGiven(Map<String, JsonNode> stored, JsonNode spec) {
        Map<String, JsonNode> captured = flatten(spec);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        stored.forEach((name, value) -> {
            if (!sameValue(captured.get(name), value)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /**
     * Object keys sorted, so that an array's text does not depend on how its objects were written (also the canonical
     * form of a request whose retries are recognised by its hash).
     */
    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            new TreeMap<>(node.properties().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .forEach((k, v) -> sorted.set(k, canonical(v)));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> array.add(canonical(v)));
            return array;
        }
        return node;
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        return a.equals(b);
    }

    private static void add(String key, JsonNode value, Map<String, JsonNode> out) {
        if (value.isObject()) {
            value.properties().forEach(e -> add(key + "." + e.getKey(), e.getValue(), out));
            return;
        }
        if (!NAME.matcher(key).matches()) {
            return;
        }
        if (value.isArray()) {
            String text = canonical(value).toString();
            if (text.length() <= MAX_TEXT) {
                out.put(key, JsonNodeFactory.instance.stringNode(text));
            }
        } else if (value.isNumber() && Double.isFinite(value.asDouble())
                || value.isBoolean()
                || value.isString() && value.stringValue().length() <= MAX_TEXT) {
            out.put(key, value);
        }
    }
}
