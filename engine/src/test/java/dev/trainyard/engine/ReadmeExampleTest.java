package dev.trainyard.engine;

import dev.trainyard.engine.autograd.Autograd;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's "Tensors and autograd" example, with the values PyTorch 1.13 prints for the same snippet. */
class ReadmeExampleTest {

    @Test
    void readmeExampleMatchesPyTorch() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_(true);
        Tensor w = Tensor.of(new float[] {0.5f, -1, 2}, 3).requiresGrad_(true);
        Tensor y = x.mul(w).relu().sum(1);
        Tensor loss = y.pow(2).mean();
        loss.backward();

        assertEquals(119.125, loss.item(), 1e-4);
        assertEquals("MeanBackward0", loss.gradFn().name());
        assertArrayEquals(new float[] {3.25f, -0f, 13f, 7f, -0f, 28f}, x.grad().toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {62.5f, 0f, 103.5f}, w.grad().toFloatArray(), 1e-5f);

        try (var g = Autograd.noGrad()) {
            w.sub_(w.grad().mul(0.1));
        }
        assertArrayEquals(new float[] {-5.75f, -1f, -8.35f}, w.toFloatArray(), 1e-5f);
    }
}
