package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;

import java.util.Arrays;

/**
 * Multi-head attention, as {@code F.multi_head_attention_forward}: project query, key and value, split the embedding
 * into heads, attend with {@code softmax(q k^T / sqrt(headDim) + mask) v}, merge the heads and project the result.
 * Composed from tensor ops, so autograd gives the gradients.
 */
public final class Attention {
    private Attention() {
    }

    /** The attention output and the attention weights (null when not requested). */
    public record Result(Tensor output, Tensor weights) {
    }

    /**
     * Sequence-first multi-head attention: {@code query [L, N, E]}, {@code key [S, N, kdim]}, {@code value [S, N, vdim]}
     * (or unbatched {@code [L, E]}, {@code [S, kdim]}, {@code [S, vdim]}).
     *
     * <p>The projections are either packed, {@code inProjWeight [3E, E]} (rows for q, k, v), or separate
     * ({@code inProjWeight} null and {@code qProjWeight [E, E]}, {@code kProjWeight [E, kdim]}, {@code vProjWeight [E,
     * vdim]}); {@code inProjBias [3E]} and {@code outProjBias [E]} may be null.
     *
     * <p>{@code keyPaddingMask [N, S]} ({@code [S]} unbatched) marks keys to ignore: bool true = ignore, or a float mask
     * added to the scores. {@code attnMask} ({@code [L, S]}, or {@code [N * numHeads, L, S]}) is bool (true = not
     * allowed to attend) or float (added to the scores, e.g. {@code -inf} above the diagonal for causal attention).
     * Dropout with {@code dropoutP} applies to the attention weights when {@code training}. With {@code needWeights} the
     * result carries the weights, {@code [N, L, S]} averaged over heads when {@code averageAttnWeights}, else
     * {@code [N, numHeads, L, S]}.
     */
    public static Result multiHeadAttention(Tensor query, Tensor key, Tensor value, int numHeads, Tensor inProjWeight,
                                            Tensor inProjBias, Tensor qProjWeight, Tensor kProjWeight, Tensor vProjWeight,
                                            Tensor outProjWeight, Tensor outProjBias, double dropoutP, boolean training,
                                            Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                                            boolean averageAttnWeights, Generator generator) {
        boolean batched = query.dim() == 3;
        if ((query.dim() != 3 && query.dim() != 2) || key.dim() != query.dim() || value.dim() != query.dim()) {
            throw new IllegalArgumentException("multiHeadAttention: expected query, key and value all 3-D (batched) or all 2-D"
                    + " (unbatched), got query " + Arrays.toString(query.shape()) + ", key " + Arrays.toString(key.shape())
                    + ", value " + Arrays.toString(value.shape()));
        }
        if (!batched) {
            query = query.unsqueeze(1);
            key = key.unsqueeze(1);
            value = value.unsqueeze(1);
            if (keyPaddingMask != null) {
                if (keyPaddingMask.dim() != 1) {
                    throw new IllegalArgumentException("multiHeadAttention: for unbatched (2-D) query, expected key_padding_mask "
                            + "to be None or 1-D, got shape " + Arrays.toString(keyPaddingMask.shape()));
                }
                keyPaddingMask = keyPaddingMask.unsqueeze(0);
            }
        }
        int tgtLen = query.size(0);
        int bsz = query.size(1);
        int embedDim = query.size(2);
        int srcLen = key.size(0);
        if (numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("multiHeadAttention: embed_dim " + embedDim + " not divisible by num_heads " + numHeads);
        }
        int headDim = embedDim / numHeads;
        if (key.size(0) != value.size(0) || key.size(1) != value.size(1) || key.size(1) != bsz) {
            throw new IllegalArgumentException("multiHeadAttention: key " + Arrays.toString(key.shape()) + " and value "
                    + Arrays.toString(value.shape()) + " must have the same sequence and batch dims, and the batch of query "
                    + Arrays.toString(query.shape()));
        }

        // ---- input projections
        Tensor q;
        Tensor k;
        Tensor v;
        Tensor bq = null;
        Tensor bk = null;
        Tensor bv = null;
        if (inProjBias != null) {
            bq = inProjBias.narrow(0, 0, embedDim);
            bk = inProjBias.narrow(0, embedDim, embedDim);
            bv = inProjBias.narrow(0, 2 * embedDim, embedDim);
        }
        if (inProjWeight != null) {
            if (inProjWeight.dim() != 2 || inProjWeight.size(0) != 3 * embedDim || inProjWeight.size(1) != embedDim) {
                throw new IllegalArgumentException("multiHeadAttention: expected in_proj_weight of shape [" + 3 * embedDim + ", "
                        + embedDim + "], got " + Arrays.toString(inProjWeight.shape()));
            }
            if (key.size(2) != embedDim || value.size(2) != embedDim) {
                throw new IllegalArgumentException("multiHeadAttention: with a packed in_proj_weight, key and value must have "
                        + "embedding dim " + embedDim + ", got key " + Arrays.toString(key.shape()) + " and value "
                        + Arrays.toString(value.shape()));
            }
            if (query == key && key == value) {
                // self-attention: one product, then split into q, k, v (as PyTorch's packed projection)
                Tensor proj = Linear.linear(query, inProjWeight, inProjBias);
                q = proj.narrow(-1, 0, embedDim);
                k = proj.narrow(-1, embedDim, embedDim);
                v = proj.narrow(-1, 2 * embedDim, embedDim);
            } else {
                q = Linear.linear(query, inProjWeight.narrow(0, 0, embedDim), bq);
                k = Linear.linear(key, inProjWeight.narrow(0, embedDim, embedDim), bk);
                v = Linear.linear(value, inProjWeight.narrow(0, 2 * embedDim, embedDim), bv);
            }
        } else {
            if (qProjWeight == null || kProjWeight == null || vProjWeight == null) {
                throw new IllegalArgumentException("multiHeadAttention: without in_proj_weight, q_proj_weight, k_proj_weight and "
                        + "v_proj_weight are all required");
            }
            q = Linear.linear(query, qProjWeight, bq);
            k = Linear.linear(key, kProjWeight, bk);
            v = Linear.linear(value, vProjWeight, bv);
        }

        // ---- masks, merged into one additive float mask [1 or N*H, L, S]
        Tensor mask = null;
        if (attnMask != null) {
            checkMaskDtype("attn_mask", attnMask);
            if (attnMask.dim() == 2) {
                if (attnMask.size(0) != tgtLen || attnMask.size(1) != srcLen) {
                    throw new IllegalArgumentException("multiHeadAttention: the shape of the 2D attn_mask is "
                            + Arrays.toString(attnMask.shape()) + ", but should be [" + tgtLen + ", " + srcLen + "]");
                }
                mask = attnMask.unsqueeze(0);
            } else if (attnMask.dim() == 3) {
                if (attnMask.size(0) != bsz * numHeads || attnMask.size(1) != tgtLen || attnMask.size(2) != srcLen) {
                    throw new IllegalArgumentException("multiHeadAttention: the shape of the 3D attn_mask is "
                            + Arrays.toString(attnMask.shape()) + ", but should be [" + bsz * numHeads + ", " + tgtLen + ", "
                            + srcLen + "]");
                }
                mask = attnMask;
            } else {
                throw new IllegalArgumentException("multiHeadAttention: attn_mask's dimension " + attnMask.dim()
                        + " is not supported (expected 2 or 3)");
            }
        }
        if (keyPaddingMask != null) {
            checkMaskDtype("key_padding_mask", keyPaddingMask);
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != bsz || keyPaddingMask.size(1) != srcLen) {
                throw new IllegalArgumentException("multiHeadAttention: expecting key_padding_mask shape of [" + bsz + ", " + srcLen
                        + "], but got " + Arrays.toString(keyPaddingMask.shape()));
            }
            Tensor kpm = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(bsz, numHeads, 1, srcLen).reshape(bsz * numHeads, 1, srcLen);
            if (mask == null) {
                mask = kpm;
            } else if (mask.dtype() == DType.BOOL && kpm.dtype() == DType.BOOL) {
                mask = mask.logicalOr(kpm);
            } else {
                mask = additive(mask, q.dtype()).add(additive(kpm, q.dtype()));
            }
        }
        if (mask != null) {
            mask = additive(mask, q.dtype());
        }
        if (!training) {
            dropoutP = 0.0;
        }

        // ---- heads: [N*H, L, headDim]
        q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
        k = k.contiguous().view(srcLen, bsz * numHeads, headDim).transpose(0, 1);
        v = v.contiguous().view(srcLen, bsz * numHeads, headDim).transpose(0, 1);
        Tensor scores = q.div(Math.sqrt(headDim)).bmm(k.transpose(-2, -1));
        if (mask != null) {
            scores = scores.add(mask);
        }
        Tensor weights = scores.softmax(-1);
        if (dropoutP > 0) {
            weights = Dropout.dropout(weights, dropoutP, true, generator);
        }
        Tensor out = weights.bmm(v).transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
        out = Linear.linear(out, outProjWeight, outProjBias).view(tgtLen, bsz, outProjWeight.size(0));

        Tensor w = null;
        if (needWeights) {
            w = weights.view(bsz, numHeads, tgtLen, srcLen);
            if (averageAttnWeights) {
                w = w.sum(1).div((double) numHeads);
            }
            if (!batched) {
                w = w.squeeze(0);
            }
        }
        if (!batched) {
            out = out.squeeze(1);
        }
        return new Result(out, w);
    }

    /** A bool mask (true = masked) as an additive float mask (-inf where masked, 0 elsewhere); float masks as they are. */
    static Tensor additive(Tensor mask, DType dtype) {
        if (mask.dtype() != DType.BOOL) {
            return mask.to(dtype);
        }
        try (var g = Autograd.noGrad()) {
            return Tensor.zeros(mask.shape(), dtype).maskedFill(mask, Double.NEGATIVE_INFINITY);
        }
    }

    private static void checkMaskDtype(String name, Tensor mask) {
        if (mask.dtype() != DType.BOOL && !mask.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("multiHeadAttention: only bool and floating types of " + name
                    + " are supported, got " + mask.dtype());
        }
    }
}
