package dev.trainyard.engine.nn.layers;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.GRU;
import dev.trainyard.engine.nn.LSTM;
import dev.trainyard.engine.nn.LSTMOutput;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.RNN;
import dev.trainyard.engine.nn.RecurrentOutput;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.nn.layers.LayerFixtures.Case;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RNN (tanh, relu), LSTM and GRU against PyTorch (fixtures/layers/rnn.json): multi-layer, bidirectional, batch-first,
 * unbatched, with and without an initial state, outputs, final states and the gradients of input, initial state and
 * every parameter (backpropagation through time).
 */
class RecurrentLayersTest {

    @TestFactory
    List<DynamicTest> matchPyTorch() {
        return LayerFixtures.tests("rnn", RecurrentLayersTest::build, RecurrentLayersTest::forward);
    }

    static Module build(Case c) {
        int in = c.integer("inputSize");
        int hidden = c.integer("hiddenSize");
        int layers = c.integer("numLayers");
        return switch (c.module()) {
            case "RNN" -> new RNN(in, hidden, layers, c.text("nonlinearity"), c.flag("bias"), c.flag("batchFirst"),
                    c.number("dropout"), c.flag("bidirectional"));
            case "LSTM" -> new LSTM(in, hidden, layers, c.flag("bias"), c.flag("batchFirst"), c.number("dropout"),
                    c.flag("bidirectional"));
            case "GRU" -> new GRU(in, hidden, layers, c.flag("bias"), c.flag("batchFirst"), c.number("dropout"),
                    c.flag("bidirectional"));
            default -> throw new IllegalArgumentException(c.module());
        };
    }

    static List<Tensor> forward(Module m, Case c) {
        if (m instanceof LSTM lstm) {
            LSTMOutput out = lstm.call(c.input("input"), c.input("h0"), c.input("c0"));
            return List.of(out.output(), out.hN(), out.cN());
        }
        RecurrentOutput out = m instanceof RNN rnn ? rnn.call(c.input("input"), c.input("h0"))
                : ((GRU) m).call(c.input("input"), c.input("h0"));
        return List.of(out.output(), out.hN());
    }

    @Test
    void parameterNamesAndShapesArePyTorchs() {
        var lstm = new LSTM(3, 4, 2, true, true, 0.0, true);
        assertEquals(List.of(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.stateDict().keySet()));
        assertArrayEquals(new int[] {16, 3}, lstm.getParameter("weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 8}, lstm.getParameter("weight_ih_l1_reverse").shape());
        assertArrayEquals(new int[] {12, 4}, new GRU(2, 4).getParameter("weight_hh_l0").shape());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(new RNN(2, 3, 1, "tanh", false, false, 0, false)
                .stateDict().keySet()));
    }

    @Test
    void parametersStartUniformInPlusMinusOneOverSqrtHidden() {
        var gru = new GRU(5, 16, 2);
        for (Tensor p : gru.parameters()) {
            ConvLayersTest.assertWithin(p, 0.25);
        }
    }

    @Test
    void wrongInputSizeNamesTheLayerAndBothSizes() {
        var lstm = new LSTM(3, 4, 2, true, true, 0.0, true);
        var e = assertThrows(IllegalArgumentException.class, () -> lstm.call(Tensor.zeros(2, 5, 6), null, null));
        assertTrue(e.getMessage().startsWith("LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)")
                && e.getMessage().contains("Expected 3, got 6") && e.getMessage().contains("[2, 5, 6]"), e.getMessage());
    }

    @Test
    void wrongInitialStateShapeSaysWhatWasExpected() {
        var gru = new GRU(3, 4, 2, true, false, 0.0, false);
        var e = assertThrows(IllegalArgumentException.class, () -> gru.call(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().startsWith("GRU(3, 4, num_layers=2)") && e.getMessage().contains("[2, 2, 4]")
                && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        var lstm = new LSTM(3, 4);
        var half = assertThrows(IllegalArgumentException.class, () -> lstm.call(Tensor.zeros(5, 2, 3), Tensor.zeros(1, 2, 4), null));
        assertTrue(half.getMessage().contains("both h0 and c0"), half.getMessage());
    }

    @Test
    void dropoutBetweenLayersOnlyInTraining() {
        var rnn = new RNN(3, 8, 3, "tanh", true, false, 0.5, false);
        Tensor x = Tensor.randn(4, 2, 3);
        rnn.eval();
        Tensor a = rnn.call(x, null).output();
        Tensor b = rnn.call(x, null).output();
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        rnn.train();
        Tensor c = rnn.call(x, null).output();
        assertFalse(c.allclose(a, 1e-6, 1e-6), "training mode should drop between layers");
    }

    @Test
    void singleTensorForwardGivesTheOutputSequenceSoRecurrentLayersFitInSequential() {
        var model = new Sequential(new GRU(3, 5, 1, true, true, 0.0, true), new Linear(10, 2));
        assertArrayEquals(new int[] {2, 7, 2}, model.call(Tensor.randn(2, 7, 3)).shape());
    }

    @Test
    void reprsMatchPyTorch() {
        assertEquals("LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)",
                new LSTM(3, 4, 2, true, true, 0.0, true).toString());
        // as PyTorch, the repr does not show the nonlinearity
        assertEquals("RNN(2, 3, bias=False, dropout=0.2)",
                new RNN(2, 3, 1, "relu", false, false, 0.2, false).toString());
        assertEquals("GRU(2, 3)", new GRU(2, 3).toString());
    }
}
