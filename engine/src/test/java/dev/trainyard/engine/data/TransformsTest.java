package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.transforms.Normalize;
import dev.trainyard.engine.data.transforms.RandomCrop;
import dev.trainyard.engine.data.transforms.RandomHorizontalFlip;
import dev.trainyard.engine.data.transforms.ToTensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {

    @Test
    void toTensorScalesAndMovesChannelsFirst() {
        Tensor gray = Tensor.ofUint8(new byte[] {0, (byte) 255, 51, (byte) 128}, 2, 2);
        Tensor t = new ToTensor().apply(gray);
        assertArrayEquals(new int[] {1, 2, 2}, t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new float[] {0f, 1f, 51 / 255f, 128 / 255f}, t.toFloatArray());

        // [H=1, W=2, C=3] -> [3, 1, 2]
        Tensor rgb = Tensor.ofUint8(new byte[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        Tensor c = new ToTensor().apply(rgb);
        assertArrayEquals(new int[] {3, 1, 2}, c.shape());
        assertArrayEquals(new float[] {1 / 255f, 4 / 255f, 2 / 255f, 5 / 255f, 3 / 255f, 6 / 255f}, c.toFloatArray());

        var e = assertThrows(IllegalArgumentException.class, () -> new ToTensor().apply(Tensor.zeros(2, 2)));
        assertTrue(e.getMessage().contains("uint8"), e.getMessage());
    }

    @Test
    void normalizeIsPerChannel() {
        Tensor x = Tensor.of(new float[] {0.5f, 1f, 0.25f, 0f}, 2, 1, 2);
        Tensor y = new Normalize(new double[] {0.5, 0.25}, new double[] {0.5, 0.1}).apply(x);
        float s1 = (float) 0.1;
        assertArrayEquals(new float[] {0f, 1f, (0.25f - 0.25f) / s1, (0f - 0.25f) / s1}, y.toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1f, 0.25f, 0f}, x.toFloatArray(), "the input is not modified");
        var e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0}, new double[] {0}));
        assertTrue(e.getMessage().contains("std evaluated to zero"), e.getMessage());
    }

    @Test
    void randomCropTakesAWindowOfThePaddedImage() {
        float[] px = new float[16];
        for (int i = 0; i < 16; i++) {
            px[i] = i + 1;
        }
        Tensor img = Tensor.of(px, 1, 4, 4);
        var gen = new Generator().manualSeed(5);
        Tensor crop = new RandomCrop(4, 4, 2, gen).apply(img);
        assertArrayEquals(new int[] {1, 4, 4}, crop.shape());
        // replay the two draws: the corner of the crop in the 8x8 padded image
        var replay = new Generator().manualSeed(5);
        int i = (int) Tensor.randint(0, 5, new int[] {1}, replay).itemLong();
        int j = (int) Tensor.randint(0, 5, new int[] {1}, replay).itemLong();
        float[] out = crop.toFloatArray();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                int pr = i + r - 2;
                int pc = j + c - 2;
                float expected = pr >= 0 && pr < 4 && pc >= 0 && pc < 4 ? px[pr * 4 + pc] : 0f;
                assertEquals(expected, out[r * 4 + c], "crop at (" + r + ", " + c + ") with corner (" + i + ", " + j + ")");
            }
        }
        // a crop the size of the image takes no random draw
        byte[] before = gen.getState();
        assertSame(img, new RandomCrop(4, 4, 0, gen).apply(img));
        assertArrayEquals(before, gen.getState());
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(6, 6, 0, gen).apply(img));
        assertTrue(e.getMessage().contains("larger than the (padded) input image size (4, 4)"), e.getMessage());
    }

    @Test
    void horizontalFlip() {
        Tensor img = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, new RandomHorizontalFlip(1.0).apply(img).toFloatArray());
        assertSame(img, new RandomHorizontalFlip(0.0).apply(img));
        Tensor bytes = Tensor.ofUint8(new byte[] {1, 2, 3}, 1, 3);
        assertArrayEquals(new long[] {3, 2, 1}, RandomHorizontalFlip.hflip(bytes).toLongArray());
        assertEquals(DType.UINT8, RandomHorizontalFlip.hflip(bytes).dtype());
    }
}
