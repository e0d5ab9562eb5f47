package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** put into a scalar expanded to a shape: a +0 needs no copying, any other value (-0 included) is copied first. */
class PutIntoBroadcastTest {
    private static final Tensor INDEX = Tensor.of(new long[] {4, 1, 4}, 3);
    private static final Tensor SRC = Tensor.of(new float[] {1f, -0f, 2f}, 3);

    private static float[] putInto(float value) {
        Tensor x = Tensor.of(new float[] {value}, 1).reshape(new int[0]).expand(2, 3);
        return CpuKernels.INSTANCE.put(x, INDEX, SRC, true).toFloatArray();
    }

    @Test
    void positiveZeroGivesTheSums() {
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 3f, 0f}, putInto(0f));
    }

    @Test
    void otherValuesAreKeptWhereNothingIsAdded() {
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 5.5f, 2.5f}, putInto(2.5f));
        float[] negativeZero = putInto(-0f);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(negativeZero[0]));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(negativeZero[1]));
        assertEquals(3f, negativeZero[4]);
    }
}
