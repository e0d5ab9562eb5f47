package dev.trainyard.engine.nn;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.RemovableHandle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module mechanics: registration and names, listings, modes, grads, hooks, conversion, state dicts and reprs. */
class ModuleTest {

    /** A small model with a named child, as a user writes one. */
    static final class Net extends Module {
        final Linear fc = registerModule("fc", new Linear(4, 3));

        @Override
        public Tensor forward(Tensor x) {
            return fc.call(x);
        }
    }

    @Test
    void sequentialNamesChildrenByPosition() {
        Sequential model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(model.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(model.stateDict().keySet()));
        assertEquals(List.of("", "0", "1", "2"), new ArrayList<>(model.namedModules().keySet()));
        assertEquals(List.of("0", "1", "2"), new ArrayList<>(model.namedChildren().keySet()));
        assertEquals(4, model.parameters().size());
        assertArrayEquals(new int[] {256, 784}, model.getParameter("0.weight").shape());
        assertSame(model.get(2), model.get(-1));
        assertEquals(3, model.size());
        model.add(new Tanh());
        assertTrue(model.get(3) instanceof Tanh);
        assertArrayEquals(new int[] {5, 10}, model.call(Tensor.ones(5, 784)).shape());
    }

    @Test
    void sharedParametersAreListedOnceButSavedUnderEveryName() {
        Linear shared = new Linear(3, 3);
        Sequential model = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(model.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(model.stateDict().keySet()));
        assertEquals(List.of("", "0", "1"), new ArrayList<>(model.namedModules().keySet()));
        // forward still runs the shared module twice
        assertEquals(3, model.size());
    }

    @Test
    void absentParametersAndBuffersAreNotListed() {
        Linear noBias = new Linear(3, 2, false);
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), new ArrayList<>(noBias.stateDict().keySet()));
        CrossEntropyLoss loss = new CrossEntropyLoss();
        assertTrue(loss.stateDict().isEmpty());
        assertTrue(loss.buffers().isEmpty());
    }

    @Test
    void registrationValidatesNames() {
        Module m = new Identity();
        m.registerParameter("w", Tensor.zeros(2));
        IllegalArgumentException dot = assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", Tensor.zeros(2)));
        assertEquals("Identity: parameter name can't contain \".\", got \"a.b\"", dot.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("w", Tensor.zeros(2)));
        assertEquals("Identity: cannot register buffer 'w': a parameter of that name already exists", clash.getMessage());
        Tensor nonLeaf = Tensor.zeros(2).requiresGrad_(true).mul(2.0);
        IllegalArgumentException leaf = assertThrows(IllegalArgumentException.class, () -> m.registerParameter("v", nonLeaf));
        assertTrue(leaf.getMessage().contains("not a leaf"), leaf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("i", Tensor.arange(3)));
        Tensor p = m.registerParameter("p", Tensor.zeros(3));
        assertTrue(p.requiresGrad(), "registered parameters require grad");
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential model = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5), new ReLU()));
        assertTrue(model.isTraining());
        model.eval();
        for (Module m : model.modules()) {
            assertFalse(m.isTraining(), m.toString());
        }
        model.train();
        for (Module m : model.modules()) {
            assertTrue(m.isTraining(), m.toString());
        }
        assertSame(model, model.train(false));
        // an eval-mode dropout is the identity
        Tensor x = Tensor.randn(4, 2);
        assertTrue(model.get(1).call(x).allclose(x.relu(), 0, 0));
    }

    @Test
    void zeroGradSetsGradsToNull() {
        Net net = new Net();
        net.call(Tensor.ones(2, 4)).sum().backward();
        assertArrayEquals(new int[] {3, 4}, net.fc.weight().grad().shape());
        // d(sum(x W^T + b))/dW = column sums of x = 2 everywhere
        for (float v : net.fc.weight().grad().toFloatArray()) {
            assertEquals(2f, v);
        }
        net.zeroGrad();
        for (Tensor p : net.parameters()) {
            assertNull(p.grad());
        }
    }

    @Test
    void requiresGradFreezesParameters() {
        Net net = new Net();
        net.requiresGrad_(false);
        for (Tensor p : net.parameters()) {
            assertFalse(p.requiresGrad());
        }
        assertFalse(net.call(Tensor.ones(1, 4)).requiresGrad());
    }

    @Test
    void forwardHooksWrapCall() {
        Net net = new Net();
        List<String> log = new ArrayList<>();
        RemovableHandle pre = net.registerForwardPreHook((m, in) -> {
            log.add("pre " + m.getClass().getSimpleName());
            return new Tensor[] {in[0].mul(0.0)};
        });
        RemovableHandle post = net.registerForwardHook((m, in, out) -> {
            log.add("post " + ((Tensor) out).shape().length);
            assertTrue(in[0].allclose(Tensor.zeros(2, 4), 0, 0), "the hook sees the replaced input");
            return ((Tensor) out).add(100.0);
        });
        Tensor out = net.call(Tensor.ones(2, 4));
        assertEquals(List.of("pre Net", "post 2"), log);
        // input zeroed by the pre-hook: output = bias + 100
        Tensor expected = net.fc.bias().detach().add(100.0).expand(2, 3);
        assertTrue(out.allclose(expected, 1e-6, 1e-6));
        pre.remove();
        post.remove();
        log.clear();
        Tensor plain = net.call(Tensor.ones(2, 4));
        assertTrue(log.isEmpty());
        assertTrue(plain.allclose(net.forward(Tensor.ones(2, 4)), 0, 0));
        // forward() itself bypasses hooks, as in PyTorch
        net.registerForwardHook((m, in, o) -> {
            log.add("hook");
            return null;
        });
        net.forward(Tensor.ones(1, 4));
        assertTrue(log.isEmpty());
    }

    @Test
    void hooksOnChildrenSeeIntermediateActivations() {
        Sequential model = new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 2));
        Map<String, Tensor> activations = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (!name.isEmpty()) {
                m.registerForwardHook((mod, in, out) -> {
                    activations.put(name, (Tensor) out);
                    return null;
                });
            }
        });
        Tensor out = model.call(Tensor.randn(4, 3));
        assertEquals(List.of("0", "1", "2"), new ArrayList<>(activations.keySet()));
        assertArrayEquals(new int[] {4, 5}, activations.get("1").shape());
        assertSame(out, activations.get("2"));
    }

    @Test
    void lossHooksSeeInputAndTarget() {
        MSELoss loss = new MSELoss();
        List<Integer> seen = new ArrayList<>();
        loss.registerForwardPreHook((m, in) -> {
            seen.add(in.length);
            return null;
        });
        Tensor l = loss.call(Tensor.of(new float[] {1, 2}), Tensor.of(new float[] {1, 4}));
        assertEquals(2.0, l.item(), 1e-6);
        assertEquals(List.of(2), seen);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> loss.call(Tensor.ones(2)));
        assertEquals("MSELoss takes an input and a target: use call(input, target)", e.getMessage());
    }

    @Test
    void applyVisitsChildrenFirst() {
        Sequential inner = new Sequential(new ReLU());
        Sequential model = new Sequential(new Linear(2, 2), inner);
        List<String> order = new ArrayList<>();
        model.apply(m -> order.add(m.getClass().getSimpleName()));
        assertEquals(List.of("ReLU", "Sequential", "Linear", "Sequential"), order);
    }

    @Test
    void toDTypeConvertsFloatingParametersAndBuffers() {
        Module m = new Net();
        m.registerBuffer("count", Tensor.scalar(3L));
        m.registerBuffer("stats", Tensor.ones(3));
        Tensor before = m.getParameter("fc.weight");
        m.to(DType.FLOAT64);
        Tensor after = m.getParameter("fc.weight");
        assertEquals(DType.FLOAT64, after.dtype());
        assertTrue(after.requiresGrad() && after.isLeaf());
        assertTrue(after.allclose(before.to(DType.FLOAT64), 0, 0));
        assertEquals(DType.INT64, m.getBuffer("count").dtype());
        assertEquals(DType.FLOAT64, m.getBuffer("stats").dtype());
        Tensor out = m.call(Tensor.ones(new int[] {2, 4}, DType.FLOAT64));
        assertEquals(DType.FLOAT64, out.dtype());
        out.sum().backward();
        assertEquals(DType.FLOAT64, after.grad().dtype());
        assertThrows(IllegalArgumentException.class, () -> m.to(DType.INT32));
    }

    @Test
    void moduleWithoutForwardSaysSo() {
        Module m = new ModuleList(new ReLU());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> m.call(Tensor.ones(1)));
        assertTrue(e.getMessage().startsWith("Module [ModuleList] is missing the required forward(Tensor) method"), e.getMessage());
    }

    @Test
    void containers() {
        ModuleList list = new ModuleList(new Linear(2, 2));
        list.add(new ReLU()).addAll(List.of(new Tanh(), new Sigmoid()));
        assertEquals(4, list.size());
        assertTrue(list.get(-1) instanceof Sigmoid);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(list.stateDict().keySet()));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(4));

        ModuleDict dict = new ModuleDict().put("b", new Linear(1, 1)).put("a", new Linear(1, 2));
        assertEquals(List.of("b.weight", "b.bias", "a.weight", "a.bias"), new ArrayList<>(dict.stateDict().keySet()));
        dict.put("b", new Linear(1, 3)); // replacing keeps the position, as a Python dict does
        assertEquals(List.of("b", "a"), new ArrayList<>(dict.keySet()));
        assertArrayEquals(new int[] {3, 1}, dict.getParameter("b.weight").shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dict.get("c"));
        assertEquals("ModuleDict: no module under key 'c'; keys are [b, a]", e.getMessage());

        LinkedHashMap<String, Module> named = new LinkedHashMap<>();
        named.put("encoder", new Linear(3, 2));
        named.put("act", new ReLU());
        Sequential seq = new Sequential(named);
        assertEquals(List.of("encoder.weight", "encoder.bias"), new ArrayList<>(seq.stateDict().keySet()));
    }

    @Test
    void getSubmoduleNamesWhatIsMissing() {
        ModelCheckpointTest.Net net = new ModelCheckpointTest.Net();
        assertSame(net.encoder.layers.get(0), net.getSubmodule("encoder.layers.0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.getSubmodule("encoder.layer.0"));
        assertEquals("Encoder at 'encoder' has no submodule 'layer' (children: [embed, layers])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.getParameter("encoder.embed.bias"));
    }

    // ------------------------------------------------------------------ state dicts

    @Test
    void stateDictSharesStorageButIsDetached() {
        Net net = new Net();
        Tensor w = net.stateDict().get("fc.weight");
        assertFalse(w.requiresGrad());
        assertSame(net.fc.weight().storage(), w.storage());
    }

    @Test
    void loadStateDictCopiesInPlaceWithoutAutograd() {
        Net net = new Net();
        Tensor weight = net.fc.weight();
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("fc.weight", Tensor.full(new int[] {3, 4}, 0.25, DType.FLOAT64));
        state.put("fc.bias", Tensor.of(new float[] {1, 2, 3}));
        assertTrue(net.loadStateDict(state).isEmpty());
        assertSame(weight, net.fc.weight(), "loading keeps the parameter tensors (optimizers hold them)");
        assertTrue(weight.isLeaf() && weight.requiresGrad());
        assertEquals(DType.FLOAT32, weight.dtype());
        for (float v : weight.toFloatArray()) {
            assertEquals(0.25f, v);
        }
        assertArrayEquals(new float[] {1, 2, 3}, net.fc.bias().toFloatArray());
    }

    @Test
    void strictLoadListsMissingAndUnexpectedKeys() {
        Net net = new Net();
        float[] before = net.fc.weight().toFloatArray();
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("fc.weight", Tensor.zeros(3, 4));
        state.put("fc.b", Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertEquals("loadStateDict: missing keys [fc.bias], unexpected keys [fc.b] (loading into Net; nothing was copied)",
                e.getMessage());
        assertArrayEquals(before, net.fc.weight().toFloatArray(), "a failed load copies nothing");

        IncompatibleKeys r = net.loadStateDict(state, false);
        assertEquals(List.of("fc.bias"), r.missingKeys());
        assertEquals(List.of("fc.b"), r.unexpectedKeys());
        for (float v : net.fc.weight().toFloatArray()) {
            assertEquals(0f, v, "a non-strict load copies the keys that match");
        }
    }

    @Test
    void shapeMismatchFailsEvenWhenNotStrict() {
        Module model = new Module() {
            final Linear fc = registerModule("fc", new Linear(128, 10));
        };
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("fc.weight", Tensor.zeros(10, 256));
        state.put("fc.bias", Tensor.zeros(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state, false));
        assertEquals("loadStateDict: size mismatch for fc.weight: copying a param with shape [10, 256] from checkpoint, "
                + "the shape in current model is [10, 128] (loading into Module; nothing was copied)", e.getMessage());
        state.remove("fc.bias");
        state.put("extra", Tensor.zeros(1));
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state));
        assertEquals("loadStateDict: missing keys [fc.bias], unexpected keys [extra], size mismatch for fc.weight: copying a "
                + "param with shape [10, 256] from checkpoint, the shape in current model is [10, 128] (loading into Module; "
                + "nothing was copied)", all.getMessage());
    }

    @Test
    void buffersAreLoadedAndNonPersistentOnesSkipped() {
        Module m = new Identity();
        m.registerBuffer("running", Tensor.zeros(2));
        m.registerBuffer("scratch", Tensor.zeros(2), false);
        assertEquals(List.of("running"), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(List.of("running", "scratch"), new ArrayList<>(m.namedBuffers().keySet()));
        m.loadStateDict(Map.of("running", Tensor.of(new float[] {4, 5})));
        assertArrayEquals(new float[] {4, 5}, m.getBuffer("running").toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.loadStateDict(Map.of("running", Tensor.zeros(2), "scratch", Tensor.zeros(2))));
        assertTrue(e.getMessage().startsWith("loadStateDict: unexpected keys [scratch]"), e.getMessage());
    }

    // ------------------------------------------------------------------ repr

    @Test
    void reprMatchesPyTorch() {
        assertEquals("Sequential(\n  (0): Linear(in_features=784, out_features=256, bias=True)\n  (1): ReLU()\n)",
                new Sequential(new Linear(784, 256), new ReLU()).toString());
        assertEquals("Dropout(p=1e-05, inplace=False)", new Dropout(1e-5).toString());
        assertEquals("LeakyReLU(negative_slope=0.0001)", new LeakyReLU(1e-4).toString());
        assertEquals("ELU(alpha=2.0)", new ELU(2).toString());
        assertEquals("Unflatten(dim=1, unflattened_size=(2, 5))", new Unflatten(1, 2, 5).toString());
        assertEquals("Unflatten(dim=-1, unflattened_size=(4,))", new Unflatten(-1, 4).toString());
        assertEquals("Embedding(10, 3)", new Embedding(10, 3).toString());
        assertEquals("Softmax(dim=-1)", new Softmax(-1).toString());
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals("1e+16", Module.pyFloat(1e16));
        assertEquals("1234.5", Module.pyFloat(1234.5));
        assertEquals("-2.5e-07", Module.pyFloat(-2.5e-7));
        assertEquals("10000000.0", Module.pyFloat(1e7));
    }
}
