package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Recurrent;

/**
 * A gated recurrent unit, as {@code nn.GRU}, with PyTorch's gate order r, z, n (rows of the weights) and the reset
 * gate applied to the hidden projection including its bias:
 * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z = σ(W_iz x + b_iz + W_hz h + b_hz)},
 * {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}, {@code h' = (1 - z) * n + z * h}.
 * See {@link RNNBase} for shapes, parameters and initialization.
 */
public class GRU extends RNNBase {

    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0.0, false);
    }

    /** The full form, as {@code nn.GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional) {
        super(Recurrent.Mode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** The output sequence and final hidden state, starting from {@code h0} (null for zeros). */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        var r = run(input, h0, null);
        return new RecurrentOutput(r.output(), r.hN());
    }

    /** Runs {@link #forward(Tensor, Tensor)} between the forward hooks, as {@code gru(input, h0)}. */
    public RecurrentOutput call(Tensor input, Tensor h0) {
        return callWithHooks(new Tensor[] {input, h0}, in -> forward(in[0], in[1]));
    }

    /** The output sequence only (starting from zeros), so the layer can sit in a {@link Sequential}. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
