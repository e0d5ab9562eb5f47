package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inverted dropout: which elements survive is random, but the scaling, the gradient and the modes are exact. */
class DropoutTest {

    @Test
    void trainingZeroesAboutPAndScalesSurvivors() {
        int n = 100_000;
        double p = 0.3;
        Dropout dropout = new Dropout(p, new Generator().manualSeed(1234));
        Tensor x = Tensor.ones(n).requiresGrad_(true);
        Tensor y = dropout.call(x);
        float[] v = y.toFloatArray();
        int zeros = 0;
        float scale = (float) (1 / (1 - p));
        for (float f : v) {
            if (f == 0f) {
                zeros++;
            } else {
                assertEquals(scale, f, 1e-6f, "survivors are scaled by 1/(1-p)");
            }
        }
        // 0.3 ± 4.5 standard deviations of a binomial proportion
        assertEquals(p, zeros / (double) n, 4.5 * Math.sqrt(p * (1 - p) / n));
        assertEquals(1.0, y.mean().item(), 0.01, "the expectation is preserved");
        y.sum().backward();
        assertArrayEquals(v, x.grad().toFloatArray(), "the gradient is the same mask, scaled");
    }

    @Test
    void evalModeAndPZeroAreTheIdentity() {
        Tensor x = Tensor.randn(5, 7);
        Dropout dropout = new Dropout(0.5);
        dropout.eval();
        assertSame(x, dropout.call(x));
        assertSame(x, F.dropout(x, 0.5, false));
        assertSame(x, F.dropout(x, 0.0, true));
    }

    @Test
    void pOneDropsEverything() {
        Tensor x = Tensor.randn(3, 4).requiresGrad_(true);
        Tensor y = F.dropout(x, 1.0, true);
        assertTrue(y.allclose(Tensor.zeros(3, 4), 0, 0));
        y.sum().backward();
        assertTrue(x.grad().allclose(Tensor.zeros(3, 4), 0, 0));
    }

    @Test
    void aSeededGeneratorReproducesTheMask() {
        Tensor x = Tensor.ones(1000);
        Tensor a = F.dropout(x, 0.5, true, new Generator().manualSeed(7));
        Tensor b = F.dropout(x, 0.5, true, new Generator().manualSeed(7));
        Tensor c = F.dropout(x, 0.5, true, new Generator().manualSeed(8));
        assertTrue(a.allclose(b, 0, 0));
        assertFalse(a.allclose(c, 0, 0));
    }
}
