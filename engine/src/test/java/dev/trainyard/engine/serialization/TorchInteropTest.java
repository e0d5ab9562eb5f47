package dev.trainyard.engine.serialization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.examples.FashionMnistModels;
import dev.trainyard.engine.nn.Module;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Weights cross between PyTorch and Trainyard both ways: PyTorch's safetensors (committed, from
 * engine/src/test/python/torch_interop.py) load into the Trainyard model and give PyTorch's outputs, and a Trainyard
 * checkpoint loads into the PyTorch model (run here with /usr/bin/python3 and Debian's python3-torch) and gives
 * Trainyard's outputs.
 */
class TorchInteropTest {
    private static final Path SCRIPT = Path.of("src/test/python/torch_interop.py");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void pyTorchWeightsGivePyTorchOutputs(String name) throws IOException {
        JsonNode expected = fixture(name + ".json");
        Module model = FashionMnistModels.byName(name);
        Map<String, Tensor> weights;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/interop/" + name + ".safetensors")) {
            weights = SafeTensors.read(in, name + ".safetensors").tensors();
        }
        model.loadStateDict(weights, true);
        model.eval();
        Tensor out;
        try (var g = Autograd.noGrad()) {
            out = model.call(input(expected));
        }
        assertClose(name, doubles(expected.get("output")), out.toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void trainyardCheckpointGivesTrainyardOutputsInPyTorch(String name) throws Exception {
        Tensor.manualSeed(7);
        Module model = FashionMnistModels.byName(name);
        model.eval();
        Path ckpt = dir.resolve(name + ".ckpt");
        Checkpoint.save(ckpt, Map.of("model", model.stateDict(), "epoch", 1L));

        Tensor x = Tensor.rand(3, 1, 28, 28);
        Path input = dir.resolve("input.json");
        new ObjectMapper().writeValue(input.toFile(), Map.of("input_shape", x.shape(), "input", x.toDoubleArray()));
        Tensor ours;
        try (var g = Autograd.noGrad()) {
            ours = model.call(x);
        }

        JsonNode torch = new ObjectMapper().readTree(runPython("check", name, ckpt.toString(), input.toString()));
        List<String> keys = new ArrayList<>();
        torch.get("keys").forEach(k -> keys.add(k.asText()));
        assertEquals(List.copyOf(model.stateDict().keySet()), keys, "PyTorch's state_dict keys");
        assertClose(name + " in PyTorch", torch.get("output"), ours);
    }

    private static String runPython(String... args) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            fail("this test needs /usr/bin/python3 with Debian's python3-torch (apt-get install python3-torch); .ci/run installs it");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        if (p.exitValue() != 0) {
            fail("PyTorch side failed (exit " + p.exitValue() + "); is python3-torch installed? stderr:\n" + err);
        }
        return out;
    }

    private JsonNode fixture(String file) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/interop/" + file)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static Tensor input(JsonNode spec) {
        int[] shape = new int[spec.get("input_shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = spec.get("input_shape").get(i).asInt();
        }
        double[] v = doubles(spec.get("input"));
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, shape);
    }

    private static double[] doubles(JsonNode n) {
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asDouble();
        }
        return v;
    }

    private static void assertClose(String what, JsonNode expected, Tensor actual) {
        assertClose(what, doubles(expected), actual.toDoubleArray());
    }

    private static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + " output size");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-5 + 1e-5 * Math.abs(expected[i])) {
                fail(what + ": output[" + i + "] expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
