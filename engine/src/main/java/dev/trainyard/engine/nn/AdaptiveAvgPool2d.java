package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.functional.Pooling;

import java.util.Arrays;

/**
 * Average pooling to a fixed output size whatever the input size, as {@code nn.AdaptiveAvgPool2d}: output window
 * {@code i} spans input rows {@code [floor(i * H / outH), ceil((i + 1) * H / outH))}, likewise for columns.
 * {@code new AdaptiveAvgPool2d(1)} is global average pooling.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got (" + outH + ", " + outW + ")");
        }
        this.outputSize = new int[] {outH, outW};
    }

    public int[] outputSize() {
        return outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(this + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape "
                    + Arrays.toString(input.shape()));
        }
        return Pooling.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + MaxPool2d.pyIntOrTuple(outputSize);
    }
}
