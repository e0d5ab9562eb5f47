package dev.trainyard.engine.examples;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.transforms.ToTensor;
import dev.trainyard.engine.backend.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FashionMnistBenchTest {

    /** Every byte value, at an offset into its storage, as four 2x2 "images" (the last one's tail repeats 0..3). */
    private static Tensor everyByte() {
        byte[] bytes = new byte[3 + 260];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i - 3);
        }
        return Tensor.wrap(Storage.wrap(bytes, DType.UINT8), bytes.length).slice(0, 3, bytes.length).view(65, 2, 2);
    }

    @Test
    void pixelsAreTheBitsOfToFloat32DividedBy255() {
        Tensor images = everyByte();
        Tensor expected = images.to(DType.FLOAT32).div(255.0).unsqueeze(1);
        Tensor actual = ToTensor.grayscaleBatch(images);
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(DType.FLOAT32, actual.dtype());
        float[] want = expected.contiguous().storage().floats();
        float[] got = actual.storage().floats();
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "byte " + (i & 0xFF));
        }
        assertEquals(1.0f, got[255]);
        assertEquals(128 / 255f, got[128]);
    }
}
