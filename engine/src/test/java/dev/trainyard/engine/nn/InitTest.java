package dev.trainyard.engine.nn;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.init.Init;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nn.init: gains and fans are PyTorch's exact formulas; the random fills are checked by their bounds and statistics
 * (Trainyard's generator is not PyTorch's Mersenne Twister, so the draws themselves differ).
 */
class InitTest {

    /** {min, max, mean, std} of a tensor's values. */
    private static double[] stats(Tensor t) {
        double[] v = t.toDoubleArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new double[] {min, max, mean, Math.sqrt(sq / (v.length - 1))};
    }

    private static void assertUniform(Tensor t, double bound) {
        double[] s = stats(t);
        assertTrue(s[0] >= -bound && s[1] <= bound, "values within ±" + bound + ", got [" + s[0] + ", " + s[1] + "]");
        assertTrue(s[0] < -0.98 * bound && s[1] > 0.98 * bound, "values fill ±" + bound + ", got [" + s[0] + ", " + s[1] + "]");
        assertEquals(0, s[2], 0.02 * bound, "mean");
        assertEquals(bound / Math.sqrt(3), s[3], 0.02 * bound / Math.sqrt(3), "std of U(-b, b) is b/√3");
    }

    private static void assertNormal(Tensor t, double std) {
        double[] s = stats(t);
        assertEquals(0, s[2], 0.02 * std, "mean");
        assertEquals(std, s[3], 0.02 * std, "std");
    }

    @Test
    void gainsAreTorchs() {
        assertEquals(1.0, Init.calculateGain("linear"));
        assertEquals(1.0, Init.calculateGain("conv2d"));
        assertEquals(1.0, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.2 * 0.2)), Init.calculateGain("leaky_relu", 0.2));
        assertEquals(0.75, Init.calculateGain("selu"));
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void fansCountTheReceptiveField() {
        assertArrayEquals(new int[] {784, 256}, Init.calculateFanInAndFanOut(Tensor.empty(256, 784)));
        assertArrayEquals(new int[] {3 * 5 * 5, 16 * 5 * 5}, Init.calculateFanInAndFanOut(Tensor.empty(16, 3, 5, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.calculateFanInAndFanOut(Tensor.empty(5)));
        assertEquals("fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (got shape [5])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform_(Tensor.empty(4, 4), 0, "fan_avg", "relu"));
    }

    @Test
    void kaimingUniformBound() {
        Generator g = new Generator().manualSeed(1);
        Tensor w = Init.kaimingUniform_(Tensor.empty(256, 512), 0, "fan_in", "relu", g);
        assertUniform(w, Math.sqrt(2) * Math.sqrt(3.0 / 512));
        Tensor conv = Init.kaimingUniform_(Tensor.empty(64, 32, 3, 3), 0, "fan_out", "relu", g);
        assertUniform(conv, Math.sqrt(2) * Math.sqrt(3.0 / (64 * 9)));
    }

    @Test
    void kaimingNormalStd() {
        Generator g = new Generator().manualSeed(2);
        assertNormal(Init.kaimingNormal_(Tensor.empty(300, 400), 0, "fan_in", "relu", g), Math.sqrt(2.0 / 400));
        assertNormal(Init.kaimingNormal_(Tensor.empty(300, 400), 0.2, "fan_out", "leaky_relu", g),
                Math.sqrt(2 / 1.04) / Math.sqrt(300));
    }

    @Test
    void xavier() {
        Generator g = new Generator().manualSeed(3);
        assertUniform(Init.xavierUniform_(Tensor.empty(200, 300), 1.0, g), Math.sqrt(6.0 / 500));
        assertNormal(Init.xavierNormal_(Tensor.empty(200, 300), 2.0, g), 2 * Math.sqrt(2.0 / 500));
    }

    @Test
    void linearDefaultInitIsUniformOverRootFanIn() {
        Tensor.manualSeed(4);
        Linear fc = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        assertUniform(fc.weight(), bound);
        double[] b = stats(fc.bias());
        assertTrue(b[0] >= -bound && b[1] <= bound);
        assertTrue(fc.weight().isLeaf() && fc.weight().requiresGrad());
        // the default generator makes construction reproducible
        Tensor.manualSeed(4);
        assertTrue(new Linear(400, 300).weight().allclose(fc.weight(), 0, 0));
    }

    @Test
    void embeddingInitIsStandardNormalWithAZeroPaddingRow() {
        Tensor.manualSeed(5);
        Embedding e = new Embedding(1000, 64, 3);
        assertNormal(e.weight(), 1.0);
        assertArrayEquals(new float[64], e.weight().select(0, 3).toFloatArray());
        assertTrue(e.weight().isLeaf());
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        Generator g = new Generator().manualSeed(6);
        Tensor wide = Init.orthogonal_(Tensor.empty(20, 50), 1.0, g);
        assertTrue(wide.matmul(wide.t()).allclose(Tensor.eye(20), 0, 1e-5), "W W^T = I for a wide matrix");
        Tensor tall = Init.orthogonal_(Tensor.empty(50, 20), 2.0, g);
        assertTrue(tall.t().matmul(tall).allclose(Tensor.eye(20).mul(4.0), 0, 1e-4), "W^T W = gain^2 I for a tall matrix");
        Tensor conv = Init.orthogonal_(Tensor.empty(8, 2, 3, 3), 1.0, g);
        Tensor flat = conv.reshape(8, 18);
        assertTrue(flat.matmul(flat.t()).allclose(Tensor.eye(8), 0, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal_(Tensor.empty(5)));
    }

    @Test
    void constantFillsWorkOnParameters() {
        Linear fc = new Linear(3, 2);
        Tensor w = fc.weight();
        assertSame(w, Init.constant_(w, 0.5));
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, w.toFloatArray());
        assertTrue(w.isLeaf() && w.requiresGrad(), "init records no autograd");
        Init.zeros_(fc.bias());
        assertArrayEquals(new float[2], fc.bias().toFloatArray());
        Init.ones_(fc.bias());
        assertArrayEquals(new float[] {1, 1}, fc.bias().toFloatArray());
        Init.eye_(w);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, w.toFloatArray());
        Tensor d = Init.uniform_(Tensor.empty(new int[] {1000}, DType.FLOAT64), 2, 3);
        double[] s = stats(d);
        assertTrue(s[0] >= 2 && s[1] < 3);
        assertFalse(d.requiresGrad());
    }

    @Test
    void aGeneratorMakesInitReproducible() {
        Tensor a = Init.kaimingNormal_(Tensor.empty(10, 10), 0, "fan_in", "relu", new Generator().manualSeed(9));
        Tensor b = Init.kaimingNormal_(Tensor.empty(10, 10), 0, "fan_in", "relu", new Generator().manualSeed(9));
        assertTrue(a.allclose(b, 0, 0));
    }
}
