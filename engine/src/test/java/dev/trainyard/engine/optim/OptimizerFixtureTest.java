package dev.trainyard.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Optimizer trajectories against PyTorch (fixtures/optim/optimizers.json): 20 steps with PyTorch's recorded gradients,
 * then a state-dict round trip in the middle of the run, and the state dict's layout against PyTorch's.
 *
 * <p>Tolerance: 1e-6 relative for float32 (plus 1e-7 absolute for elements that pass near zero), 1e-12 for float64.
 * The update loops reproduce PyTorch's rounding (fused multiply-adds where its AVX2 kernels fuse), so in practice the
 * trajectories agree bit for bit on this machine; the tolerance leaves room for PyTorch builds that round differently.
 */
class OptimizerFixtureTest {
    private static final JsonNode ROOT = OptimFixtures.load("optimizers.json");
    static final int RESUME_AT = 10;

    record Run(List<Tensor> params, Optimizer opt, DType dtype, int[][] shapes) {
    }

    static double rtol(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
    }

    static double atol(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-14 : 1e-7;
    }

    /** Builds params and optimizer as the case describes; with {@code bare}, only the group structure (options are left
     * to loadStateDict). */
    static Run build(JsonNode c, List<double[]> values, boolean bare) {
        DType dtype = DType.fromName(c.get("dtype").asText());
        JsonNode shapesNode = c.get("shapes");
        int[][] shapes = new int[shapesNode.size()][];
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = OptimFixtures.ints(shapesNode.get(i));
            Tensor p = values == null ? OptimFixtures.tensor(c.get("init").get(i), shapes[i], dtype)
                    : dtype == DType.FLOAT64 ? Tensor.of(values.get(i), shapes[i]) : Tensor.of(toFloats(values.get(i)), shapes[i]);
            params.add(p.requiresGrad_(true));
        }
        String type = c.get("optimizer").asText();
        double lr = bare ? 123.0 : c.get("lr").asDouble();
        JsonNode groupsNode = c.get("groups");
        Optimizer opt;
        if (groupsNode.isNull()) {
            opt = switch (type) {
                case "SGD" -> new SGD(params, lr);
                case "Adam" -> new Adam(params, lr);
                case "AdamW" -> new AdamW(params, lr);
                case "RMSprop" -> new RMSprop(params, lr);
                case "Adagrad" -> new Adagrad(params, lr);
                default -> throw new IllegalArgumentException(type);
            };
        } else {
            List<ParamGroup> groups = new ArrayList<>();
            for (JsonNode g : groupsNode) {
                List<Tensor> ps = new ArrayList<>();
                for (JsonNode idx : g.get("params")) {
                    ps.add(params.get(idx.asInt()));
                }
                ParamGroup group = ParamGroup.of(ps);
                if (!bare) {
                    for (Map.Entry<String, JsonNode> e : g.get("options").properties()) {
                        group.set(e.getKey(), value(e.getValue()));
                    }
                }
                groups.add(group);
            }
            opt = switch (type) {
                case "SGD" -> new SGD(groups, lr);
                case "Adam" -> new Adam(groups, lr);
                case "AdamW" -> new AdamW(groups, lr);
                case "RMSprop" -> new RMSprop(groups, lr);
                case "Adagrad" -> new Adagrad(groups, lr);
                default -> throw new IllegalArgumentException(type);
            };
        }
        if (!bare) {
            for (Map.Entry<String, JsonNode> e : c.get("defaults").properties()) {
                applyOption(opt, e.getKey(), e.getValue());
            }
        }
        return new Run(params, opt, dtype, shapes);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static Object value(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Double> list = new ArrayList<>();
            v.forEach(x -> list.add(x.asDouble()));
            return list;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        return v.asDouble();
    }

    /** Sets a constructor option through the optimizer's fluent setter. */
    static void applyOption(Optimizer opt, String key, JsonNode v) {
        switch (opt) {
            case SGD o -> {
                switch (key) {
                    case "momentum" -> o.momentum(v.asDouble());
                    case "dampening" -> o.dampening(v.asDouble());
                    case "weight_decay" -> o.weightDecay(v.asDouble());
                    case "nesterov" -> o.nesterov(v.asBoolean());
                    case "maximize" -> o.maximize(v.asBoolean());
                    default -> throw new IllegalArgumentException("SGD option " + key);
                }
            }
            case Adam o -> {
                switch (key) {
                    case "betas" -> o.betas(v.get(0).asDouble(), v.get(1).asDouble());
                    case "eps" -> o.eps(v.asDouble());
                    case "weight_decay" -> o.weightDecay(v.asDouble());
                    case "amsgrad" -> o.amsgrad(v.asBoolean());
                    case "maximize" -> o.maximize(v.asBoolean());
                    default -> throw new IllegalArgumentException("Adam option " + key);
                }
            }
            case AdamW o -> {
                switch (key) {
                    case "betas" -> o.betas(v.get(0).asDouble(), v.get(1).asDouble());
                    case "eps" -> o.eps(v.asDouble());
                    case "weight_decay" -> o.weightDecay(v.asDouble());
                    case "amsgrad" -> o.amsgrad(v.asBoolean());
                    case "maximize" -> o.maximize(v.asBoolean());
                    default -> throw new IllegalArgumentException("AdamW option " + key);
                }
            }
            case RMSprop o -> {
                switch (key) {
                    case "alpha" -> o.alpha(v.asDouble());
                    case "eps" -> o.eps(v.asDouble());
                    case "weight_decay" -> o.weightDecay(v.asDouble());
                    case "momentum" -> o.momentum(v.asDouble());
                    case "centered" -> o.centered(v.asBoolean());
                    case "maximize" -> o.maximize(v.asBoolean());
                    default -> throw new IllegalArgumentException("RMSprop option " + key);
                }
            }
            case Adagrad o -> {
                switch (key) {
                    case "lr_decay" -> o.lrDecay(v.asDouble());
                    case "weight_decay" -> o.weightDecay(v.asDouble());
                    case "initial_accumulator_value" -> o.initialAccumulatorValue(v.asDouble());
                    case "eps" -> o.eps(v.asDouble());
                    case "maximize" -> o.maximize(v.asBoolean());
                    default -> throw new IllegalArgumentException("Adagrad option " + key);
                }
            }
            default -> throw new IllegalArgumentException(opt.getClass().getName());
        }
    }

    /** Gives every parameter the step's recorded gradient (or none) and steps. */
    static void step(Run run, JsonNode step) {
        JsonNode grads = step.get("grads");
        for (int i = 0; i < run.params().size(); i++) {
            JsonNode g = grads.get(i);
            run.params().get(i).setGrad(g.isNull() ? null : OptimFixtures.tensor(g, run.shapes()[i], run.dtype()));
        }
        run.opt().step();
    }

    /** Null if every parameter matches the step's expected values. */
    static String check(Run run, JsonNode step, int k) {
        JsonNode expected = step.get("params");
        for (int i = 0; i < run.params().size(); i++) {
            String problem = OptimFixtures.compare("step " + (k + 1) + " param " + i, run.params().get(i).toDoubleArray(),
                    OptimFixtures.doubles(expected.get(i)), rtol(run.dtype()), atol(run.dtype()));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> trajectoryMatchesPyTorch() {
        return OptimFixtures.cases(ROOT).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Run run = build(c, null, false);
            JsonNode steps = c.get("steps");
            for (int k = 0; k < steps.size(); k++) {
                step(run, steps.get(k));
                String problem = check(run, steps.get(k), k);
                if (problem != null) {
                    fail(c.get("name").asText() + ": " + problem);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> stateDictResumeContinuesIdentically() {
        return OptimFixtures.cases(ROOT).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            JsonNode steps = c.get("steps");
            Run straight = build(c, null, false);
            for (int k = 0; k < RESUME_AT; k++) {
                step(straight, steps.get(k));
            }
            Map<String, Object> saved = straight.opt().stateDict();
            List<double[]> values = straight.params().stream().map(Tensor::toDoubleArray).toList();
            // a fresh optimizer with the same groups but none of the options: everything must come from the state dict
            Run resumed = build(c, values, true);
            resumed.opt().loadStateDict(saved);
            assertStateDictsEqual(saved, resumed.opt().stateDict());
            for (int k = RESUME_AT; k < steps.size(); k++) {
                step(straight, steps.get(k));
                step(resumed, steps.get(k));
                for (int i = 0; i < straight.params().size(); i++) {
                    double[] a = straight.params().get(i).toDoubleArray();
                    double[] b = resumed.params().get(i).toDoubleArray();
                    if (!Arrays.equals(a, b)) {
                        fail(OptimFixtures.compare("resumed run, step " + (k + 1) + " param " + i, b, a, 0, 0));
                    }
                }
                String problem = check(resumed, steps.get(k), k);
                if (problem != null) {
                    fail("resumed run: " + problem);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> stateDictHasPyTorchLayout() {
        return OptimFixtures.cases(ROOT).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Run run = build(c, null, false);
            c.get("steps").forEach(s -> step(run, s));
            Map<String, Object> sd = run.opt().stateDict();
            JsonNode expected = c.get("final_state");

            List<?> groups = (List<?>) sd.get("param_groups");
            JsonNode expectedGroups = expected.get("param_groups");
            assertEquals(expectedGroups.size(), groups.size(), "number of param groups");
            for (int g = 0; g < groups.size(); g++) {
                Map<?, ?> group = (Map<?, ?>) groups.get(g);
                JsonNode eg = expectedGroups.get(g);
                Set<String> expectedKeys = new HashSet<>();
                eg.fieldNames().forEachRemaining(expectedKeys::add);
                assertEquals(expectedKeys, new HashSet<>(group.keySet().stream().map(String::valueOf).toList()),
                        "param_groups[" + g + "] keys");
                for (String key : expectedKeys) {
                    Object actual = group.get(key);
                    Object want = value(eg.get(key));
                    if (key.equals("params")) {
                        want = ((List<?>) want).stream().map(x -> ((Double) x).intValue()).toList();
                    }
                    assertEquals(want, actual, "param_groups[" + g + "]['" + key + "']");
                }
            }

            Map<?, ?> state = (Map<?, ?>) sd.get("state");
            JsonNode expectedState = expected.get("state");
            Set<Integer> expectedIds = new HashSet<>();
            expectedState.fieldNames().forEachRemaining(k -> {
                if (!expectedState.get(k).isEmpty()) {
                    expectedIds.add(Integer.parseInt(k));
                }
            });
            assertEquals(expectedIds, state.keySet(), "state keys (parameter indices)");
            DType dtype = DType.fromName(c.get("dtype").asText());
            for (Integer id : expectedIds) {
                Map<?, ?> s = (Map<?, ?>) state.get(id);
                JsonNode es = expectedState.get(String.valueOf(id));
                Set<String> keys = new HashSet<>();
                es.fieldNames().forEachRemaining(keys::add);
                assertEquals(keys, s.keySet(), "state[" + id + "] keys");
                for (String key : keys) {
                    Tensor t = (Tensor) s.get(key);
                    JsonNode ev = es.get(key);
                    if (ev.isNumber()) {
                        assertEquals(0, t.dim(), "state[" + id + "]['" + key + "'] is a scalar");
                        assertEquals(ev.asDouble(), t.item(), "state[" + id + "]['" + key + "']");
                    } else {
                        String problem = OptimFixtures.compare("state[" + id + "]['" + key + "']", t.toDoubleArray(),
                                OptimFixtures.doubles(ev), rtol(dtype), atol(dtype));
                        assertTrue(problem == null, problem);
                        assertEquals(dtype, t.dtype());
                    }
                }
            }
        }));
    }

    /** Deep equality; tensors by dtype, shape and exact values. */
    static void assertStateDictsEqual(Object expected, Object actual) {
        assertStateDictsEqual("stateDict", expected, actual);
    }

    private static void assertStateDictsEqual(String path, Object expected, Object actual) {
        if (expected instanceof Tensor e) {
            assertTrue(actual instanceof Tensor, path + " is not a tensor: " + actual);
            Tensor a = (Tensor) actual;
            assertEquals(e.dtype(), a.dtype(), path + " dtype");
            assertEquals(Arrays.toString(e.shape()), Arrays.toString(a.shape()), path + " shape");
            assertTrue(Arrays.equals(e.toDoubleArray(), a.toDoubleArray()), path + " values differ");
        } else if (expected instanceof Map<?, ?> e) {
            assertTrue(actual instanceof Map<?, ?>, path + " is not a map: " + actual);
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(e.keySet(), a.keySet(), path + " keys");
            for (Object k : e.keySet()) {
                assertStateDictsEqual(path + "[" + k + "]", e.get(k), a.get(k));
            }
        } else if (expected instanceof List<?> e) {
            assertTrue(actual instanceof List<?>, path + " is not a list: " + actual);
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), path + " size");
            for (int i = 0; i < e.size(); i++) {
                assertStateDictsEqual(path + "[" + i + "]", e.get(i), a.get(i));
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
