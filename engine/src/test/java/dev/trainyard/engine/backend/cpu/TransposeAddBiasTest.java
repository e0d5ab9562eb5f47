package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.BinaryOp;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A convolution's output from its product rows ({@code transposeAddBias}, tiled) has the bits of the strided add it
 * replaces, {@code product.transpose(1, 2) + bias}, on the cnn's two shapes, edges of partial tiles, a product that
 * starts inside its array, and special values.
 */
class TransposeAddBiasTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, -2.5f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE};

    @Test
    void theStridedAddsBitsOnEveryShape() {
        int[][] shapes = {{64, 676, 32}, {64, 121, 64}, {3, 33, 31}, {2, 1, 5}, {1, 7, 1}, {5, 65, 97}};
        SplittableRandom random = new SplittableRandom(11);
        for (int[] shape : shapes) {
            int n = shape[0] * shape[1] * shape[2];
            float[] p = new float[n + 3];
            for (int i = 0; i < p.length; i++) {
                p[i] = random.nextInt(8) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
            }
            float[] b = new float[shape[2]];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(5) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
            }
            // a product that starts three elements into its array
            Tensor product = Tensor.of(p, p.length).slice(0, 3, p.length).view(shape);
            Tensor bias = Tensor.of(b, b.length);
            int[] outShape = {shape[0], shape[2], shape[1]};
            Tensor expected = CpuKernels.INSTANCE.binary(BinaryOp.ADD, product.transpose(1, 2),
                    bias.view(1, shape[2], 1).expand(outShape));
            Tensor actual = CpuKernels.INSTANCE.transposeAddBias(product, bias);
            assertArrayEquals(outShape, actual.shape());
            float[] e = expected.toFloatArray();
            float[] a = actual.toFloatArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
                        java.util.Arrays.toString(shape) + ": element " + i);
            }
        }
    }
}
