package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.autograd.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass max-pool kernel against a plain double loop: values, indices (PyTorch's scan in window order: greater
 * or NaN replaces the best, so the first maximum or the last NaN; padding never chosen) and the gradient added at each
 * maximum, on inputs full of ties.
 */
class MaxPoolKernelTest {

    @ParameterizedTest(name = "k={0}x{1} s={2}x{3} p={4}x{5} d={6}x{7} ceil={8} {9}")
    @CsvSource({
            "2, 2, 2, 2, 0, 0, 1, 1, false, float32",
            "2, 1, 1, 1, 0, 0, 1, 1, false, float32",
            "3, 2, 2, 1, 0, 0, 1, 1, true, float32",
            "3, 3, 1, 1, 1, 1, 1, 1, false, float32",
            "3, 2, 2, 1, 1, 0, 1, 1, true, float32",
            "2, 3, 1, 2, 1, 1, 2, 2, false, float64",
            "3, 3, 2, 2, 0, 1, 1, 2, true, float64"})
    void matchesPlainLoopOnTiesAndNaN(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil,
                                      String dtype) {
        int n = 2;
        int c = 3;
        int h = 7;
        int w = 6;
        SplittableRandom rnd = new SplittableRandom(kh * 7L + sw * 3L + dh);
        double[] data = new double[n * c * h * w];
        for (int i = 0; i < data.length; i++) {
            // few distinct values: many ties, some -inf and NaN
            int r = rnd.nextInt(12);
            data[i] = r == 0 ? Double.NaN : r == 1 ? Double.NEGATIVE_INFINITY : r % 4;
        }
        // a non-contiguous input: the [N, C, W, H] storage transposed
        double[] transposed = new double[data.length];
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    transposed[p * h * w + x * h + y] = data[p * h * w + y * w + x];
                }
            }
        }
        DType type = DType.fromName(dtype);
        Tensor input = Tensor.of(transposed, n, c, w, h).to(type).transpose(2, 3).requiresGrad_(true);
        int[] k = {kh, kw};
        ValuesIndices got = Convolution.maxPool2dWithIndices(input, k, new int[] {sh, sw}, new int[] {ph, pw},
                new int[] {dh, dw}, ceil);
        int oh = got.values().size(2);
        int ow = got.values().size(3);
        double[] values = got.values().to(DType.FLOAT64).toDoubleArray();
        long[] indices = got.indices().toLongArray();
        double[] gradOut = new double[values.length];
        double[] expectedGrad = new double[data.length];
        for (int i = 0; i < gradOut.length; i++) {
            gradOut[i] = i + 1;
        }
        for (int p = 0, o = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++, o++) {
                    double best = Double.NaN;
                    int at = -1;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int iy = y * sh - ph + i * dh;
                            int ix = x * sw - pw + j * dw;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            double v = data[p * h * w + iy * w + ix];
                            if (at < 0 || v > best || Double.isNaN(v)) {
                                best = v;
                                at = iy * w + ix;
                            }
                        }
                    }
                    assertEquals(best, values[o], "value " + o);
                    assertEquals(at, indices[o], "index " + o);
                    expectedGrad[p * h * w + at] += gradOut[o];
                }
            }
        }
        Tensor grad = Autograd.grad(List.of(got.values()), List.of(input),
                List.of(Tensor.of(gradOut, got.values().shape()).to(type))).get(0);
        assertArrayEquals(expectedGrad, grad.to(DType.FLOAT64).toDoubleArray());
    }

    @Test
    void secondDerivativeFlowsThroughThePooling() {
        // distinct values, so the maxima do not move under gradcheck's perturbations
        double[] data = new double[2 * 5 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37 % 50) / 10.0;
        }
        Tensor x = Tensor.of(data, 1, 2, 5, 5).requiresGrad_(true);
        assertTrue(GradCheck.gradgradcheck(in -> Convolution.maxPool2d(in[0].mul(in[0]), new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, false), x));
        Tensor y = Convolution.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
        assertEquals("MaxPool2DWithIndicesBackward0", y.gradFn().name());
    }
}
