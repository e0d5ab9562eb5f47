package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The contiguous float32 loops for relu and sign agree bit for bit with the strided (double) path on special values. */
class FloatUnaryFastPathTest {
    private static final float[] VALUES = {Float.NaN, -0f, 0f, -2.5f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE};

    @Test
    void reluKeepsNaNAndZeroesNegativesAndNegativeZero() {
        float[] got = Tensor.of(VALUES, VALUES.length).relu().toFloatArray();
        assertArrayEquals(new float[] {Float.NaN, 0f, 0f, 0f, 3f, 0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, 0f}, got);
        assertArrayEquals(strided(VALUES).relu().toFloatArray(), got);
    }

    @Test
    void signKeepsSignedZerosAndMapsNaNToZero() {
        float[] got = Tensor.of(VALUES, VALUES.length).sign().toFloatArray();
        assertArrayEquals(new float[] {0f, -0f, 0f, -1f, 1f, -1f, 1f, 1f, -1f}, got);
        assertArrayEquals(strided(VALUES).sign().toFloatArray(), got);
        assertArrayEquals(Tensor.of(VALUES, VALUES.length).to(DType.FLOAT64).sign().to(DType.FLOAT32).toFloatArray(), got);
    }

    /** The same values as a non-contiguous view (every other element of a doubled array), which skips the fast loops. */
    private static Tensor strided(float[] values) {
        float[] doubled = new float[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            doubled[2 * i] = values[i];
            doubled[2 * i + 1] = 99f;
        }
        return Tensor.of(doubled, values.length, 2).select(1, 0);
    }
}
