package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Backward over a very deep chain must not recurse: it runs here on a thread with a 512 KB stack. */
class DeepGraphTest {
    private static final int OPS = 100_000;

    @Test
    void aHundredThousandOpChainBackwardsOnASmallStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<double[]> grad = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                Tensor x = Tensor.of(new double[] {1, -2, 0.5}).requiresGrad_();
                Tensor y = x;
                for (int i = 0; i < OPS / 2; i++) {
                    y = y.mul(1.00001).add(0.001);
                }
                y.sum().backward();
                grad.set(x.grad().toDoubleArray());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "deep-backward", 512 * 1024);
        worker.start();
        worker.join();
        if (failure.get() != null) {
            throw new AssertionError("backward over " + OPS + " ops failed on a 512 KB stack", failure.get());
        }
        double expected = Math.pow(1.00001, OPS / 2);
        assertEquals(1.6487, expected, 1e-4);
        assertArrayEquals(new double[] {expected, expected, expected}, grad.get(), expected * 1e-9);
    }

    @Test
    void aDeepChainOfViewsAndInPlaceOpsToo() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Double> grad = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                Tensor x = Tensor.of(new double[] {2}).requiresGrad_();
                Tensor y = x.mul(1.0);
                for (int i = 0; i < OPS / 4; i++) {
                    y = y.view(1, 1).view(1);
                    y.mul_(1.0);
                }
                y.sum().backward();
                grad.set(x.grad().item());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "deep-views", 512 * 1024);
        worker.start();
        worker.join();
        assertNull(failure.get(), () -> "failed: " + failure.get());
        assertEquals(1.0, grad.get());
    }
}
