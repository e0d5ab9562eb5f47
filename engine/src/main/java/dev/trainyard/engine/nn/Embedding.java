package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as {@code nn.Embedding}: maps an
 * integer tensor of indices to {@code indices.shape + [embeddingDim]}. Weights start N(0, 1); the row at
 * {@code paddingIdx}, if given, starts at zero and never receives a gradient.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** {@code paddingIdx} may be negative (counted from the end) or null for none. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null);
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor weight) {
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: sizes must be non-negative, got " + numEmbeddings + ", " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null
                : dev.trainyard.engine.nn.functional.Embedding.normalizePaddingIdx(paddingIdx, numEmbeddings);
        if (weight == null) {
            registerParameter("weight", Tensor.empty(numEmbeddings, embeddingDim));
            initParameters(Generator.defaultGenerator());
        } else {
            registerParameter("weight", weight);
        }
    }

    /**
     * An embedding holding {@code embeddings [num, dim]} (copied), as {@code nn.Embedding.from_pretrained};
     * {@code freeze} keeps the weight from training.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be 2-D, got shape "
                    + Arrays.toString(embeddings.shape()));
        }
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, embeddings.detach().clone());
        e.weight().requiresGrad_(!freeze);
        return e;
    }

    public void resetParameters() {
        resetParameters(Generator.defaultGenerator());
    }

    public void resetParameters(Generator generator) {
        initParameters(generator);
    }

    private void initParameters(Generator generator) {
        Tensor weight = parameter("weight");
        Init.normal_(weight, 0, 1, generator);
        if (paddingIdx != null) {
            Init.zeros_(weight.select(0, paddingIdx));
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding index (wrapped to be non-negative), or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    @Override
    public Tensor forward(Tensor input) {
        return dev.trainyard.engine.nn.functional.Embedding.embedding(input, weight(), paddingIdx);
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
