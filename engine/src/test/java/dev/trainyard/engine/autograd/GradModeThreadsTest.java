package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two threads train two linear regressions at once in one JVM. Thread B spends most of its time inside noGrad scopes
 * and toggles them constantly; thread A never opens one. A barrier makes A run a whole forward/backward step while B
 * is parked inside noGrad, every step, so a grad mode shared between threads could not go unnoticed.
 */
class GradModeThreadsTest {
    private static final int STEPS = 400;
    private static final double LR = 0.1;

    /** y = w x + b fitted to exact targets by full-batch gradient descent; returns {w, b}. */
    private static final class Regression {
        final Tensor x = Tensor.linspace(-1, 1, 64);
        final Tensor target;
        final Tensor w = Tensor.zeros(1).requiresGrad_();
        final Tensor b = Tensor.zeros(1).requiresGrad_();

        Regression(double trueW, double trueB) {
            target = x.mul(trueW).add(trueB);
        }

        Tensor loss() {
            Tensor err = x.mul(w).add(b).sub(target);
            return err.mul(err).mean();
        }

        void sgdStep() {
            try (var g = Autograd.noGrad()) {
                w.sub_(w.grad().mul(LR));
                b.sub_(b.grad().mul(LR));
                w.grad().zero_();
                b.grad().zero_();
            }
        }
    }

    @Test
    void twoThreadsTrainTwoModelsWithoutSharingGradMode() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<double[]> plain = () -> {
                Regression m = new Regression(3.0, -2.0);
                for (int step = 0; step < STEPS; step++) {
                    barrier.await(30, TimeUnit.SECONDS); // B is now inside noGrad
                    assertTrue(Autograd.isGradEnabled(), "thread A saw grad mode off at step " + step);
                    Tensor loss = m.loss();
                    assertTrue(loss.requiresGrad(), "thread A's loss recorded no graph at step " + step);
                    loss.backward();
                    barrier.await(30, TimeUnit.SECONDS); // B may leave noGrad now
                    m.sgdStep();
                    assertTrue(Autograd.isGradEnabled(), "thread A's grad mode changed at step " + step);
                }
                return new double[] {m.w.item(), m.b.item(), m.loss().item()};
            };
            Callable<double[]> toggling = () -> {
                Regression m = new Regression(-1.5, 0.5);
                try (var outer = Autograd.noGrad()) {
                    for (int step = 0; step < STEPS; step++) {
                        try (var parked = Autograd.noGrad()) {
                            barrier.await(30, TimeUnit.SECONDS);
                            assertFalse(Autograd.isGradEnabled());
                            assertFalse(m.loss().requiresGrad(), "thread B recorded a graph inside noGrad");
                            barrier.await(30, TimeUnit.SECONDS);
                        }
                        for (int k = 0; k < 5; k++) {
                            try (var on = Autograd.enableGrad()) {
                                assertTrue(Autograd.isGradEnabled());
                                try (var off = Autograd.noGrad()) {
                                    assertFalse(Autograd.isGradEnabled());
                                }
                                assertTrue(Autograd.isGradEnabled());
                            }
                            assertFalse(Autograd.isGradEnabled());
                        }
                        try (var on = Autograd.enableGrad()) {
                            Tensor loss = m.loss();
                            assertTrue(loss.requiresGrad());
                            loss.backward();
                        }
                        m.sgdStep();
                        assertFalse(Autograd.isGradEnabled(), "thread B's noGrad scope was lost at step " + step);
                    }
                }
                assertTrue(Autograd.isGradEnabled(), "thread B's scopes did not restore grad mode");
                return new double[] {m.w.item(), m.b.item(), m.loss().item()};
            };
            Future<double[]> a = pool.submit(plain);
            Future<double[]> b = pool.submit(toggling);
            double[] ra = a.get(120, TimeUnit.SECONDS);
            double[] rb = b.get(120, TimeUnit.SECONDS);
            assertEquals(3.0, ra[0], 1e-3, "thread A's w");
            assertEquals(-2.0, ra[1], 1e-3, "thread A's b");
            assertEquals(-1.5, rb[0], 1e-3, "thread B's w");
            assertEquals(0.5, rb[1], 1e-3, "thread B's b");
            assertTrue(ra[2] < 1e-6 && rb[2] < 1e-6, "final losses " + ra[2] + ", " + rb[2]);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Autograd.isGradEnabled(), "the test thread's grad mode is untouched");
    }
}
