package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * The parameters shared by {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d}, as PyTorch's {@code _ConvNd}:
 * channels, groups, the {@code weight} and optional {@code bias} and their initialization. Subclasses validate their
 * arguments before calling the constructor.
 */
abstract sealed class ConvNd extends Module permits Conv1d, Conv2d, ConvTranspose2d {
    private final int inChannels;
    private final int outChannels;
    private final int groups;

    /** @param weightShape the weight's full shape (its layout differs between convolution and transposed convolution) */
    ConvNd(int inChannels, int outChannels, int groups, boolean bias, int... weightShape) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        registerParameter("weight", Tensor.empty(weightShape));
        registerParameter("bias", bias ? Tensor.empty(outChannels) : null);
        resetParameters();
    }

    /** Re-draws the parameters from the default generator. */
    public void resetParameters() {
        resetParameters(Generator.defaultGenerator());
    }

    /** PyTorch's {@code _ConvNd.reset_parameters}: kaiming-uniform(a = √5) weight, bias U(±1/√fanIn). */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu", generator);
        if (bias() != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias(), -bound, bound, generator);
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for {@code bias=false}. */
    public Tensor bias() {
        return parameter("bias");
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int groups() {
        return groups;
    }

    /** Checks for an input {@code [N, C_in, spatial]} or unbatched {@code [C_in, spatial]}, e.g. spatial "H, W". */
    void checkInput(Tensor input, String spatial) {
        int batchedDims = weight().dim();
        if ((input.dim() != batchedDims - 1 && input.dim() != batchedDims) || input.size(-batchedDims + 1) != inChannels) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + inChannels + ", " + spatial + "] or ["
                    + inChannels + ", " + spatial + "] (" + inChannels + " input channels), got " + Arrays.toString(input.shape()));
        }
    }
}
