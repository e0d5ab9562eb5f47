package dev.trainyard.engine.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel's loops back to back, as a training step runs them: every index runs once, a body's failure reaches the
 * caller without leaving a loop waiting, and a body may wait for a lower index with {@code forEachInOrder}.
 */
class ParallelTest {

    @Test
    void loopsBackToBackRunEveryIndexOnce() {
        for (int loop = 0; loop < 2000; loop++) {
            int n = 1 + loop % 97;
            AtomicIntegerArray runs = new AtomicIntegerArray(n);
            if (loop % 2 == 0) {
                Parallel.range(n).forEach(runs::incrementAndGet);
            } else {
                Parallel.range(n).forEachInOrder(runs::incrementAndGet);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(1, runs.get(i), "loop " + loop + ", index " + i);
            }
        }
    }

    @Test
    void aFailingBodyReachesTheCallerAndTheNextLoopRuns() {
        for (int loop = 0; loop < 200; loop++) {
            int fail = loop % 64;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.range(64).forEach(i -> {
                if (i == fail) {
                    throw new IllegalStateException("index " + i);
                }
                spin(2_000);
            }));
            // thrown on a worker, join rethrows a copy of it whose cause is the body's exception
            Throwable body = e.getCause() instanceof IllegalStateException cause ? cause : e;
            assertEquals("index " + fail, body.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(64);
            Parallel.range(64).forEach(runs::incrementAndGet);
            for (int i = 0; i < 64; i++) {
                assertEquals(1, runs.get(i));
            }
        }
    }

    @Test
    void inOrderABodyMayWaitForALowerIndex() {
        for (int loop = 0; loop < 200; loop++) {
            int n = 40;
            AtomicIntegerArray done = new AtomicIntegerArray(n);
            Parallel.range(n).forEachInOrder(i -> {
                if (i >= 2) {
                    while (done.get(i - 2) == 0) {
                        Thread.onSpinWait();
                    }
                }
                spin(1_000);
                done.set(i, 1);
            });
            for (int i = 0; i < n; i++) {
                assertTrue(done.get(i) == 1);
            }
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
