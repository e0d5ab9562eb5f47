package dev.trainyard.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the PyTorch reference fixtures written by {@code engine/src/test/python/gen_fixtures.py} (the schema is
 * documented at the top of that script) and turns their tensors into engine tensors.
 */
final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    /** A fixture tensor: dtype, shape and row-major data (a JSON array). */
    record TensorData(DType dtype, int[] shape, JsonNode data, Boolean contiguous) {
        int numel() {
            return data.size();
        }
    }

    /**
     * An op input: a base tensor, whether it requires grad, and the chain of view ops applied to it; or, with
     * {@code sameAs} set (and {@code base} null), the leaf of an earlier input used again.
     */
    record Input(TensorData base, Integer sameAs, boolean requiresGrad, List<ViewStep> view, Boolean viewContiguous) {
    }

    record ViewStep(String op, Args args) {
    }

    record Tol(double rtol, double atol) {
    }

    record Case(String family, String name, String op, Args args, List<Input> inputs, List<TensorData> outputs,
                List<TensorData> gradOutputs, List<TensorData> grads, Tol tol, boolean checkContiguous,
                boolean unordered, String error) {
        boolean hasGrads() {
            return grads != null && gradOutputs != null;
        }
    }

    record FixtureFile(String family, String torchVersion, List<Case> cases) {
    }

    static FixtureFile load(String family) {
        String resource = "/fixtures/" + family + ".json";
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + resource + " not found on the test classpath; "
                        + "regenerate with /usr/bin/python3 engine/src/test/python/gen_fixtures.py");
            }
            JsonNode root = MAPPER.readTree(in);
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(parseCase(family, c));
            }
            return new FixtureFile(root.path("family").asText(family), root.path("torch_version").asText("?"), cases);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Case parseCase(String family, JsonNode c) {
        List<Input> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            List<ViewStep> view = new ArrayList<>();
            for (JsonNode step : in.path("view")) {
                view.add(new ViewStep(step.get("op").asText(), new Args(step.get("args"))));
            }
            Boolean viewContiguous = in.has("view_contiguous") ? in.get("view_contiguous").asBoolean() : null;
            Integer sameAs = in.has("same_as") ? in.get("same_as").asInt() : null;
            inputs.add(new Input(sameAs == null ? tensorData(in) : null, sameAs, in.path("requires_grad").asBoolean(false),
                    view, viewContiguous));
        }
        Tol tol = null;
        if (c.has("tol")) {
            tol = new Tol(c.get("tol").get("rtol").asDouble(), c.get("tol").get("atol").asDouble());
        }
        return new Case(family, c.get("name").asText(), c.get("op").asText(), new Args(c.get("args")), inputs,
                tensorList(c.get("outputs")), tensorList(c.get("grad_outputs")), tensorList(c.get("grads")), tol,
                c.path("check_contiguous").asBoolean(false), c.path("unordered").asBoolean(false),
                c.has("error") ? c.get("error").asText() : null);
    }

    /** A list whose entries may be null (JSON null = no tensor); null if the key is absent. */
    private static List<TensorData> tensorList(JsonNode arr) {
        if (arr == null || arr.isNull() || arr.isMissingNode()) {
            return null;
        }
        List<TensorData> out = new ArrayList<>();
        for (JsonNode t : arr) {
            out.add(t.isNull() ? null : tensorData(t));
        }
        return out;
    }

    private static TensorData tensorData(JsonNode t) {
        JsonNode s = t.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asInt();
        }
        Boolean contiguous = t.has("contiguous") ? t.get("contiguous").asBoolean() : null;
        return new TensorData(DType.fromName(t.get("dtype").asText()), shape, t.get("data"), contiguous);
    }

    // ------------------------------------------------------------------ values

    /** A float value: a JSON number or one of the strings NaN, Infinity, -Infinity. */
    static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("bad float literal '" + v.asText() + "'");
            };
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? 1 : 0;
        }
        return v.asDouble();
    }

    static double[] doubles(TensorData t) {
        double[] out = new double[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(t.data().get(i));
        }
        return out;
    }

    static long[] longs(TensorData t) {
        long[] out = new long[t.numel()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = t.data().get(i);
            out[i] = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asLong();
        }
        return out;
    }

    static boolean[] booleans(TensorData t) {
        boolean[] out = new boolean[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data().get(i).asBoolean();
        }
        return out;
    }

    /** A fresh engine tensor holding the fixture's data (contiguous, no grad). */
    static Tensor toTensor(TensorData t) {
        int[] shape = t.shape();
        return switch (t.dtype()) {
            case FLOAT32 -> {
                double[] d = doubles(t);
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                yield Tensor.of(f, shape);
            }
            case FLOAT64 -> Tensor.of(doubles(t), shape);
            case INT64 -> Tensor.of(longs(t), shape);
            case INT32 -> {
                long[] l = longs(t);
                int[] v = new int[l.length];
                for (int i = 0; i < l.length; i++) {
                    v[i] = (int) l[i];
                }
                yield Tensor.of(v, shape);
            }
            case UINT8 -> {
                long[] l = longs(t);
                byte[] v = new byte[l.length];
                for (int i = 0; i < l.length; i++) {
                    v[i] = (byte) l[i];
                }
                yield Tensor.ofUint8(v, shape);
            }
            case BOOL -> Tensor.of(booleans(t), shape);
        };
    }
}
