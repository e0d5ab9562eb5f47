package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ops.LinearAlgebra;

import java.util.Arrays;

/** The affine map {@code y = x W^T + b}, as {@code F.linear}. */
public final class Linear {
    private Linear() {
    }

    /** {@code input [*, in]}, {@code weight [out, in]}, {@code bias [out]} or null; returns {@code [*, out]}. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D [out_features, in_features], got shape "
                    + Arrays.toString(weight.shape()));
        }
        if (input.dim() == 0 || input.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: expected input with last dimension " + weight.size(1) + " (weight shape "
                    + Arrays.toString(weight.shape()) + "), got shape " + Arrays.toString(input.shape()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias must have shape [" + weight.size(0) + "] to match weight shape "
                    + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(bias.shape()));
        }
        if (input.dim() == 2 && bias != null && input.dtype().isFloatingPoint() && weight.dtype() == input.dtype()
                && bias.dtype() == input.dtype()) {
            return LinearAlgebra.addmm(input, weight, bias);
        }
        Tensor out = input.matmul(weight.t());
        return bias == null ? out : out.add(bias);
    }
}
