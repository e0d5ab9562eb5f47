package dev.trainyard.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Typed access to a fixture case's {@code args} object. */
final class Args {

    private final JsonNode node;

    Args(JsonNode node) {
        this.node = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    }

    boolean has(String key) {
        return node.has(key);
    }

    int i(String key) {
        return require(key).asInt();
    }

    boolean b(String key) {
        return require(key).asBoolean();
    }

    /** A float argument; NaN and the infinities are written as strings. */
    double d(String key) {
        return Fixtures.number(require(key));
    }

    String s(String key) {
        return require(key).asText();
    }

    int[] ints(String key) {
        JsonNode arr = require(key);
        int[] out = new int[arr.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = arr.get(k).asInt();
        }
        return out;
    }

    /** True if the case passes a Python scalar instead of a second tensor. */
    boolean hasScalar() {
        return node.has("scalar");
    }

    /** True if the scalar is a Python float (the engine's double overload), false for a Python int (long overload). */
    boolean scalarIsFloat() {
        return "float".equals(s("scalar_type"));
    }

    double scalarDouble() {
        return d("scalar");
    }

    long scalarLong() {
        return require("scalar").asLong();
    }

    private JsonNode require(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw new IllegalArgumentException("fixture args " + node + " have no '" + key + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
