package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.autograd.GradCheck;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.ConvGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The max-pool node's values against unfold + max, and its one-pass backward (int32 positions within each plane)
 * against the scatter it replaces (a sequential accumulating put of int64 positions into zeros), bit for bit, on
 * inputs full of ties, NaN and -inf and on gradients holding -0.0 and NaN; gradcheck and gradgradcheck in float64.
 */
class MaxPoolNodeTest {

    @ParameterizedTest(name = "{0}x{1}x{2}x{3} k={4}x{5} s={6}x{7} p={8}x{9} d={10}x{11} ceil={12} {13}")
    @CsvSource({
            // the cnn's two poolings, and tiled windows that leave a remainder row and column
            "3, 4, 28, 28, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "2, 5, 14, 14, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "2, 3, 7, 9, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            // the cnn's planes (26 -> 13 and 11 -> 5), rows of more than one vector of outputs (whole and partial)
            "2, 3, 26, 26, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "2, 3, 11, 11, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "1, 2, 5, 41, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "1, 2, 6, 64, 2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "1, 2, 5, 70, 2, 2, 2, 2, 0, 0, 1, 1, false, float64",
            "2, 3, 10, 11, 3, 3, 3, 3, 0, 0, 1, 1, false, float32",
            "2, 3, 7, 7, 2, 3, 2, 3, 0, 0, 1, 1, true, float32",
            "1, 2, 9, 8, 3, 2, 3, 2, 0, 0, 1, 1, true, float64",
            // stride past the kernel, overlapping windows, padding, dilation
            "2, 3, 9, 10, 2, 2, 3, 3, 0, 0, 1, 1, false, float32",
            "2, 3, 9, 8, 3, 3, 2, 2, 0, 0, 1, 1, false, float32",
            "2, 3, 8, 7, 3, 3, 1, 1, 1, 1, 1, 1, false, float32",
            "2, 2, 9, 9, 3, 2, 2, 1, 1, 0, 1, 1, true, float32",
            "2, 2, 11, 10, 2, 3, 2, 2, 1, 1, 2, 2, false, float32",
            "2, 3, 8, 7, 3, 3, 2, 2, 0, 1, 1, 2, true, float64",
            "2, 3, 8, 8, 2, 2, 2, 2, 1, 1, 1, 1, false, float64"})
    void backwardMatchesTheScatterBitForBit(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                            int dh, int dw, boolean ceil, String dtype) {
        DType type = DType.fromName(dtype);
        SplittableRandom rnd = new SplittableRandom(h * 31L + w * 7L + kh + sh * 3L + ph);
        double[] data = new double[n * c * h * w];
        for (int i = 0; i < data.length; i++) {
            int r = rnd.nextInt(16);
            data[i] = r == 0 ? Double.NaN : r == 1 ? Double.NEGATIVE_INFINITY : (r % 5) - 2.0;
        }
        Tensor x = Tensor.of(data, n, c, h, w).to(type).requiresGrad_(true);
        int[] k = {kh, kw};
        int[] s = {sh, sw};
        int[] p = {ph, pw};
        int[] d = {dh, dw};
        ValuesIndices pooled = Convolution.maxPool2dWithIndices(x, k, s, p, d, ceil);
        Tensor values = pooled.values();
        assertEquals("MaxPool2DWithIndicesBackward0", values.gradFn().name());
        assertEquals(DType.INT64, pooled.indices().dtype());

        ConvGeometry g = new ConvGeometry(h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil);
        Tensor rows = Convolution.unfold(x.detach().reshape(n * c, 1, h, w), g, Double.NEGATIVE_INFINITY);
        assertArrayEquals(bits(rows.max(2, false).values()), bits(values), "values");

        double[] gradOut = new double[values.numel()];
        for (int i = 0; i < gradOut.length; i++) {
            int r = rnd.nextInt(20);
            gradOut[i] = r == 0 ? -0.0 : r == 1 ? Double.NaN : rnd.nextDouble(-3, 3);
        }
        Tensor gradValues = Tensor.of(gradOut, values.shape()).to(type);
        Tensor grad = Autograd.grad(List.of(values), List.of(x), List.of(gradValues)).get(0);

        long[] flat = pooled.indices().toLongArray();
        int outPlane = values.size(2) * values.size(3);
        for (int i = 0; i < flat.length; i++) {
            flat[i] += (long) (i / outPlane) * h * w;
        }
        Tensor zeros = Tensor.zeros(new int[0], type).expand(n, c, h, w);
        Tensor expected = new Indexing.Put("scatter", Tensor.of(flat, values.shape()), true).apply(zeros, gradValues);
        assertArrayEquals(bits(expected), bits(grad), "input gradient");
    }

    @ParameterizedTest(name = "k={0} s={1} p={2} d={3}")
    @CsvSource({"2, 2, 0, 1", "3, 2, 1, 1", "2, 1, 0, 2"})
    void gradcheckAndGradgradcheckInFloat64(int k, int s, int p, int d) {
        // distinct values, so the maxima do not move under the checks' perturbations
        double[] data = new double[2 * 2 * 7 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37 % data.length) / 10.0 - 4;
        }
        Tensor x = Tensor.of(data, 2, 2, 7, 6).requiresGrad_(true);
        int[] kk = {k, k};
        int[] ss = {s, s};
        int[] pp = {p, p};
        int[] dd = {d, d};
        assertTrue(GradCheck.gradcheck(in -> Convolution.maxPool2d(in[0], kk, ss, pp, dd, false), x));
        assertTrue(GradCheck.gradgradcheck(in -> Convolution.maxPool2d(in[0].mul(in[0]), kk, ss, pp, dd, false), x));
    }

    @Test
    void positionsGoBackToTheCacheOnlyWhenNothingWillReadThem() {
        // 3 x 37 x 13 x 15 outputs: a positions array of a length no other test asks for
        long bytes = 4L * 3 * 37 * 13 * 15;
        Tensor x = Tensor.randn(3, 37, 26, 31).requiresGrad_(true);
        Tensor y = Convolution.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
        long held = IntBuffers.freeBytes();
        y.backward(Tensor.onesLike(y), true, false);
        assertEquals(held, IntBuffers.freeBytes(), "a retained graph keeps its positions");
        double once = x.grad().sum().item();
        y.backward(Tensor.onesLike(y));
        assertEquals(2 * once, x.grad().sum().item(), "the second backward read the same positions");
        assertEquals(held + bytes, IntBuffers.freeBytes(), "freed with the graph");
        assertThrows(IllegalStateException.class, () -> y.backward(Tensor.onesLike(y)));

        long free = IntBuffers.freeBytes();
        Tensor z = Convolution.maxPool2d(x.detach(), new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
        assertEquals(free, IntBuffers.freeBytes(), "without a graph the positions go back at once");
        assertArrayEquals(bits(y.detach()), bits(z));
    }

    private static long[] bits(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            float[] f = t.contiguous().toFloatArray();
            long[] b = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                b[i] = Float.floatToRawIntBits(f[i]);
            }
            return b;
        }
        double[] v = t.toDoubleArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }
}
