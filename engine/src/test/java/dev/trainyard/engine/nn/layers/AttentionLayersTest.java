package dev.trainyard.engine.nn.layers;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.nn.AttentionOutput;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.LayerNorm;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.MultiheadAttention;
import dev.trainyard.engine.nn.TransformerEncoder;
import dev.trainyard.engine.nn.TransformerEncoderLayer;
import dev.trainyard.engine.nn.layers.LayerFixtures.Case;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MultiheadAttention (self and cross attention, key padding masks, causal float masks, 3-D bool masks, kdim/vdim,
 * per-head and averaged weights), TransformerEncoderLayer (post-norm and pre-norm, relu and gelu) and
 * TransformerEncoder (2 layers, masks, final norm) against PyTorch (fixtures/layers/attention.json), in evaluation mode
 * so dropout is off.
 */
class AttentionLayersTest {

    @TestFactory
    List<DynamicTest> matchPyTorch() {
        return LayerFixtures.tests("attention", AttentionLayersTest::build, AttentionLayersTest::forward);
    }

    static Module build(Case c) {
        return switch (c.module()) {
            case "MultiheadAttention" -> new MultiheadAttention(c.integer("embedDim"), c.integer("numHeads"), c.number("dropout"),
                    c.flag("bias"), c.optionalInt("kdim"), c.optionalInt("vdim"), c.flag("batchFirst"));
            case "TransformerEncoderLayer" -> encoderLayer(c);
            case "TransformerEncoder" -> new TransformerEncoder(encoderLayer(c), c.integer("numLayers"),
                    c.flag("norm") ? new LayerNorm(c.integer("dModel")) : null);
            default -> throw new IllegalArgumentException(c.module());
        };
    }

    private static TransformerEncoderLayer encoderLayer(Case c) {
        return new TransformerEncoderLayer(c.integer("dModel"), c.integer("nhead"), c.integer("dimFeedforward"), c.number("dropout"),
                c.text("activation"), c.number("layerNormEps"), c.flag("batchFirst"), c.flag("normFirst"));
    }

    static List<Tensor> forward(Module m, Case c) {
        return switch (m) {
            case MultiheadAttention mha -> {
                Tensor q = c.input("query");
                Tensor k = c.input("key") == null ? q : c.input("key");
                Tensor v = c.input("value") == null ? q : c.input("value");
                AttentionOutput out = mha.call(q, k, v, c.input("keyPaddingMask"), c.callFlag("needWeights"), c.input("attnMask"),
                        c.callFlag("averageAttnWeights"));
                yield Arrays.asList(out.output(), out.weights());
            }
            case TransformerEncoderLayer layer -> List.of(layer.call(c.input("src"), c.input("srcMask"), c.input("srcKeyPaddingMask")));
            case TransformerEncoder encoder -> List.of(encoder.call(c.input("src"), c.input("mask"), c.input("srcKeyPaddingMask")));
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    // ------------------------------------------------------------------ layout and initialization

    @Test
    void multiheadAttentionStateDictKeysArePyTorchs() {
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(new MultiheadAttention(8, 2).stateDict().keySet()));
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(new MultiheadAttention(6, 2, 0.0, true, 5, 3, false).stateDict().keySet()));
        assertEquals(List.of("in_proj_weight", "out_proj.weight"),
                List.copyOf(new MultiheadAttention(4, 1, 0.0, false).stateDict().keySet()));
    }

    @Test
    void multiheadAttentionInitializesAsPyTorch() {
        var mha = new MultiheadAttention(16, 4);
        ConvLayersTest.assertWithin(mha.inProjWeight(), Math.sqrt(6.0 / (16 + 48))); // xavier uniform over [3E, E]
        assertEquals(0.0, mha.inProjBias().abs().max().item());
        assertEquals(0.0, mha.outProj().bias().abs().max().item());
        ConvLayersTest.assertWithin(mha.outProj().weight(), 1 / Math.sqrt(16)); // Linear's default
    }

    @Test
    void encoderStateDictKeysArePyTorchs() {
        var layer = new TransformerEncoderLayer(8, 2, 16, 0.1);
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight",
                "norm1.bias", "norm2.weight", "norm2.bias"), List.copyOf(layer.stateDict().keySet()));
        var encoder = new TransformerEncoder(layer, 2, new LayerNorm(8));
        List<String> keys = List.copyOf(encoder.stateDict().keySet());
        assertEquals(26, keys.size());
        assertEquals("layers.0.self_attn.in_proj_weight", keys.get(0));
        assertEquals("layers.1.norm2.bias", keys.get(23));
        assertEquals(List.of("norm.weight", "norm.bias"), keys.subList(24, 26));
    }

    @Test
    void encoderLayersAreIndependentCopiesOfTheGivenLayer() {
        var layer = new TransformerEncoderLayer(8, 2, 16, 0.0);
        var encoder = new TransformerEncoder(layer, 2);
        Tensor w0 = encoder.getParameter("layers.0.linear1.weight");
        Tensor w1 = encoder.getParameter("layers.1.linear1.weight");
        assertNotSame(w0, w1);
        assertNotSame(layer.linear1().weight(), w0);
        assertArrayEquals(layer.linear1().weight().toFloatArray(), w0.toFloatArray());
        assertArrayEquals(w0.toFloatArray(), w1.toFloatArray());
        assertEquals(2 * layer.parameters().size(), encoder.parameters().size());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void wrongEmbeddingDimNamesTheLayerAndBothShapes() {
        var mha = new MultiheadAttention(8, 2, 0.0, true, null, null, true);
        Tensor x = Tensor.zeros(2, 5, 6);
        var e = assertThrows(IllegalArgumentException.class, () -> mha.call(x, x, x));
        assertTrue(e.getMessage().startsWith("MultiheadAttention(embed_dim=8, num_heads=2)")
                && e.getMessage().contains("[N, L, 8]") && e.getMessage().contains("[2, 5, 6]"), e.getMessage());
        var layer = new TransformerEncoderLayer(8, 2, 16, 0.0);
        var e2 = assertThrows(IllegalArgumentException.class, () -> layer.call(Tensor.zeros(5, 2, 6)));
        assertTrue(e2.getMessage().startsWith("TransformerEncoderLayer(d_model=8, nhead=2)") && e2.getMessage().contains("[5, 2, 6]"),
                e2.getMessage());
    }

    @Test
    void badMasksSayWhatShapeWasExpected() {
        var mha = new MultiheadAttention(8, 2);
        Tensor x = Tensor.randn(4, 3, 8);
        var attn = assertThrows(IllegalArgumentException.class,
                () -> mha.call(x, x, x, null, true, Tensor.zeros(new int[] {4, 5}, DType.BOOL)));
        assertTrue(attn.getMessage().contains("[4, 5]") && attn.getMessage().contains("[4, 4]"), attn.getMessage());
        var kpm = assertThrows(IllegalArgumentException.class,
                () -> mha.call(x, x, x, Tensor.zeros(new int[] {4, 3}, DType.BOOL), true, null));
        assertTrue(kpm.getMessage().contains("[3, 4]") && kpm.getMessage().contains("[4, 3]"), kpm.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class, () -> mha.call(x, x, x, null, true, Tensor.zeros(new int[] {4, 4},
                DType.INT64)));
        assertTrue(dtype.getMessage().contains("bool and floating"), dtype.getMessage());
    }

    @Test
    void embedDimMustBeDivisibleByHeads() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    }

    @Test
    void attentionTakesThreeInputs() {
        var e = assertThrows(UnsupportedOperationException.class, () -> new MultiheadAttention(4, 2).call(Tensor.zeros(2, 1, 4)));
        assertTrue(e.getMessage().contains("call(query, key, value)"), e.getMessage());
    }

    // ------------------------------------------------------------------ behaviour

    @Test
    void causalMaskKeepsEarlyOutputsIndependentOfLaterInputs() {
        var layer = new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, true);
        Tensor mask = Tensor.ones(5, 5).mul(Double.NEGATIVE_INFINITY);
        mask = Tensor.where(Tensor.ones(5, 5).cumsum(1).gt(Tensor.arange(1.0, 6.0, 1.0).unsqueeze(1)), mask, 0.0);
        Tensor x = Tensor.randn(1, 5, 8);
        Tensor y = x.clone();
        try (var g = Autograd.noGrad()) {
            y.select(1, 4).fill_(3.0);
        }
        Tensor a = layer.call(x, mask, null).narrow(1, 0, 4);
        Tensor b = layer.call(y, mask, null).narrow(1, 0, 4);
        assertTrue(a.allclose(b, 1e-5, 1e-6));
    }

    @Test
    void dropoutOnAttentionWeightsOnlyInTraining() {
        var mha = new MultiheadAttention(8, 2, 0.5, true);
        Tensor x = Tensor.randn(3, 2, 8);
        mha.eval();
        Tensor a = mha.call(x, x, x).output();
        assertTrue(a.allclose(mha.call(x, x, x).output(), 0, 0));
        mha.train();
        assertFalse(a.allclose(mha.call(x, x, x).output(), 1e-6, 1e-6));
    }

    @Test
    void functionalFormMatchesTheModule() {
        var mha = new MultiheadAttention(8, 4);
        mha.eval();
        Tensor q = Tensor.randn(3, 2, 8);
        Tensor kv = Tensor.randn(5, 2, 8);
        AttentionOutput m = mha.call(q, kv, kv);
        AttentionOutput f = F.multiHeadAttentionForward(q, kv, kv, 4, mha.inProjWeight(), mha.inProjBias(),
                mha.outProj().weight(), mha.outProj().bias(), 0.0, false, null, true, null, true);
        assertTrue(m.output().allclose(f.output(), 0, 0));
        assertTrue(m.weights().allclose(f.weights(), 0, 0));
        assertArrayEquals(new int[] {2, 3, 5}, f.weights().shape());
    }
}
