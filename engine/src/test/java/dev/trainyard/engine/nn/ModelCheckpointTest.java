package dev.trainyard.engine.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.trainyard.engine.nn.NnFixtures.assertClose;
import static dev.trainyard.engine.nn.NnFixtures.assertKeys;
import static dev.trainyard.engine.nn.NnFixtures.keys;
import static dev.trainyard.engine.nn.NnFixtures.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A nested model written the PyTorch way (fixture model.json): an encoder with an Embedding and a ModuleList of
 * blocks holding persistent and non-persistent buffers, a Sequential head, a ModuleDict and a loss with a weight
 * buffer. Its names, state dict keys (and their order), repr, and a forward/backward with PyTorch's weights must all
 * be PyTorch's.
 */
class ModelCheckpointTest {
    static final JsonNode FIXTURE = NnFixtures.load("model.json");

    static final class Block extends Module {
        final Linear linear1 = registerModule("linear1", new Linear(4, 8));
        final GELU act = registerModule("act", new GELU());
        final Linear linear2 = registerModule("linear2", new Linear(8, 4, false));

        Block() {
            registerBuffer("scale", Tensor.full(new int[] {4}, 0.5));
            registerBuffer("cache", Tensor.zeros(2), false);
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.add(linear2.call(act.call(linear1.call(x))).mul(buffer("scale")));
        }
    }

    static final class Encoder extends Module {
        final Embedding embed = registerModule("embed", new Embedding(10, 4, 0));
        final ModuleList layers = registerModule("layers", new ModuleList(new Block(), new Block()));

        @Override
        public Tensor forward(Tensor idx) {
            Tensor x = embed.call(idx);
            for (Module layer : layers) {
                x = layer.call(x);
            }
            return x.mean(1);
        }
    }

    static final class Net extends Module {
        final Encoder encoder = registerModule("encoder", new Encoder());
        final Sequential head = registerModule("head", new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.1), new Linear(16, 3)));
        final ModuleDict heads = registerModule("heads", new ModuleDict().put("cls", new Linear(4, 2)).put("reg", new Identity()));
        final CrossEntropyLoss loss = registerModule("loss", new CrossEntropyLoss(Tensor.of(new float[] {1, 2, 0.5f}), F.IGNORE_INDEX,
                Reduction.MEAN, 0.0));

        Net() {
            registerBuffer("step", Tensor.scalar(7L));
        }

        @Override
        public Tensor forward(Tensor idx) {
            Tensor h = encoder.call(idx);
            return head.call(h).add(heads.get("cls").call(h).sum(1, true)).add(heads.get("reg").call(h).mean(1, true));
        }
    }

    @Test
    void namesAndStateDictOrderArePyTorchs() {
        Net net = new Net();
        assertKeys("state dict keys", keys(FIXTURE.get("state")), net.stateDict().keySet());
        assertKeys("named parameters", strings(FIXTURE.get("named_parameters")), net.namedParameters().keySet());
        assertKeys("named buffers", strings(FIXTURE.get("named_buffers")), net.namedBuffers().keySet());
        assertKeys("named modules", strings(FIXTURE.get("named_modules")), net.namedModules().keySet());
        assertTrue(net.namedBuffers().containsKey("encoder.layers.0.cache"), "non-persistent buffers are listed");
        assertTrue(!net.stateDict().containsKey("encoder.layers.0.cache"), "non-persistent buffers are not saved");
    }

    @Test
    void reprIsPyTorchs() {
        assertEquals(FIXTURE.get("repr").asText(), new Net().toString());
    }

    @Test
    void forwardAndBackwardWithPyTorchWeights() {
        Net net = new Net();
        IncompatibleKeys r = net.loadStateDict(NnFixtures.stateDict(FIXTURE.get("state")));
        assertTrue(r.isEmpty(), r.toString());
        assertEquals(7L, net.getBuffer("step").itemLong());
        net.eval();
        Tensor out = net.call(NnFixtures.tensor(FIXTURE.get("input")));
        assertClose("logits", FIXTURE.get("output"), out);
        Tensor loss = net.loss.call(out, NnFixtures.tensor(FIXTURE.get("target")));
        assertClose("loss", FIXTURE.get("loss"), loss);
        loss.backward();
        Map<String, Tensor> grads = NnFixtures.grads(net);
        assertKeys("parameters with grads", keys(FIXTURE.get("param_grads")), grads.keySet());
        FIXTURE.get("param_grads").properties().forEach(e -> assertClose("grad of " + e.getKey(), e.getValue(), grads.get(e.getKey())));
        // the padding row of the embedding got no gradient although index 0 occurs in the input
        float[] padGrad = net.encoder.embed.weight().grad().select(0, 0).toFloatArray();
        assertEquals(0f, padGrad[0] * padGrad[0] + padGrad[1] * padGrad[1] + padGrad[2] * padGrad[2] + padGrad[3] * padGrad[3]);
    }

    @Test
    void stateDictRoundTripsIntoAFreshModel() {
        Net a = new Net();
        a.loadStateDict(NnFixtures.stateDict(FIXTURE.get("state")));
        Net b = new Net();
        b.loadStateDict(a.stateDict());
        LinkedHashMap<String, Tensor> sa = a.stateDict();
        LinkedHashMap<String, Tensor> sb = b.stateDict();
        for (String k : sa.keySet()) {
            assertTrue(sa.get(k).allclose(sb.get(k), 0, 0), k);
        }
        Tensor idx = NnFixtures.tensor(FIXTURE.get("input"));
        a.eval();
        b.eval();
        assertTrue(a.call(idx).allclose(b.call(idx), 0, 0));
        assertSame(b.encoder.layers.get(1), b.getSubmodule("encoder.layers.1"));
    }
}
