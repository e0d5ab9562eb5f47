package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * {@code y = x W^T + b}, as {@code nn.Linear}: weight {@code [outFeatures, inFeatures]}, bias {@code [outFeatures]}.
 * Initialized as PyTorch does: weight kaiming-uniform with a = √5 (i.e. U(±1/√inFeatures)), bias U(±1/√inFeatures).
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be non-negative, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.empty(outFeatures, inFeatures));
        registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        initParameters(Generator.defaultGenerator());
    }

    /** Re-draws the parameters from the default generator. */
    public void resetParameters() {
        resetParameters(Generator.defaultGenerator());
    }

    public void resetParameters(Generator generator) {
        initParameters(generator);
    }

    private void initParameters(Generator generator) {
        Init.kaimingUniform_(parameter("weight"), Math.sqrt(5), "fan_in", "leaky_relu", generator);
        Tensor bias = parameter("bias");
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias, -bound, bound, generator);
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for {@code bias=false}. */
    public Tensor bias() {
        return parameter("bias");
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException(className() + "(in_features=" + inFeatures + ", out_features=" + outFeatures
                    + "): expected input with last dimension " + inFeatures + ", got shape "
                    + Arrays.toString(input.shape()));
        }
        return F.linear(input, weight(), bias());
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias() != null ? "True" : "False");
    }
}
