package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** uint8 to float32 (how images are loaded): bytes read unsigned, the view's offset honoured, strided views too. */
class Uint8ToFloatTest {
    private static final byte[] PIXELS = {0, 1, 127, (byte) 128, (byte) 200, (byte) 255};

    @Test
    void contiguousBytesBecomeTheirUnsignedValues() {
        Tensor images = Tensor.ofUint8(PIXELS, 2, 3);
        assertArrayEquals(new float[] {0f, 1f, 127f, 128f, 200f, 255f}, images.to(DType.FLOAT32).toFloatArray());
    }

    @Test
    void aRowOfTheStorageStartsAtItsOffset() {
        Tensor secondRow = Tensor.ofUint8(PIXELS, 2, 3).select(0, 1);
        assertArrayEquals(new float[] {128f, 200f, 255f}, secondRow.to(DType.FLOAT32).toFloatArray());
    }

    @Test
    void aTransposedViewMatchesTheContiguousConversion() {
        Tensor transposed = Tensor.ofUint8(PIXELS, 2, 3).transpose(0, 1);
        assertArrayEquals(new float[] {0f, 128f, 1f, 200f, 127f, 255f}, transposed.to(DType.FLOAT32).toFloatArray());
    }
}
