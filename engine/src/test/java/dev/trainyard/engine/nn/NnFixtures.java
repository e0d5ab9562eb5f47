package dev.trainyard.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the PyTorch fixtures written by {@code engine/src/test/python/gen_nn_fixtures.py} (schema at the top of that
 * script) and compares engine tensors with them, describing the worst difference.
 */
final class NnFixtures {
    /** float32: 1e-5 relative, plus a tiny absolute floor for values near zero. */
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-6;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NnFixtures() {
    }

    static JsonNode load(String name) {
        String resource = "/fixtures/nn/" + name;
        try (InputStream in = NnFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + resource + " not found; regenerate with "
                        + "/usr/bin/python3 engine/src/test/python/gen_nn_fixtures.py");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static List<JsonNode> cases(String name) {
        List<JsonNode> out = new ArrayList<>();
        load(name).get("cases").forEach(out::add);
        return out;
    }

    static int[] shape(JsonNode t) {
        JsonNode s = t.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asInt();
        }
        return shape;
    }

    static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("bad float literal " + v);
            };
        }
        return v.asDouble();
    }

    /** A fresh tensor with the fixture's dtype, shape and data. */
    static Tensor tensor(JsonNode t) {
        JsonNode data = t.get("data");
        int[] shape = shape(t);
        DType dtype = DType.fromName(t.get("dtype").asText());
        if (dtype == DType.INT64) {
            long[] v = new long[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = data.get(i).asLong();
            }
            return Tensor.of(v, shape);
        }
        if (dtype != DType.FLOAT32) {
            throw new IllegalArgumentException("unexpected fixture dtype " + dtype);
        }
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) number(data.get(i));
        }
        return Tensor.of(v, shape);
    }

    /** A state dict from the fixture's {"key": TENSOR} object, in its order. */
    static LinkedHashMap<String, Tensor> stateDict(JsonNode state) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        state.properties().forEach(e -> out.put(e.getKey(), tensor(e.getValue())));
        return out;
    }

    static List<String> keys(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.properties().forEach(e -> out.add(e.getKey()));
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** Asserts {@code actual} matches the fixture tensor {@code expected}: shape, and values within tolerance. */
    static void assertClose(String what, JsonNode expected, Tensor actual) {
        assertClose(what, expected, actual, RTOL, ATOL);
    }

    static void assertClose(String what, JsonNode expected, Tensor actual, double rtol, double atol) {
        assertNotNull(actual, what + ": got null, expected a tensor of shape " + Arrays.toString(shape(expected)));
        assertArrayEquals(shape(expected), actual.shape(), what + ": shape");
        JsonNode data = expected.get("data");
        double[] got = actual.toDoubleArray();
        double worst = -1;
        int worstAt = -1;
        int bad = 0;
        for (int i = 0; i < got.length; i++) {
            double want = number(data.get(i));
            double have = got[i];
            boolean ok;
            if (Double.isNaN(want) || Double.isInfinite(want)) {
                ok = Double.compare(want, have) == 0;
            } else {
                ok = Math.abs(have - want) <= atol + rtol * Math.abs(want);
            }
            double rel = Double.isNaN(have) ? Double.POSITIVE_INFINITY
                    : Math.abs(have - want) / Math.max(Math.abs(want), atol / rtol);
            if (!ok) {
                bad++;
                if (rel > worst || worstAt < 0) {
                    worst = rel;
                    worstAt = i;
                }
            }
        }
        if (bad > 0) {
            int[] idx = unravel(worstAt, shape(expected));
            fail(String.format(Locale.ROOT, "%s: %d of %d values differ; max rel err %.3g at %s: got %s, PyTorch %s",
                    what, bad, got.length, worst, Arrays.toString(idx), got[worstAt], number(data.get(worstAt))));
        }
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }

    static void assertKeys(String what, List<String> expected, Iterable<String> actual) {
        List<String> got = new ArrayList<>();
        actual.forEach(got::add);
        assertEquals(expected, got, what);
    }

    static Map<String, Tensor> grads(Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> out.put(k, p.grad()));
        return out;
    }
}
