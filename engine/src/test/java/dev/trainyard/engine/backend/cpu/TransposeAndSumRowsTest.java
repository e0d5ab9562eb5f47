package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A convolution's output gradient as product rows and bias gradient in one pass ({@code transposeAndSumRows}) has the
 * bits of the copy of its transpose and of {@code sum over dims 0 and 2}, on the cnn's two shapes, channel counts that
 * leave a partial tile, a gradient that starts inside its array, and special values (infinities of both signs, extremes, signed zeros).
 */
class TransposeAndSumRowsTest {
    /*
     * No NaN among the inputs of the bit comparison: where two NaNs meet in an addition, which payload survives depends
     * on the operand order the JIT picks for a commutative add (x86 keeps the first operand's), not on the order of
     * the sum; infinities of both signs still make NaNs inside the sums.
     */
    private static final float[] SPECIAL = {-0f, 0f, -2.5f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-8f, 1e8f};

    @Test
    void theCopyAndTheReductionsBitsOnEveryShape() {
        int[][] shapes = {{64, 32, 676}, {64, 64, 121}, {3, 17, 33}, {2, 1, 5}, {1, 40, 1}, {5, 33, 97}};
        SplittableRandom random = new SplittableRandom(13);
        for (int[] shape : shapes) {
            for (boolean special : new boolean[] {false, true}) {
                int n = shape[0] * shape[1] * shape[2];
                float[] g = new float[n + 5];
                for (int i = 0; i < g.length; i++) {
                    // magnitudes far apart, so that the order of the sums shows in the bits
                    g[i] = special && random.nextInt(50) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                            : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
                }
                Tensor grad = Tensor.of(g, g.length).slice(0, 5, g.length).view(shape);
                Tensor[] fused = CpuKernels.INSTANCE.transposeAndSumRows(grad);
                String what = java.util.Arrays.toString(shape) + (special ? " with special values" : "");
                assertArrayEquals(new int[] {shape[0], shape[2], shape[1]}, fused[0].shape(), what);
                assertArrayEquals(new int[] {shape[1]}, fused[1].shape(), what);
                assertSameBits(grad.transpose(1, 2).contiguous().toFloatArray(), fused[0].toFloatArray(), what + ": rows");
                assertSameBits(grad.sum(new int[] {0, 2}, true).reshape(shape[1]).toFloatArray(), fused[1].toFloatArray(),
                        what + ": sums");
            }
        }
    }

    @Test
    void aNaNInTheGradientIsCopiedAndMakesItsChannelsSumNaN() {
        float[] g = new float[2 * 3 * 4];
        for (int i = 0; i < g.length; i++) {
            g[i] = i;
        }
        g[1 * 12 + 1 * 4 + 2] = Float.NaN;
        Tensor grad = Tensor.of(g, 2, 3, 4);
        Tensor[] fused = CpuKernels.INSTANCE.transposeAndSumRows(grad);
        assertSameBits(grad.transpose(1, 2).contiguous().toFloatArray(), fused[0].toFloatArray(), "rows");
        float[] sums = fused[1].toFloatArray();
        assertEquals(0f + 1 + 2 + 3 + 12 + 13 + 14 + 15, sums[0]);
        assertTrue(Float.isNaN(sums[1]));
        assertEquals(8f + 9 + 10 + 11 + 20 + 21 + 22 + 23, sums[2]);
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + ": element " + i);
        }
    }
}
