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
}
