package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The contiguous float32 loops for relu and sign agree bit for bit with the strided (double) path on special values,
 * in the vector part of the loops and in their scalar tails.
 */
class FloatUnaryFastPathTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, -2.5f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE};
    private static final float[] RELU = {Float.NaN, -0f, 0f, 0f, 3f, 0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, 0f};
    private static final float[] SIGN = {0f, -0f, 0f, -1f, 1f, -1f, 1f, 1f, -1f};
    /** Seven copies: longer than any vector, with a tail. */
    private static final float[] VALUES = repeated(SPECIAL);

    private static float[] repeated(float[] v) {
        float[] out = new float[v.length * 7];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[i % v.length];
        }
        return out;
    }

    @Test
    void reluKeepsNaNAndNegativeZeroAndZeroesNegatives() {
        float[] got = Tensor.of(VALUES, VALUES.length).relu().toFloatArray();
        assertArrayEquals(repeated(RELU), got);
        assertArrayEquals(strided(VALUES).relu().toFloatArray(), got);
    }

    @Test
    void signKeepsSignedZerosAndMapsNaNToZero() {
        float[] got = Tensor.of(VALUES, VALUES.length).sign().toFloatArray();
        assertArrayEquals(repeated(SIGN), got);
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
