package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.DataLoader;

/**
 * Mirrors an image {@code [..., H, W]} left to right with probability {@code p}, as
 * {@code torchvision.transforms.RandomHorizontalFlip}: one uniform draw per call, flipping when it is below {@code p}.
 */
public final class RandomHorizontalFlip implements Transform {
    private final double p;
    private final Generator generator;

    public RandomHorizontalFlip(double p) {
        this(p, null);
    }

    /**
     * @param generator where to draw from; null for {@link DataLoader#batchGenerator()}
     */
    public RandomHorizontalFlip(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Tensor apply(Tensor img) {
        Generator gen = generator != null ? generator : DataLoader.batchGenerator();
        if (Tensor.rand(new int[] {1}, gen).item() < p) {
            return hflip(img);
        }
        return img;
    }

    /** The image mirrored along its last dimension. */
    public static Tensor hflip(Tensor img) {
        if (img.dim() < 1) {
            throw new IllegalArgumentException("hflip: expected an image of shape [..., W], got a 0-dim tensor");
        }
        int w = img.size(-1);
        long[] reversed = new long[w];
        for (int i = 0; i < w; i++) {
            reversed[i] = w - 1 - i;
        }
        try (var g = Autograd.noGrad()) {
            return img.indexSelect(img.dim() - 1, Tensor.of(reversed));
        }
    }
}
