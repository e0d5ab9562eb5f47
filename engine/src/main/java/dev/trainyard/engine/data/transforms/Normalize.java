package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Normalizes a float {@code [C, H, W]} (or {@code [..., C, H, W]}) tensor per channel, {@code (x - mean[c]) / std[c]},
 * as {@code torchvision.transforms.Normalize}. Returns a new tensor. Safe to share between loader threads.
 */
public final class Normalize implements Transform {
    private final double[] mean;
    private final double[] std;
    /** {mean, std} as {@code [C, 1, 1]} tensors of one dtype, built on the first image of that dtype, not per image. */
    private final Map<DType, Tensor[]> meanAndStdByDtype = new ConcurrentHashMap<>();

    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std must have the same, nonzero length, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < std.length; c++) {
            if (std[c] == 0) {
                throw new IllegalArgumentException("Normalize: std evaluated to zero at channel " + c
                        + ", leading to division by zero");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public Tensor apply(Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Normalize: expected a float tensor (apply ToTensor first), got " + x.dtype());
        }
        if (x.dim() < 3) {
            throw new IllegalArgumentException("Normalize: expected a tensor of shape [..., C, H, W], got "
                    + Arrays.toString(x.shape()));
        }
        int channels = x.size(-3);
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means for an image with " + channels + " channels");
        }
        Tensor[] meanAndStd = meanAndStd(x.dtype());
        return x.sub(meanAndStd[0]).div(meanAndStd[1]);
    }

    /**
     * mean and std as tensors of the image's dtype, as torchvision's {@code torch.as_tensor(mean, dtype=tensor.dtype)};
     * the same instances for every image of that dtype (nothing writes into them).
     */
    Tensor[] meanAndStd(DType dtype) {
        return meanAndStdByDtype.computeIfAbsent(dtype, d -> new Tensor[] {
                Tensor.of(mean).to(d).view(mean.length, 1, 1), Tensor.of(std).to(d).view(std.length, 1, 1)});
    }
}
