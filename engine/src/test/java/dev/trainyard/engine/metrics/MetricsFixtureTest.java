package dev.trainyard.engine.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Metrics against reference values from engine/src/test/python/gen_metrics_fixtures.py (torchmetrics' definitions,
 * computed with NumPy/PyTorch because neither torchmetrics nor scikit-learn is installed). Every case feeds several
 * batches, then checks that {@code compute()} is unchanged by a second call and that {@code reset()} plus the same
 * updates gives the same value. Tolerance 1e-6 relative (results are float32).
 */
class MetricsFixtureTest {
    private static final JsonNode ROOT = load();

    private static JsonNode load() {
        try (InputStream in = MetricsFixtureTest.class.getResourceAsStream("/fixtures/metrics/metrics.json")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture; run /usr/bin/python3 engine/src/test/python/gen_metrics_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tensor tensor(JsonNode t) {
        JsonNode shapeNode = t.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
        }
        JsonNode data = t.get("data");
        DType dtype = DType.fromName(t.get("dtype").asText());
        if (dtype.isFloatingPoint()) {
            float[] f = new float[data.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = data.get(i).isNull() ? Float.NaN : (float) data.get(i).asDouble();
            }
            return Tensor.of(f, shape);
        }
        long[] l = new long[data.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = data.get(i).asLong();
        }
        return Tensor.of(l, shape);
    }

    static Average average(JsonNode args) {
        return Average.valueOf(args.get("average").asText().toUpperCase(Locale.ROOT));
    }

    static Metric build(String metric, JsonNode a) {
        return switch (metric) {
            case "accuracy" -> new Accuracy(a.get("num_classes").asInt(), average(a), a.get("top_k").asInt());
            case "precision" -> new Precision(a.get("num_classes").asInt(), average(a), a.get("top_k").asInt());
            case "recall" -> new Recall(a.get("num_classes").asInt(), average(a), a.get("top_k").asInt());
            case "f1" -> new F1Score(a.get("num_classes").asInt(), average(a), a.get("top_k").asInt());
            case "confusion_matrix" -> new ConfusionMatrix(a.get("num_classes").asInt(),
                    ConfusionMatrix.Normalization.valueOf(a.get("normalize").asText().toUpperCase(Locale.ROOT)));
            case "auroc_binary" -> AUROC.binary();
            case "auroc_multiclass" -> AUROC.multiclass(a.get("num_classes").asInt(), average(a));
            case "average_precision" -> new AveragePrecision(a.get("num_labels").asInt(), average(a));
            case "mean_average_precision" -> new MeanAveragePrecision(a.get("num_labels").asInt());
            default -> throw new IllegalArgumentException(metric);
        };
    }

    @TestFactory
    Stream<DynamicTest> metricsMatchReferences() {
        List<JsonNode> cases = new ArrayList<>();
        ROOT.get("cases").forEach(cases::add);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Metric m = build(c.get("metric").asText(), c.get("args"));
            for (int round = 0; round < 2; round++) {
                for (JsonNode b : c.get("batches")) {
                    m.update(tensor(b.get("preds")), tensor(b.get("target")));
                }
                check(c, m.compute());
                check(c, m.compute());
                m.reset();
            }
        }));
    }

    private static void check(JsonNode c, Tensor actual) {
        Tensor expected = tensor(c.get("expected"));
        String name = c.get("name").asText();
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        assertEquals(expected.dtype(), actual.dtype(), name + " dtype");
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(a[i] - e[i]) <= 1e-6 * Math.abs(e[i]) + 1e-7;
            if (!ok) {
                fail(name + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (got " + Arrays.toString(a)
                        + ", expected " + Arrays.toString(e) + ")");
            }
        }
    }
}
