package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Attention;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * Multi-head attention, as {@code nn.MultiheadAttention}: {@code softmax(q k^T / sqrt(headDim) + mask) v} in
 * {@code numHeads} heads of {@code embedDim / numHeads}, between projections.
 *
 * <p>Inputs are sequence-first, {@code query [L, N, E]}, {@code key [S, N, kdim]}, {@code value [S, N, vdim]}, or
 * batch-first with {@code batchFirst}, or unbatched {@code [L, E]}. When {@code kdim == vdim == embedDim} (the
 * default) the projections are packed in {@code in_proj_weight [3E, E]} (rows for q, k, v); otherwise they are
 * {@code q_proj_weight [E, E]}, {@code k_proj_weight [E, kdim]}, {@code v_proj_weight [E, vdim]}. Then
 * {@code in_proj_bias [3E]} and the output projection {@code out_proj} (a {@link Linear}), all under PyTorch's
 * state-dict keys. Initialized as PyTorch: xavier-uniform projections, zero biases, {@code out_proj.weight} as a
 * Linear's. {@code add_bias_kv} and {@code add_zero_attn} are not available.
 *
 * <pre>{@code
 * var mha = new MultiheadAttention(64, 8, 0.0, true, null, null, true);   // batch first
 * AttentionOutput a = mha.call(x, x, x, paddingMask, true, causalMask);
 * }</pre>
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final int kdim;
    private final int vdim;
    private final boolean batchFirst;
    private final boolean qkvSameEmbedDim;
    private final Linear outProj;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0.0, true, null, null, false);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias) {
        this(embedDim, numHeads, dropout, bias, null, null, false);
    }

    /**
     * The full form, as {@code nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, kdim=, vdim=, batch_first=)};
     * {@code kdim} and {@code vdim} null mean {@code embedDim}.
     */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, Integer kdim, Integer vdim,
                              boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim and num_heads must be greater than 0, got embed_dim="
                    + embedDim + " and num_heads=" + numHeads);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim (" + embedDim + ") must be divisible by num_heads ("
                    + numHeads + ")");
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be between 0 and 1, got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.kdim = kdim == null ? embedDim : kdim;
        this.vdim = vdim == null ? embedDim : vdim;
        this.batchFirst = batchFirst;
        this.qkvSameEmbedDim = this.kdim == embedDim && this.vdim == embedDim;
        if (!qkvSameEmbedDim) {
            registerParameter("q_proj_weight", Tensor.empty(embedDim, embedDim));
            registerParameter("k_proj_weight", Tensor.empty(embedDim, this.kdim));
            registerParameter("v_proj_weight", Tensor.empty(embedDim, this.vdim));
            registerParameter("in_proj_weight", null);
        } else {
            registerParameter("in_proj_weight", Tensor.empty(3 * embedDim, embedDim));
            registerParameter("q_proj_weight", null);
            registerParameter("k_proj_weight", null);
            registerParameter("v_proj_weight", null);
        }
        registerParameter("in_proj_bias", bias ? Tensor.empty(3 * embedDim) : null);
        this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias));
        resetParameters();
    }

    /** Xavier-uniform projections and zero biases (out_proj.weight keeps its Linear initialization), from the default generator. */
    public void resetParameters() {
        resetParameters(Generator.defaultGenerator());
    }

    public void resetParameters(Generator generator) {
        if (qkvSameEmbedDim) {
            Init.xavierUniform_(inProjWeight(), 1.0, generator);
        } else {
            Init.xavierUniform_(parameter("q_proj_weight"), 1.0, generator);
            Init.xavierUniform_(parameter("k_proj_weight"), 1.0, generator);
            Init.xavierUniform_(parameter("v_proj_weight"), 1.0, generator);
        }
        if (inProjBias() != null) {
            Init.zeros_(inProjBias());
            Init.zeros_(outProj.bias());
        }
    }

    /**
     * Attention of {@code query} over {@code key} and {@code value}.
     *
     * @param keyPaddingMask     {@code [N, S]} (or {@code [S]} unbatched), bool true = ignore that key, or float added to
     *                           the scores; null for none
     * @param needWeights        whether to return the attention weights
     * @param attnMask           {@code [L, S]} or {@code [N * numHeads, L, S]}, bool true = not allowed to attend, or
     *                           float added to the scores (e.g. {@code -inf} above the diagonal); null for none
     * @param averageAttnWeights average the returned weights over heads ({@code [N, L, S]}) or not ({@code [N, H, L, S]})
     */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                                   Tensor attnMask, boolean averageAttnWeights) {
        checkInputs(query, key, value);
        boolean batched = query.dim() == 3;
        Tensor q = query;
        Tensor k = key;
        Tensor v = value;
        if (batchFirst && batched) {
            // keep identities: self-attention (q, k, v the same tensor) projects them in one product
            q = query.transpose(1, 0);
            k = key == query ? q : key.transpose(1, 0);
            v = value == key ? k : value == query ? q : value.transpose(1, 0);
        }
        Attention.Result r = Attention.multiHeadAttention(q, k, v, numHeads, parameter("in_proj_weight"), inProjBias(),
                parameter("q_proj_weight"), parameter("k_proj_weight"), parameter("v_proj_weight"), outProj.weight(),
                outProj.bias(), dropout, isTraining(), keyPaddingMask, needWeights, attnMask, averageAttnWeights,
                Generator.defaultGenerator());
        Tensor out = batchFirst && batched ? r.output().transpose(1, 0) : r.output();
        return new AttentionOutput(out, r.weights());
    }

    /** Self- or cross-attention without masks, returning the head-averaged weights, as {@code mha(q, k, v)}. */
    public AttentionOutput call(Tensor query, Tensor key, Tensor value) {
        return call(query, key, value, null, true, null, true);
    }

    /** As {@code mha(q, k, v, key_padding_mask=, need_weights=, attn_mask=)}; either mask may be null. */
    public AttentionOutput call(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                                Tensor attnMask) {
        return call(query, key, value, keyPaddingMask, needWeights, attnMask, true);
    }

    /** Runs {@link #forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean)} between the forward hooks. */
    public AttentionOutput call(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                                Tensor attnMask, boolean averageAttnWeights) {
        return callWithHooks(new Tensor[] {query, key, value, keyPaddingMask, attnMask},
                in -> forward(in[0], in[1], in[2], in[3], needWeights, in[4], averageAttnWeights));
    }

    /** Not available: attention takes a query, a key and a value; use {@link #call(Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(className() + " takes a query, a key and a value: use call(query, key, value), "
                + "e.g. call(x, x, x) for self-attention");
    }

    private void checkInputs(Tensor query, Tensor key, Tensor value) {
        if (query.dim() != 2 && query.dim() != 3) {
            throw new IllegalArgumentException(className() + "(embed_dim=" + embedDim + ", num_heads=" + numHeads
                    + "): expected a 3-D (batched) or 2-D (unbatched) query, got shape " + Arrays.toString(query.shape()));
        }
        String layout = query.dim() == 2 ? "" : batchFirst ? "N, L, " : "L, N, ";
        String layoutKv = query.dim() == 2 ? "" : batchFirst ? "N, S, " : "S, N, ";
        check("query", query, embedDim, "[" + layout + embedDim + "]");
        check("key", key, kdim, "[" + layoutKv + kdim + "]");
        check("value", value, vdim, "[" + layoutKv + vdim + "]");
        if (key.dim() != query.dim() || value.dim() != query.dim()) {
            throw new IllegalArgumentException(className() + ": query, key and value must all be batched (3-D) or all "
                    + "unbatched (2-D), got " + Arrays.toString(query.shape()) + ", " + Arrays.toString(key.shape()) + ", "
                    + Arrays.toString(value.shape()));
        }
    }

    private void check(String name, Tensor t, int dim, String expected) {
        if (t.dim() < 1 || t.size(-1) != dim) {
            throw new IllegalArgumentException(className() + "(embed_dim=" + embedDim + ", num_heads=" + numHeads + "): expected "
                    + name + " of shape " + expected + ", got " + Arrays.toString(t.shape()));
        }
    }

    /** The packed q/k/v projection {@code [3E, E]}, or null when kdim or vdim differ from embedDim. */
    public Tensor inProjWeight() {
        return parameter("in_proj_weight");
    }

    /** The packed q/k/v bias {@code [3E]}, or null without bias. */
    public Tensor inProjBias() {
        return parameter("in_proj_bias");
    }

    public Linear outProj() {
        return outProj;
    }

    public int embedDim() {
        return embedDim;
    }

    public int numHeads() {
        return numHeads;
    }

    public int headDim() {
        return embedDim / numHeads;
    }

    public double dropout() {
        return dropout;
    }

    public int kdim() {
        return kdim;
    }

    public int vdim() {
        return vdim;
    }

    public boolean batchFirst() {
        return batchFirst;
    }
}
