package dev.trainyard.engine.nn.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.nn.Module;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the layer fixtures written by {@code engine/src/test/python/gen_layer_fixtures.py} (schema at the top of that
 * script): builds the layer from the case's config, checks that its state dict has PyTorch's keys in PyTorch's order,
 * shapes and dtypes, loads PyTorch's weights with {@code loadStateDict}, runs the forward and compares the outputs,
 * the gradients of every float input and parameter for the recorded upstream gradient, and the state dict after the
 * forward (batch norm's running statistics).
 */
final class LayerFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** float32 tolerance: |actual - expected| <= RTOL * |expected| + ATOL. */
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-5;

    private LayerFixtures() {
    }

    /** One fixture case. Maps keep the fixture's order. */
    record Case(String name, String module, JsonNode config, boolean train, JsonNode call,
                LinkedHashMap<String, Tensor> stateDict, LinkedHashMap<String, Tensor> inputs, List<Tensor> outputs,
                List<Tensor> gradOutputs, LinkedHashMap<String, Tensor> inputGrads, LinkedHashMap<String, Tensor> paramGrads,
                LinkedHashMap<String, Tensor> stateAfter) {

        /** A config value as an int pair (a JSON list of two, or one int for both). */
        int[] pair(String key) {
            JsonNode n = config.get(key);
            if (n.isArray()) {
                int[] out = new int[n.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = n.get(i).asInt();
                }
                return out;
            }
            return new int[] {n.asInt(), n.asInt()};
        }

        int[] ints(String key) {
            return pair(key);
        }

        int integer(String key) {
            return config.get(key).asInt();
        }

        Integer optionalInt(String key) {
            JsonNode n = config.get(key);
            return n == null || n.isNull() ? null : n.asInt();
        }

        double number(String key) {
            return config.get(key).asDouble();
        }

        Double optionalNumber(String key) {
            JsonNode n = config.get(key);
            return n == null || n.isNull() ? null : n.asDouble();
        }

        boolean flag(String key) {
            return config.get(key).asBoolean();
        }

        String text(String key) {
            return config.get(key).asText();
        }

        boolean isText(String key) {
            return config.get(key).isTextual();
        }

        boolean callFlag(String key) {
            return call.get(key).asBoolean();
        }

        /** An input by name, or null if the case has none of that name. */
        Tensor input(String name) {
            return inputs.get(name);
        }
    }

    static List<Case> load(String family) {
        String resource = "/fixtures/layers/" + family + ".json";
        try (InputStream in = LayerFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + resource + " not found on the test classpath; regenerate with "
                        + "/usr/bin/python3 engine/src/test/python/gen_layer_fixtures.py");
            }
            JsonNode root = MAPPER.readTree(in);
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(new Case(c.get("name").asText(), c.get("module").asText(), c.get("config"), c.get("train").asBoolean(),
                        c.get("call"), named(c.get("state_dict")), named(c.get("inputs")), list(c.get("outputs")),
                        list(c.get("grad_outputs")), named(c.get("input_grads")), named(c.get("param_grads")),
                        c.has("state_after") ? named(c.get("state_after")) : null));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * One dynamic test per case of {@code family}: {@code build} makes the layer from the case's config and
     * {@code forward} runs it on the case's inputs (already marked as requiring grad), returning its outputs in the
     * fixture's order (null for an absent output).
     */
    static List<DynamicTest> tests(String family, Function<Case, Module> build,
                                   BiFunction<Module, Case, List<Tensor>> forward) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : load(family)) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c, build, forward)));
        }
        return tests;
    }

    static void check(Case c, Function<Case, Module> build, BiFunction<Module, Case, List<Tensor>> forward) {
        Module module = build.apply(c);
        checkStateDictLayout(c.name(), c.stateDict(), module.stateDict());
        module.loadStateDict(c.stateDict());
        module.train(c.train());

        LinkedHashMap<String, Tensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.inputs().entrySet()) {
            Tensor t = e.getValue();
            inputs.put(e.getKey(), c.inputGrads().containsKey(e.getKey()) ? t.detach().clone().requiresGrad_(true) : t);
        }
        Case run = new Case(c.name(), c.module(), c.config(), c.train(), c.call(), c.stateDict(), inputs, c.outputs(),
                c.gradOutputs(), c.inputGrads(), c.paramGrads(), c.stateAfter());
        List<Tensor> outputs = forward.apply(module, run);
        assertEquals(c.outputs().size(), outputs.size(), c.name() + ": number of outputs");
        for (int i = 0; i < outputs.size(); i++) {
            Tensor expected = c.outputs().get(i);
            if (expected == null) {
                assertNull(outputs.get(i), c.name() + " output[" + i + "] should be absent");
            } else {
                assertNotNull(outputs.get(i), c.name() + " output[" + i + "] is missing");
                assertClose(c.name() + " output[" + i + "]", expected, outputs.get(i));
            }
        }

        List<Tensor> diffOutputs = new ArrayList<>();
        List<Tensor> upstream = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            if (c.gradOutputs().get(i) != null && outputs.get(i).requiresGrad()) {
                diffOutputs.add(outputs.get(i));
                upstream.add(c.gradOutputs().get(i));
            }
        }
        List<String> names = new ArrayList<>();
        List<Tensor> wrt = new ArrayList<>();
        for (String k : c.inputGrads().keySet()) {
            names.add("grad of input " + k);
            wrt.add(inputs.get(k));
        }
        LinkedHashMap<String, Tensor> params = module.namedParameters();
        assertEquals(new ArrayList<>(c.paramGrads().keySet()), new ArrayList<>(params.keySet()), c.name() + ": parameter names");
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            names.add("grad of " + e.getKey());
            wrt.add(e.getValue());
        }
        List<Tensor> expectedGrads = new ArrayList<>(c.inputGrads().values());
        expectedGrads.addAll(c.paramGrads().values());
        if (!wrt.isEmpty()) {
            List<Tensor> grads = Autograd.grad(diffOutputs, wrt, upstream, false, false, true);
            for (int i = 0; i < wrt.size(); i++) {
                Tensor g = grads.get(i) == null ? Tensor.zerosLike(wrt.get(i)) : grads.get(i);
                assertClose(c.name() + " " + names.get(i), expectedGrads.get(i), g);
            }
        }

        if (c.stateAfter() != null) {
            LinkedHashMap<String, Tensor> after = module.stateDict();
            assertEquals(new ArrayList<>(c.stateAfter().keySet()), new ArrayList<>(after.keySet()), c.name() + ": state dict keys after forward");
            for (Map.Entry<String, Tensor> e : c.stateAfter().entrySet()) {
                assertClose(c.name() + " state after forward: " + e.getKey(), e.getValue(), after.get(e.getKey()));
            }
        }
    }

    /** The module's state dict has PyTorch's keys, in PyTorch's order, with PyTorch's shapes and dtypes. */
    static void checkStateDictLayout(String what, Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), what + ": state dict keys (in order)");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), a.shape(), what + ": shape of " + e.getKey());
            assertEquals(e.getValue().dtype(), a.dtype(), what + ": dtype of " + e.getKey());
        }
    }

    // ------------------------------------------------------------------ tensors and comparison

    static Tensor tensor(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        int[] shape = new int[n.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asInt();
        }
        JsonNode data = n.get("data");
        DType dtype = DType.fromName(n.get("dtype").asText());
        switch (dtype) {
            case INT64 -> {
                long[] v = new long[data.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.get(i).asLong();
                }
                return Tensor.of(v, shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[data.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.get(i).asBoolean();
                }
                return Tensor.of(v, shape);
            }
            case FLOAT32 -> {
                float[] v = new float[data.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) number(data.get(i));
                }
                return Tensor.of(v, shape);
            }
            default -> throw new IllegalArgumentException("unexpected fixture dtype " + dtype);
        }
    }

    private static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Float.parseFloat(v.asText());
            };
        }
        return Float.parseFloat(v.asText());
    }

    private static LinkedHashMap<String, Tensor> named(JsonNode pairs) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode p : pairs) {
            out.put(p.get(0).asText(), tensor(p.get(1)));
        }
        return out;
    }

    private static List<Tensor> list(JsonNode arr) {
        List<Tensor> out = new ArrayList<>();
        for (JsonNode t : arr) {
            out.add(tensor(t));
        }
        return out;
    }

    /** Same shape, same dtype, and values within {@link #RTOL}/{@link #ATOL} (exactly equal for integer and bool tensors). */
    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, RTOL, ATOL);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape()) + " instead of "
                + Arrays.toString(expected.shape()));
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        if (!expected.dtype().isFloatingPoint()) {
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what + ": values");
            return;
        }
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        int worstAt = -1;
        double worstRel = 0;
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : Double.isInfinite(e[i]) ? e[i] == a[i]
                    : Math.abs(a[i] - e[i]) <= rtol * Math.abs(e[i]) + atol;
            if (!ok) {
                double rel = Math.abs(a[i] - e[i]) / Math.max(Math.abs(e[i]), 1e-30);
                if (worstAt < 0 || rel > worstRel || Double.isNaN(rel)) {
                    worstAt = i;
                    worstRel = rel;
                }
            }
        }
        if (worstAt >= 0) {
            fail(what + ": max rel err " + String.format("%.3g", worstRel) + " at " + Arrays.toString(unravel(worstAt, expected.shape()))
                    + ": expected " + e[worstAt] + ", got " + a[worstAt] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % Math.max(shape[d], 1);
            flat /= Math.max(shape[d], 1);
        }
        return idx;
    }
}
