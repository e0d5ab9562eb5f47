package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recurrent cells and the multi-layer, optionally bidirectional loop over a sequence that {@code nn.RNN},
 * {@code nn.LSTM} and {@code nn.GRU} run, with PyTorch's gate order and formulas, composed from tensor ops so autograd
 * gives the gradients (backpropagation through time).
 *
 * <ul>
 *   <li>RNN: {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)}, act tanh or relu;</li>
 *   <li>LSTM, gates {@code i, f, g, o} in that order along the {@code 4 * hidden} rows of the weights:
 *       {@code c' = σ(f) c + σ(i) tanh(g)}, {@code h' = σ(o) tanh(c')};</li>
 *   <li>GRU, gates {@code r, z, n}: {@code r = σ(x_r + h_r)}, {@code z = σ(x_z + h_z)},
 *       {@code n = tanh(x_n + r * (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}.</li>
 * </ul>
 */
public final class Recurrent {
    private Recurrent() {
    }

    /** The cell type, as PyTorch's {@code mode} strings. */
    public enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        private final int gates;

        Mode(int gates) {
            this.gates = gates;
        }

        /** How many blocks of {@code hiddenSize} rows the weights have: 1, 4 (LSTM) or 3 (GRU). */
        public int gates() {
            return gates;
        }
    }

    /** The weights of one layer in one direction; the biases may be null. */
    public record CellWeights(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
    }

    /** The output sequence and the final hidden state (and, for LSTM, cell state; null otherwise). */
    public record Result(Tensor output, Tensor hN, Tensor cN) {
    }

    // ------------------------------------------------------------------ cells

    /** One step of an Elman RNN with tanh: input {@code [N, I]}, hidden {@code [N, H]}; returns {@code h'}. */
    public static Tensor rnnTanhCell(Tensor input, Tensor hx, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        return Linear.linear(input, weightIh, biasIh).add(Linear.linear(hx, weightHh, biasHh)).tanh();
    }

    /** One step of an Elman RNN with relu. */
    public static Tensor rnnReluCell(Tensor input, Tensor hx, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        return Linear.linear(input, weightIh, biasIh).add(Linear.linear(hx, weightHh, biasHh)).relu();
    }

    /** One LSTM step; returns {@code {h', c'}}. */
    public static Tensor[] lstmCell(Tensor input, Tensor hx, Tensor cx, Tensor weightIh, Tensor weightHh, Tensor biasIh,
                                    Tensor biasHh) {
        return lstmStep(Linear.linear(input, weightIh, biasIh), hx, cx, weightHh, biasHh);
    }

    /** One GRU step; returns {@code h'}. */
    public static Tensor gruCell(Tensor input, Tensor hx, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        return gruStep(Linear.linear(input, weightIh, biasIh), hx, weightHh, biasHh);
    }

    /** An LSTM step given the input projection {@code x W_ih^T + b_ih}. */
    private static Tensor[] lstmStep(Tensor xProj, Tensor hx, Tensor cx, Tensor weightHh, Tensor biasHh) {
        int h = hx.size(-1);
        Tensor gates = xProj.add(Linear.linear(hx, weightHh, biasHh));
        Tensor i = gates.narrow(-1, 0, h).sigmoid();
        Tensor f = gates.narrow(-1, h, h).sigmoid();
        Tensor g = gates.narrow(-1, 2 * h, h).tanh();
        Tensor o = gates.narrow(-1, 3 * h, h).sigmoid();
        Tensor c = f.mul(cx).add(i.mul(g));
        return new Tensor[] {o.mul(c.tanh()), c};
    }

    /** A GRU step given the input projection. */
    private static Tensor gruStep(Tensor xProj, Tensor hx, Tensor weightHh, Tensor biasHh) {
        int h = hx.size(-1);
        Tensor hProj = Linear.linear(hx, weightHh, biasHh);
        Tensor r = xProj.narrow(-1, 0, h).add(hProj.narrow(-1, 0, h)).sigmoid();
        Tensor z = xProj.narrow(-1, h, h).add(hProj.narrow(-1, h, h)).sigmoid();
        Tensor n = xProj.narrow(-1, 2 * h, h).add(r.mul(hProj.narrow(-1, 2 * h, h))).tanh();
        // PyTorch's form of (1 - z) * n + z * h
        return hx.sub(n).mul(z).add(n);
    }

    // ------------------------------------------------------------------ sequences

    /**
     * Runs a stack of recurrent layers over {@code input} ({@code [T, N, I]}, or {@code [N, T, I]} with
     * {@code batchFirst}, or unbatched {@code [T, I]}). {@code weights} holds, for each layer and then each direction
     * (forward, reverse), that layer's weights; layer {@code l > 0} takes the previous layer's output (both directions
     * concatenated) as input. {@code h0} and {@code c0} ({@code [layers * directions, N, H]}, or {@code [layers *
     * directions, H]} unbatched) may be null for zeros; {@code c0} is for LSTM only. Between layers, dropout with
     * probability {@code dropout} is applied when {@code training}. The output has the input's layout with
     * {@code directions * H} features; the final states have {@code h0}'s shape.
     */
    public static Result run(Mode mode, Tensor input, Tensor h0, Tensor c0, List<CellWeights> weights, int numLayers,
                             boolean bidirectional, boolean batchFirst, double dropout, boolean training, Generator generator) {
        int directions = bidirectional ? 2 : 1;
        if (weights.size() != numLayers * directions) {
            throw new IllegalArgumentException("recurrent: expected " + numLayers * directions + " sets of weights for "
                    + numLayers + " layers and " + directions + " directions, got " + weights.size());
        }
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("recurrent: expected a 2-D (unbatched) or 3-D (batched) input, got shape "
                    + Arrays.toString(input.shape()));
        }
        int hidden = weights.get(0).weightHh().size(1);
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        int batch = x.size(1);
        int[] stateShape = unbatched ? new int[] {numLayers * directions, hidden} : new int[] {numLayers * directions, batch, hidden};
        Tensor h = checkState("hx", h0, stateShape);
        Tensor c = mode == Mode.LSTM ? checkState("cx", c0, stateShape) : null;
        if (unbatched) {
            h = h == null ? null : h.unsqueeze(1);
            c = c == null ? null : c.unsqueeze(1);
        }
        int expectedIn = weights.get(0).weightIh().size(1);
        if (x.size(2) != expectedIn) {
            throw new IllegalArgumentException("recurrent: input.size(-1) must be equal to input_size. Expected " + expectedIn
                    + ", got " + x.size(2) + " (input shape " + Arrays.toString(input.shape()) + ")");
        }
        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        Tensor layerInput = x;
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> outs = new ArrayList<>(directions);
            for (int dir = 0; dir < directions; dir++) {
                int k = layer * directions + dir;
                Tensor hk = h == null ? zeros(layerInput, batch, hidden) : h.select(0, k);
                Tensor ck = mode != Mode.LSTM ? null : c == null ? zeros(layerInput, batch, hidden) : c.select(0, k);
                Tensor[] res = direction(mode, layerInput, hk, ck, weights.get(k), dir == 1);
                outs.add(res[0]);
                hN.add(res[1]);
                if (mode == Mode.LSTM) {
                    cN.add(res[2]);
                }
            }
            layerInput = directions == 1 ? outs.get(0) : Tensor.cat(outs, 2);
            if (layer < numLayers - 1 && dropout > 0 && training) {
                layerInput = Dropout.dropout(layerInput, dropout, true, generator);
            }
        }
        Tensor output = layerInput;
        Tensor hOut = Tensor.stack(hN, 0);
        Tensor cOut = mode == Mode.LSTM ? Tensor.stack(cN, 0) : null;
        if (unbatched) {
            output = output.squeeze(1);
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        } else if (batchFirst) {
            output = output.transpose(0, 1);
        }
        return new Result(output, hOut, cOut);
    }

    /** One layer in one direction over {@code x [T, N, I]}; returns {output [T, N, H], h_T, c_T (LSTM)}. */
    private static Tensor[] direction(Mode mode, Tensor x, Tensor h, Tensor c, CellWeights w, boolean reverse) {
        int steps = x.size(0);
        // the input projection of every step in one product
        Tensor xProj = Linear.linear(x, w.weightIh(), w.biasIh());
        Tensor[] outs = new Tensor[steps];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            Tensor xt = xProj.select(0, t);
            switch (mode) {
                case RNN_TANH -> h = xt.add(Linear.linear(h, w.weightHh(), w.biasHh())).tanh();
                case RNN_RELU -> h = xt.add(Linear.linear(h, w.weightHh(), w.biasHh())).relu();
                case LSTM -> {
                    Tensor[] hc = lstmStep(xt, h, c, w.weightHh(), w.biasHh());
                    h = hc[0];
                    c = hc[1];
                }
                case GRU -> h = gruStep(xt, h, w.weightHh(), w.biasHh());
            }
            outs[t] = h;
        }
        return new Tensor[] {Tensor.stack(Arrays.asList(outs), 0), h, c};
    }

    private static Tensor zeros(Tensor like, int batch, int hidden) {
        return Tensor.zeros(new int[] {batch, hidden}, like.dtype());
    }

    private static Tensor checkState(String name, Tensor state, int[] expected) {
        if (state != null && !Arrays.equals(state.shape(), expected)) {
            throw new IllegalArgumentException("recurrent: expected hidden size " + Arrays.toString(expected) + " for " + name
                    + ", got " + Arrays.toString(state.shape()));
        }
        return state;
    }
}
