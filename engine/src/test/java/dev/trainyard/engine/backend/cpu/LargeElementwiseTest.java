package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tensors large enough that elementwise kernels and strided copies split their work across cores: every element must
 * still be computed once, at its place (chunk edges, slices of the first dim, odd sizes).
 */
class LargeElementwiseTest {
    private static final int N = 200_003;

    private static float[] values(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }

    @Test
    void unaryOpsCoverEveryElement() {
        float[] a = values(N, 1);
        Tensor t = Tensor.of(a, N);
        float[] relu = t.relu().toFloatArray();
        float[] sign = t.sign().toFloatArray();
        float[] neg = t.neg().toFloatArray();
        float[] abs = t.abs().toFloatArray();
        for (int i = 0; i < N; i++) {
            assertEquals(Math.max(a[i], 0f), relu[i], "relu " + i);
            assertEquals(Math.signum(a[i]), sign[i], "sign " + i);
            assertEquals(-a[i], neg[i], "neg " + i);
            assertEquals(Math.abs(a[i]), abs[i], "abs " + i);
        }
    }

    @Test
    void binaryOpsCoverEveryElement() {
        float[] a = values(N, 2);
        float[] b = values(N, 3);
        Tensor ta = Tensor.of(a, N);
        Tensor tb = Tensor.of(b, N);
        float[] sum = ta.add(tb).toFloatArray();
        float[] product = ta.mul(tb).toFloatArray();
        float[] quotient = ta.div(tb).toFloatArray();
        float[] shifted = ta.sub(Tensor.of(new float[] {0.5f}, 1).expand(N)).toFloatArray();
        for (int i = 0; i < N; i++) {
            assertEquals(a[i] + b[i], sum[i], "add " + i);
            assertEquals(a[i] * b[i], product[i], "mul " + i);
            assertEquals(a[i] / b[i], quotient[i], "div " + i);
            assertEquals(a[i] - 0.5f, shifted[i], "sub " + i);
        }
    }

    @Test
    void transposedMatricesCopyInTiles() {
        for (int[] size : new int[][] {{257, 403}, {16, 16}, {17, 1000}, {3, 50}}) {
            int rows = size[0];
            int cols = size[1];
            float[] a = values(rows * cols, rows);
            // [cols, rows] viewed as its transpose, with an offset: a window of a wider array
            float[] wide = new float[cols * (rows + 3)];
            for (int c = 0; c < cols; c++) {
                System.arraycopy(a, c * rows, wide, c * (rows + 3) + 2, rows);
            }
            Tensor t = Tensor.of(wide, cols, rows + 3).slice(1, 2, rows + 2).t();
            float[] expected = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    expected[r * cols + c] = a[c * rows + r];
                }
            }
            assertArrayEquals(expected, t.contiguous().toFloatArray(), rows + " x " + cols);
        }
    }

    @Test
    void transposedViewsAddAndCopyInPlace() {
        int n = 7;
        int rows = 131;
        int cols = 97;
        float[] a = values(n * rows * cols, 4);
        float[] bias = values(cols, 5);
        // [n, cols, rows] as the transpose of a [n, rows, cols] array
        Tensor t = Tensor.of(a, n, rows, cols).transpose(1, 2);
        Tensor plusBias = t.add(Tensor.of(bias, cols, 1));
        float[] copy = t.contiguous().toFloatArray();
        float[] added = plusBias.toFloatArray();
        float[] expectedCopy = new float[a.length];
        float[] expectedAdded = new float[a.length];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    float v = a[(b * rows + r) * cols + c];
                    expectedCopy[(b * cols + c) * rows + r] = v;
                    expectedAdded[(b * cols + c) * rows + r] = v + bias[c];
                }
            }
        }
        assertArrayEquals(expectedCopy, copy);
        assertArrayEquals(expectedAdded, added);
    }
}
