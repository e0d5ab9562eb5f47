package dev.trainyard.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the fixtures written by engine/src/test/python/gen_optim_fixtures.py and compares trajectories. */
final class OptimFixtures {
    private OptimFixtures() {
    }

    static JsonNode load(String name) {
        String path = "/fixtures/optim/" + name;
        try (InputStream in = OptimFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path + "; run /usr/bin/python3 engine/src/test/python/gen_optim_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        root.get("cases").forEach(out::add);
        return out;
    }

    static int[] ints(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    static double[] doubles(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    /** A tensor of {@code dtype} with the fixture's values (float32 values round-trip exactly through double). */
    static Tensor tensor(JsonNode values, int[] shape, DType dtype) {
        double[] d = doubles(values);
        if (dtype == DType.FLOAT64) {
            return Tensor.of(d, shape);
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return Tensor.of(f, shape);
    }

    /**
     * Null if every value of {@code actual} is within {@code atol + rtol * |expected|}, else a message naming the worst
     * element.
     */
    static String compare(String what, double[] actual, double[] expected, double rtol, double atol) {
        if (actual.length != expected.length) {
            return what + ": " + actual.length + " values, expected " + expected.length;
        }
        int worst = -1;
        double worstRatio = 1;
        int bad = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!(err <= allowed)) {
                bad++;
                double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / allowed;
                if (worst < 0 || ratio > worstRatio) {
                    worst = i;
                    worstRatio = ratio;
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%s max rel err %.2e at [%d] (got %s, expected %s; %d of %d values off, rtol %.0e atol %.0e)",
                what, Math.abs(actual[worst] - expected[worst]) / Math.max(Math.abs(expected[worst]), Double.MIN_NORMAL), worst,
                actual[worst], expected[worst], bad, actual.length, rtol, atol);
    }
}
