package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Constant padding, as {@code F.pad(input, pad, mode="constant", value)}, composed from {@code narrow} (negative
 * padding crops) and {@code cat} with constant blocks, so autograd gives the gradient (the input's slice of the
 * upstream gradient).
 */
public final class Padding {
    private Padding() {
    }

    /**
     * Pads the last {@code pad.length / 2} dims: {@code pad = {left, right}} pads the last dim, {@code {left, right,
     * top, bottom}} the last two, and so on (PyTorch's order, last dim first). Negative amounts remove elements.
     */
    public static Tensor pad(Tensor input, int[] pad, double value) {
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding length must be divisible by 2, got " + Arrays.toString(pad));
        }
        if (pad.length / 2 > input.dim()) {
            throw new IllegalArgumentException("pad: padding length " + pad.length + " pads " + pad.length / 2
                    + " dims, but the input of shape " + Arrays.toString(input.shape()) + " has only " + input.dim());
        }
        Tensor out = input;
        for (int i = 0; i < pad.length / 2; i++) {
            int d = input.dim() - 1 - i;
            int left = pad[2 * i];
            int right = pad[2 * i + 1];
            int size = out.size(d);
            if (size + Math.min(left, 0) + Math.min(right, 0) < 0) {
                throw new IllegalArgumentException("pad: padding (" + left + ", " + right + ") would crop more than the "
                        + size + " elements of dim " + d + " (input shape " + Arrays.toString(input.shape()) + ")");
            }
            if (left < 0 || right < 0) {
                int start = Math.max(0, -left);
                out = out.narrow(d, start, size - start - Math.max(0, -right));
            }
            if (left > 0 || right > 0) {
                List<Tensor> parts = new ArrayList<>(3);
                if (left > 0) {
                    parts.add(block(out, d, left, value));
                }
                parts.add(out);
                if (right > 0) {
                    parts.add(block(out, d, right, value));
                }
                out = Tensor.cat(parts, d);
            }
        }
        return out;
    }

    /** Pads with zeros. */
    public static Tensor pad(Tensor input, int[] pad) {
        return pad(input, pad, 0.0);
    }

    /** {@code F.pad} with a mode; only "constant" is available. */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
        if (!"constant".equals(mode)) {
            throw new UnsupportedOperationException("pad: mode '" + mode + "' is not available; only 'constant' is");
        }
        return pad(input, pad, value);
    }

    private static Tensor block(Tensor like, int dim, int length, double value) {
        int[] shape = like.shape();
        shape[dim] = length;
        try (var g = Autograd.noGrad()) {
            return Tensor.full(shape, value, like.dtype());
        }
    }
}
