package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * One transformer encoder block, as {@code nn.TransformerEncoderLayer}: self-attention and a feed-forward network
 * ({@code linear2(dropout(activation(linear1(x))))}), each with dropout and a residual connection, and layer
 * normalization after each (post-norm, the default) or before each ({@code normFirst}, pre-norm):
 *
 * <pre>
 * post-norm: x = norm1(x + sa(x));        x = norm2(x + ff(x))
 * pre-norm:  x = x + sa(norm1(x));        x = x + ff(norm2(x))
 * </pre>
 *
 * Submodules have PyTorch's names, so state dicts load PyTorch's weights: {@code self_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}.
 */
public class TransformerEncoderLayer extends Module {
    private final int dModel;
    private final int nhead;
    private final int dimFeedforward;
    private final double dropoutP;
    private final String activationName;
    private final UnaryOperator<Tensor> activation;
    private final double layerNormEps;
    private final boolean batchFirst;
    private final boolean normFirst;

    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, relu, eps 1e-5, sequence first, post-norm. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout) {
        this(dModel, nhead, dimFeedforward, dropout, "relu", 1e-5, false, false);
    }

    /**
     * The full form, as {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
     * layer_norm_eps, batch_first, norm_first)}; {@code activation} is "relu" or "gelu".
     */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst) {
        this(dModel, nhead, dimFeedforward, dropout, activation, activationFunction(activation), layerNormEps, batchFirst,
                normFirst);
    }

    /** The full form with any activation function (e.g. {@code F::silu}). */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, UnaryOperator<Tensor> activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst) {
        this(dModel, nhead, dimFeedforward, dropout, null, activation, layerNormEps, batchFirst, normFirst);
    }

    private TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activationName,
                                    UnaryOperator<Tensor> activation, double layerNormEps, boolean batchFirst,
                                    boolean normFirst) {
        if (dimFeedforward <= 0) {
            throw new IllegalArgumentException("TransformerEncoderLayer: dim_feedforward must be positive, got " + dimFeedforward);
        }
        if (activation == null) {
            throw new IllegalArgumentException("TransformerEncoderLayer: activation must not be null");
        }
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.activationName = activationName;
        this.activation = activation;
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
        // registration order is PyTorch's, so state dict keys come out in its order
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, null, null, batchFirst));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout));
    }

    private static UnaryOperator<Tensor> activationFunction(String name) {
        return switch (name) {
            case "relu" -> F::relu;
            case "gelu" -> F::gelu;
            default -> throw new IllegalArgumentException("TransformerEncoderLayer: activation should be relu/gelu, not " + name);
        };
    }

    /** A layer with this one's configuration and a copy of its weights (PyTorch's {@code copy.deepcopy}), in the same mode. */
    public TransformerEncoderLayer copy() {
        TransformerEncoderLayer c = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropoutP, activationName, activation,
                layerNormEps, batchFirst, normFirst);
        c.loadStateDict(stateDict());
        c.train(isTraining());
        return c;
    }

    /**
     * Encodes {@code src} ({@code [S, N, E]}, {@code [N, S, E]} with {@code batchFirst}, or unbatched {@code [S, E]})
     * attending under {@code srcMask} ({@code [S, S]} or {@code [N * nhead, S, S]}, bool true = masked or float
     * additive) and {@code srcKeyPaddingMask} ({@code [N, S]}, true = padding); either mask may be null.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        if (src.dim() < 2 || src.size(-1) != dModel) {
            throw new IllegalArgumentException(className() + "(d_model=" + dModel + ", nhead=" + nhead + "): expected src of shape "
                    + (batchFirst ? "[N, S, " : "[S, N, ") + dModel + "] (or [S, " + dModel + "] unbatched), got "
                    + Arrays.toString(src.shape()));
        }
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.call(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForwardBlock(norm2.call(x)));
        } else {
            x = norm1.call(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
            x = norm2.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    /** Runs {@link #forward(Tensor, Tensor, Tensor)} between the forward hooks, as {@code layer(src, src_mask, src_key_padding_mask)}. */
    public Tensor call(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        return callWithHooks(new Tensor[] {src, srcMask, srcKeyPaddingMask}, in -> forward(in[0], in[1], in[2]));
    }

    /** Encodes without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        Tensor attended = selfAttn.call(x, x, x, keyPaddingMask, false, mask).output();
        return dropout1.call(attended);
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout2.call(linear2.call(dropout.call(activation.apply(linear1.call(x)))));
    }

    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    public Linear linear1() {
        return linear1;
    }

    public Linear linear2() {
        return linear2;
    }

    public LayerNorm norm1() {
        return norm1;
    }

    public LayerNorm norm2() {
        return norm2;
    }

    public int dModel() {
        return dModel;
    }

    public int nhead() {
        return nhead;
    }

    public int dimFeedforward() {
        return dimFeedforward;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    public boolean normFirst() {
        return normFirst;
    }
}
