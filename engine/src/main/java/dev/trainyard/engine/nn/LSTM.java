package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Recurrent;

/**
 * A long short-term memory network, as {@code nn.LSTM}, with PyTorch's gate order i, f, g, o (rows of the weights):
 * {@code c' = σ(f) * c + σ(i) * tanh(g)}, {@code h' = σ(o) * tanh(c')}. See {@link RNNBase} for shapes, parameters and
 * initialization ({@code proj_size} is not available).
 *
 * <pre>{@code
 * var lstm = new LSTM(10, 20, 2, true, true, 0.0, true);            // batch first, bidirectional
 * LSTMOutput out = lstm.call(x, null, null);                         // out.output() [N, T, 40], out.hN() [4, N, 20]
 * }</pre>
 */
public class LSTM extends RNNBase {

    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0.0, false);
    }

    /** The full form, as {@code nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
                boolean bidirectional) {
        super(Recurrent.Mode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /**
     * The output sequence and final hidden and cell states, starting from {@code h0} and {@code c0}
     * ({@code [layers * directions, N, H]}); pass both or neither (null for zeros), as PyTorch's {@code (h_0, c_0)}.
     */
    public LSTMOutput forward(Tensor input, Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException(this + ": pass both h0 and c0 or neither, got only "
                    + (h0 == null ? "c0" : "h0"));
        }
        var r = run(input, h0, c0);
        return new LSTMOutput(r.output(), r.hN(), r.cN());
    }

    /** Runs {@link #forward(Tensor, Tensor, Tensor)} between the forward hooks, as {@code lstm(input, (h0, c0))}. */
    public LSTMOutput call(Tensor input, Tensor h0, Tensor c0) {
        return callWithHooks(new Tensor[] {input, h0, c0}, in -> forward(in[0], in[1], in[2]));
    }

    /** The output sequence only (starting from zeros), so the layer can sit in a {@link Sequential}. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).output();
    }
}
