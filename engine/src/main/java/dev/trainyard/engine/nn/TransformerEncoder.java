package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@code numLayers} copies of an encoder layer and an optional final normalization, as
 * {@code nn.TransformerEncoder}. As PyTorch's {@code deepcopy}, every copy starts with the given layer's weights; the
 * copies are children {@code layers.0}, {@code layers.1}, ... and the normalization is {@code norm}, so state dict
 * keys are PyTorch's ({@code layers.0.self_attn.in_proj_weight}, {@code norm.weight}).
 */
public class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final Module norm;

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) {
        this(encoderLayer, numLayers, null);
    }

    /** {@code norm} (e.g. a {@link LayerNorm}) may be null. */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException("TransformerEncoder: num_layers must be positive, got " + numLayers);
        }
        List<Module> copies = new ArrayList<>(numLayers);
        for (int i = 0; i < numLayers; i++) {
            copies.add(encoderLayer.copy());
        }
        this.layers = registerModule("layers", new ModuleList(copies));
        this.norm = registerModule("norm", norm);
    }

    /**
     * Runs {@code src} through every layer with the same {@code mask} (attention mask) and {@code srcKeyPaddingMask},
     * then {@code norm}; either mask may be null. See {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}.
     */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor out = src;
        for (Module layer : layers) {
            out = ((TransformerEncoderLayer) layer).call(out, mask, srcKeyPaddingMask);
        }
        return norm == null ? out : norm.call(out);
    }

    /** Runs {@link #forward(Tensor, Tensor, Tensor)} between the forward hooks, as {@code encoder(src, mask, src_key_padding_mask)}. */
    public Tensor call(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        return callWithHooks(new Tensor[] {src, mask, srcKeyPaddingMask}, in -> forward(in[0], in[1], in[2]));
    }

    /** Encodes without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    public ModuleList layers() {
        return layers;
    }

    public int numLayers() {
        return layers.size();
    }

    /** The final normalization, or null. */
    public Module norm() {
        return norm;
    }
}
