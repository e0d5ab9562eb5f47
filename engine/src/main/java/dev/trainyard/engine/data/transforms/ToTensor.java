package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

import java.util.Arrays;

/**
 * Converts a uint8 image, {@code [H, W]} (grayscale) or {@code [H, W, C]}, to a float32 {@code [C, H, W]} tensor with
 * values in {@code [0, 1]} (each byte divided by 255), as {@code torchvision.transforms.ToTensor}.
 */
public final class ToTensor implements Transform {

    @Override
    public Tensor apply(Tensor image) {
        if (image.dtype() != DType.UINT8) {
            throw new IllegalArgumentException("ToTensor: expected a uint8 image of shape [H, W] or [H, W, C], got dtype "
                    + image.dtype() + " and shape " + Arrays.toString(image.shape()));
        }
        if (image.dim() != 2 && image.dim() != 3) {
            throw new IllegalArgumentException("ToTensor: expected an image of shape [H, W] or [H, W, C], got shape "
                    + Arrays.toString(image.shape()));
        }
        int h = image.size(0);
        int w = image.size(1);
        int c = image.dim() == 3 ? image.size(2) : 1;
        Tensor src = image.contiguous();
        byte[] bytes = src.storage().bytes();
        int off = src.storageOffset();
        float[] out = new float[c * h * w];
        int hw = h * w;
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                out[ch * hw + p] = (bytes[off + p * c + ch] & 0xFF) / 255f;
            }
        }
        return Tensor.wrap(Storage.wrap(out), c, h, w);
    }

    /**
     * A whole split of grayscale images at once: uint8 {@code [N, H, W]} to float32 {@code [N, 1, H, W]} with
     * {@link #apply}'s values for each image, in one pass into one array (through {@code to(FLOAT32).div(255)} the
     * same bits cost a second array of the split's size, whose first touches cost more than the pass).
     */
    public static Tensor grayscaleBatch(Tensor images) {
        if (images.dtype() != DType.UINT8 || images.dim() != 3) {
            throw new IllegalArgumentException("ToTensor.grayscaleBatch: expected uint8 images of shape [N, H, W], got dtype "
                    + images.dtype() + " and shape " + Arrays.toString(images.shape()));
        }
        Tensor src = images.contiguous();
        byte[] bytes = src.storage().bytes();
        int offset = src.storageOffset();
        float[] out = new float[src.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (bytes[offset + i] & 0xFF) / 255f;
        }
        return Tensor.wrap(Storage.wrap(out), src.size(0), 1, src.size(1), src.size(2));
    }
}
