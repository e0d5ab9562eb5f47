package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Normalization;
import dev.trainyard.engine.nn.init.Init;

import java.util.Arrays;

/**
 * Group normalization, as {@code nn.GroupNorm}: the {@code numChannels} channels of {@code [N, C, *]} are split into
 * {@code numGroups} groups and each sample's group is normalized over its channels and positions (biased variance),
 * then scaled and shifted per channel by {@code weight} (ones) and {@code bias} (zeros) when {@code affine}. The
 * same in training and evaluation.
 */
public class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final boolean affine;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    /** As {@code nn.GroupNorm(num_groups, num_channels, eps, affine)}. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels (" + numChannels + ") must be divisible by num_groups ("
                    + numGroups + "), both positive");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        registerParameter("weight", affine ? Tensor.empty(numChannels) : null);
        registerParameter("bias", affine ? Tensor.empty(numChannels) : null);
        resetParameters();
    }

    /** weight ones, bias zeros. */
    public void resetParameters() {
        if (affine) {
            Init.ones_(weight());
            Init.zeros_(bias());
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    public int numGroups() {
        return numGroups;
    }

    public int numChannels() {
        return numChannels;
    }

    public double eps() {
        return eps;
    }

    public boolean affine() {
        return affine;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 2 || input.size(1) != numChannels) {
            throw new IllegalArgumentException(this + ": expected input [N, " + numChannels + ", *] with " + numChannels
                    + " channels in dim 1, got " + Arrays.toString(input.shape()));
        }
        return Normalization.groupNorm(input, numGroups, weight(), bias(), eps);
    }

    @Override
    public String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + pyFloat(eps) + ", affine=" + (affine ? "True" : "False");
    }
}
