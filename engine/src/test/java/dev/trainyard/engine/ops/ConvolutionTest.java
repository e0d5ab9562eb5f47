package dev.trainyard.engine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Autograd;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Convolution and pooling against PyTorch (fixtures from engine/src/test/python/gen_conv_fixtures.py). */
class ConvolutionTest {

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/conv/conv.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
        }
        return tests.stream();
    }

    private static void check(JsonNode c) {
        String name = c.get("name").asText();
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            inputs.add(in.isNull() ? null : tensor(in).requiresGrad_(true));
        }
        JsonNode a = c.get("args");
        Tensor x = inputs.get(0);
        Tensor out;
        switch (c.get("op").asText()) {
            case "conv2d" -> out = Convolution.conv2d(x, inputs.get(1), inputs.get(2), ints(a, "stride"), ints(a, "padding"),
                    ints(a, "dilation"), a.get("groups").asInt());
            case "conv1d" -> out = Convolution.conv1d(x, inputs.get(1), inputs.get(2), a.get("stride").asInt(),
                    a.get("padding").asInt(), a.get("dilation").asInt(), a.get("groups").asInt());
            case "convTranspose2d" -> out = Convolution.convTranspose2d(x, inputs.get(1), inputs.get(2), ints(a, "stride"),
                    ints(a, "padding"), ints(a, "output_padding"), a.get("groups").asInt(), ints(a, "dilation"));
            case "maxPool2d" -> {
                ValuesIndices vi = Convolution.maxPool2dWithIndices(x, ints(a, "kernel"), ints(a, "stride"), ints(a, "padding"),
                        ints(a, "dilation"), a.get("ceil_mode").asBoolean());
                out = vi.values();
                assertArrayEquals(tensor(c.get("indices")).toLongArray(), vi.indices().toLongArray(), name + " indices");
            }
            case "avgPool2d" -> out = Convolution.avgPool2d(x, ints(a, "kernel"), ints(a, "stride"), ints(a, "padding"),
                    a.get("ceil_mode").asBoolean(), a.get("count_include_pad").asBoolean(), a.get("divisor_override").asInt());
            case "adaptiveAvgPool2d" -> {
                int[] size = ints(a, "output_size");
                out = Convolution.adaptiveAvgPool2d(x, size[0], size[1]);
            }
            default -> throw new IllegalArgumentException(c.get("op").asText());
        }
        assertClose(name + " output", tensor(c.get("output")), out);
        List<Tensor> wrt = inputs.stream().filter(t -> t != null).toList();
        List<Tensor> grads = Autograd.grad(List.of(out), wrt, List.of(tensor(c.get("grad_output"))));
        for (int i = 0; i < wrt.size(); i++) {
            assertClose(name + " grad[" + i + "]", tensor(c.get("grads").get(i)), grads.get(i));
        }
    }

    @Test
    void rejectsMismatchedChannelsWithShapesInTheMessage() {
        Tensor x = Tensor.zeros(1, 3, 8, 8);
        Tensor w = Tensor.zeros(4, 2, 3, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Convolution.conv2d(x, w, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1));
        assertTrue(e.getMessage().contains("[4, 2, 3, 3]") && e.getMessage().contains("3 channels"), e.getMessage());
    }

    @Test
    void rejectsInputSmallerThanKernel() {
        var e = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 1, 2, 2),
                Tensor.zeros(1, 1, 3, 3), null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    private static int[] ints(JsonNode args, String key) {
        JsonNode n = args.get(key);
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    static Tensor tensor(JsonNode n) {
        int[] shape = new int[n.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asInt();
        }
        JsonNode data = n.get("data");
        DType dtype = DType.fromName(n.get("dtype").asText());
        if (dtype == DType.INT64) {
            long[] v = new long[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = data.get(i).asLong();
            }
            return Tensor.of(v, shape);
        }
        double[] v = new double[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i).asDouble();
        }
        return Tensor.of(v, shape).to(dtype);
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        boolean f64 = expected.dtype() == DType.FLOAT64;
        double rtol = f64 ? 1e-10 : 1e-5;
        double atol = f64 ? 1e-10 : 1e-5;
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]) - rtol * Math.abs(e[i]);
            if (err > atol && err > worst) {
                worst = err;
                at = i;
            }
        }
        if (at >= 0) {
            fail(what + ": max error " + worst + " beyond tolerance at flat index " + at + ": expected " + e[at] + ", got " + a[at]
                    + " (expected " + Arrays.toString(Arrays.copyOf(e, Math.min(8, e.length))) + "...)");
        }
    }
}
