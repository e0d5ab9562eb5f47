package dev.trainyard.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static dev.trainyard.engine.nn.NnFixtures.assertClose;
import static dev.trainyard.engine.nn.NnFixtures.assertKeys;
import static dev.trainyard.engine.nn.NnFixtures.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer and loss against PyTorch (fixtures from gen_nn_fixtures.py): the module is built from the case's
 * arguments, PyTorch's weights are loaded with a strict loadStateDict (so the state dict keys must be PyTorch's, in
 * PyTorch's order), and the output, the input (and target) gradient and the parameter gradients for the given
 * upstream gradient must match within 1e-5 relative. The repr must be PyTorch's too.
 */
class NnConformanceTest {

    @TestFactory
    Stream<DynamicTest> layers() {
        return NnFixtures.cases("layers.json").stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> run(c)));
    }

    @TestFactory
    Stream<DynamicTest> losses() {
        return NnFixtures.cases("losses.json").stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> run(c)));
    }

    private static void run(JsonNode c) {
        String name = c.get("name").asText();
        Module module = build(c.get("module").asText(), c.get("args"));
        assertEquals(c.get("repr").asText(), module.toString(), name + ": repr");
        assertKeys(name + ": state dict keys", keys(c.get("state")), module.stateDict().keySet());
        IncompatibleKeys result = module.loadStateDict(NnFixtures.stateDict(c.get("state")), true);
        assertTrue(result.isEmpty(), name + ": " + result);
        module.train(c.get("train").asBoolean());

        Tensor input = NnFixtures.tensor(c.get("input"));
        if (input.dtype().isFloatingPoint()) {
            input.requiresGrad_(true);
        }
        Tensor output;
        Tensor target = null;
        if (module instanceof Loss loss) {
            target = NnFixtures.tensor(c.get("target"));
            if (c.has("target_grad")) {
                target.requiresGrad_(true);
            }
            output = loss.call(input, target);
        } else {
            output = module.call(input);
        }
        assertClose(name + ": output", c.get("output"), output);

        output.backward(NnFixtures.tensor(c.get("grad_output")));
        if (c.get("input_grad").isNull()) {
            assertNull(input.grad(), name + ": input grad");
        } else {
            assertClose(name + ": input grad", c.get("input_grad"), input.grad());
        }
        if (c.has("target_grad")) {
            assertClose(name + ": target grad", c.get("target_grad"), target.grad());
        }
        Map<String, Tensor> grads = NnFixtures.grads(module);
        assertKeys(name + ": parameters", keys(c.get("param_grads")), grads.keySet());
        c.get("param_grads").properties().forEach(e -> assertClose(name + ": grad of " + e.getKey(), e.getValue(),
                grads.get(e.getKey())));
    }

    /** Builds the module a case names, with PyTorch's constructor arguments (snake_case keys, PyTorch defaults). */
    static Module build(String cls, JsonNode a) {
        return switch (cls) {
            case "Linear" -> new Linear(a.get("in_features").asInt(), a.get("out_features").asInt(), a.path("bias").asBoolean(true));
            case "Identity" -> new Identity();
            case "Flatten" -> new Flatten(a.path("start_dim").asInt(1), a.path("end_dim").asInt(-1));
            case "Unflatten" -> new Unflatten(a.get("dim").asInt(), ints(a.get("unflattened_size")));
            case "Dropout" -> new Dropout(a.path("p").asDouble(0.5));
            case "Embedding" -> new Embedding(a.get("num_embeddings").asInt(), a.get("embedding_dim").asInt(),
                    a.has("padding_idx") ? a.get("padding_idx").asInt() : null);
            case "ReLU" -> new ReLU();
            case "LeakyReLU" -> new LeakyReLU(a.path("negative_slope").asDouble(0.01));
            case "ELU" -> new ELU(a.path("alpha").asDouble(1.0));
            case "GELU" -> new GELU(a.path("approximate").asText("none"));
            case "SiLU" -> new SiLU();
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "Softmax" -> new Softmax(a.get("dim").asInt());
            case "LogSoftmax" -> new LogSoftmax(a.get("dim").asInt());
            case "Sequential" -> new Sequential(new Linear(6, 8), new ReLU(), new Dropout(0.5), new Linear(8, 3));
            case "MSELoss" -> new MSELoss(reduction(a));
            case "L1Loss" -> new L1Loss(reduction(a));
            case "SmoothL1Loss" -> new SmoothL1Loss(reduction(a), a.path("beta").asDouble(1.0));
            case "HuberLoss" -> new HuberLoss(reduction(a), a.path("delta").asDouble(1.0));
            case "CrossEntropyLoss" -> new CrossEntropyLoss(optTensor(a, "weight"), a.path("ignore_index").asInt(F.IGNORE_INDEX),
                    reduction(a), a.path("label_smoothing").asDouble(0.0));
            case "NLLLoss" -> new NLLLoss(optTensor(a, "weight"), a.path("ignore_index").asInt(F.IGNORE_INDEX), reduction(a));
            case "BCELoss" -> new BCELoss(optTensor(a, "weight"), reduction(a));
            case "BCEWithLogitsLoss" -> new BCEWithLogitsLoss(optTensor(a, "weight"), reduction(a), optTensor(a, "pos_weight"));
            case "KLDivLoss" -> new KLDivLoss(reduction(a), a.path("log_target").asBoolean(false));
            default -> throw new IllegalArgumentException("no builder for module " + cls);
        };
    }

    private static Reduction reduction(JsonNode a) {
        return Reduction.fromName(a.path("reduction").asText("mean"));
    }

    private static Tensor optTensor(JsonNode a, String key) {
        return a.has(key) ? NnFixtures.tensor(a.get(key)) : null;
    }

    private static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }

}
