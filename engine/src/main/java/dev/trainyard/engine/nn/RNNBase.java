package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Recurrent;
import dev.trainyard.engine.nn.init.Init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared part of {@link RNN}, {@link LSTM} and {@link GRU}, as PyTorch's {@code RNNBase}: a stack of
 * {@code numLayers} recurrent layers, optionally bidirectional, over {@code [T, N, inputSize]} ({@code [N, T, inputSize]}
 * with {@code batchFirst}, or unbatched {@code [T, inputSize]}), with dropout between layers in training mode.
 *
 * <p>Parameters have PyTorch's names and order: for each layer {@code k} and direction (suffix "" or "_reverse"),
 * {@code weight_ih_l<k>} ({@code [gates * H, in]}), {@code weight_hh_l<k>} ({@code [gates * H, H]}),
 * {@code bias_ih_l<k>} and {@code bias_hh_l<k>} ({@code [gates * H]}), where {@code in} is {@code inputSize} for
 * layer 0 and {@code directions * H} above. All start U(±1/√H), as PyTorch.
 */
public abstract class RNNBase extends Module {
    private final Recurrent.Mode mode;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    private final List<String[]> weightNames = new ArrayList<>();

    protected RNNBase(Recurrent.Mode mode, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
                      double dropout, boolean bidirectional) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(className() + ": input_size and hidden_size must be positive, got " + inputSize
                    + " and " + hiddenSize);
        }
        if (numLayers <= 0) {
            throw new IllegalArgumentException(className() + ": num_layers must be positive, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(className() + ": dropout should be a number in range [0, 1] representing the "
                    + "probability of an element being zeroed, got " + dropout);
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        int gateSize = mode.gates() * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++) {
            for (int dir = 0; dir < directions; dir++) {
                int layerInput = layer == 0 ? inputSize : hiddenSize * directions;
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                String[] names = {"weight_ih" + suffix, "weight_hh" + suffix, bias ? "bias_ih" + suffix : null,
                        bias ? "bias_hh" + suffix : null};
                registerParameter(names[0], Tensor.empty(gateSize, layerInput));
                registerParameter(names[1], Tensor.empty(gateSize, hiddenSize));
                if (bias) {
                    registerParameter(names[2], Tensor.empty(gateSize));
                    registerParameter(names[3], Tensor.empty(gateSize));
                }
                weightNames.add(names);
            }
        }
        resetParameters();
    }

    /** Re-draws every parameter from U(±1/√hiddenSize) with the default generator. */
    public void resetParameters() {
        resetParameters(Generator.defaultGenerator());
    }

    public void resetParameters(Generator generator) {
        double stdv = 1.0 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters(false)) {
            Init.uniform_(p, -stdv, stdv, generator);
        }
    }

    /** Runs the layers; {@code h0} and {@code c0} (LSTM only) may be null for zeros. */
    protected Recurrent.Result run(Tensor input, Tensor h0, Tensor c0) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(this + ": expected input to be 2-D (unbatched [T, " + inputSize + "]) or 3-D ("
                    + (batchFirst ? "[N, T, " : "[T, N, ") + inputSize + "]), got shape " + Arrays.toString(input.shape()));
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException(this + ": input.size(-1) must be equal to input_size. Expected " + inputSize
                    + ", got " + input.size(-1) + " (input shape " + Arrays.toString(input.shape()) + ")");
        }
        checkState("hx", h0, input);
        checkState("cx", c0, input);
        List<Recurrent.CellWeights> weights = new ArrayList<>(weightNames.size());
        for (String[] n : weightNames) {
            weights.add(new Recurrent.CellWeights(parameter(n[0]), parameter(n[1]), n[2] == null ? null : parameter(n[2]),
                    n[3] == null ? null : parameter(n[3])));
        }
        return Recurrent.run(mode, input, h0, c0, weights, numLayers, bidirectional, batchFirst, dropout, isTraining(),
                Generator.defaultGenerator());
    }

    private void checkState(String name, Tensor state, Tensor input) {
        if (state == null) {
            return;
        }
        int layers = numLayers * (bidirectional ? 2 : 1);
        boolean unbatched = input.dim() == 2;
        int batch = unbatched ? -1 : input.size(batchFirst ? 0 : 1);
        int[] expected = unbatched ? new int[] {layers, hiddenSize} : new int[] {layers, batch, hiddenSize};
        if (!Arrays.equals(state.shape(), expected)) {
            throw new IllegalArgumentException(this + ": expected " + name + " of shape " + Arrays.toString(expected)
                    + " ([num_layers * num_directions" + (unbatched ? "" : ", batch") + ", hidden_size]) for input of shape "
                    + Arrays.toString(input.shape()) + ", got " + Arrays.toString(state.shape()));
        }
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean bias() {
        return bias;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public double dropout() {
        return dropout;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    /** The cell type. */
    public Recurrent.Mode mode() {
        return mode;
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) {
            s.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            s.append(", bias=False");
        }
        if (batchFirst) {
            s.append(", batch_first=True");
        }
        if (dropout != 0) {
            s.append(", dropout=").append(pyFloat(dropout));
        }
        if (bidirectional) {
            s.append(", bidirectional=True");
        }
        return s.toString();
    }
}
