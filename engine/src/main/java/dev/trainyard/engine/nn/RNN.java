package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Recurrent;

/**
 * An Elman RNN, as {@code nn.RNN}: {@code h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)} with act tanh (the
 * default) or relu, over a stack of layers (see {@link RNNBase} for shapes, parameters and initialization).
 *
 * <pre>{@code
 * var rnn = new RNN(10, 20, 2);
 * RecurrentOutput out = rnn.call(Tensor.randn(5, 3, 10), null);   // out.output() [5, 3, 20], out.hN() [2, 3, 20]
 * }</pre>
 */
public class RNN extends RNNBase {
    private final String nonlinearity;

    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, "tanh", true, false, 0.0, false);
    }

    /**
     * The full form, as {@code nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias, batch_first, dropout,
     * bidirectional)}; {@code nonlinearity} is "tanh" or "relu".
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
               double dropout, boolean bidirectional) {
        super(mode(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        this.nonlinearity = nonlinearity;
    }

    private static Recurrent.Mode mode(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> Recurrent.Mode.RNN_TANH;
            case "relu" -> Recurrent.Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity
                    + "', select from 'tanh' or 'relu'");
        };
    }

    /** "tanh" or "relu". */
    public String nonlinearity() {
        return nonlinearity;
    }

    /**
     * The output sequence and final hidden state for {@code input}, starting from {@code h0}
     * ({@code [layers * directions, N, H]}, or {@code [layers * directions, H]} unbatched; null for zeros).
     */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        var r = run(input, h0, null);
        return new RecurrentOutput(r.output(), r.hN());
    }

    /** Runs {@link #forward(Tensor, Tensor)} between the forward hooks, as {@code rnn(input, h0)}. */
    public RecurrentOutput call(Tensor input, Tensor h0) {
        return callWithHooks(new Tensor[] {input, h0}, in -> forward(in[0], in[1]));
    }

    /** The output sequence only (starting from zeros), so the layer can sit in a {@link Sequential}. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
