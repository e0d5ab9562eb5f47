package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.DataLoader;

import java.util.Arrays;

/**
 * Crops a random {@code height x width} window of an image {@code [..., H, W]} after zero-padding every side by
 * {@code padding}, as {@code torchvision.transforms.RandomCrop(size, padding)}: the top-left corner is
 * {@code i = randint(0, H - height + 1)}, then {@code j = randint(0, W - width + 1)} (no draw when the sizes match).
 */
public final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;
    private final Generator generator;

    /** A square crop of {@code size} after padding by {@code padding}. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding, null);
    }

    /**
     * @param generator where to draw the corner from; null for {@link DataLoader#batchGenerator()}
     */
    public RandomCrop(int height, int width, int padding, Generator generator) {
        if (height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: expected a positive size and non-negative padding, got size "
                    + height + "x" + width + " and padding " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.generator = generator;
    }

    @Override
    public Tensor apply(Tensor img) {
        if (img.dim() < 2) {
            throw new IllegalArgumentException("RandomCrop: expected an image of shape [..., H, W], got " + Arrays.toString(img.shape()));
        }
        try (var g = Autograd.noGrad()) {
            Tensor x = img;
            if (padding > 0) {
                int[] shape = img.shape();
                shape[shape.length - 2] += 2 * padding;
                shape[shape.length - 1] += 2 * padding;
                x = Tensor.zeros(shape, img.dtype());
                x.narrow(-2, padding, img.size(-2)).narrow(-1, padding, img.size(-1)).copy_(img);
            }
            int h = x.size(-2);
            int w = x.size(-1);
            if (h < height || w < width) {
                throw new IllegalArgumentException("RandomCrop: required crop size (" + height + ", " + width
                        + ") is larger than the (padded) input image size (" + h + ", " + w + ")");
            }
            if (h == height && w == width) {
                return x == img ? img : x;
            }
            Generator gen = generator != null ? generator : DataLoader.batchGenerator();
            int i = (int) Tensor.randint(0, h - height + 1, new int[] {1}, gen).itemLong();
            int j = (int) Tensor.randint(0, w - width + 1, new int[] {1}, gen).itemLong();
            return x.narrow(-2, i, height).narrow(-1, j, width).contiguous();
        }
    }
}
