package dev.trainyard.worker.training;

import dev.trainyard.spec.EarlyStoppingSpec;
import dev.trainyard.spec.Mode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    static Map<String, Double> loss(double v) {
        return Map.of("val/loss", v);
    }

    @Test
    void stopsAfterPatienceEvaluationsWithoutAnImprovementLargerThanMinDelta() {
        var es = new EarlyStopping(new EarlyStoppingSpec("val/loss", Mode.MIN, 2, 0.1));
        assertFalse(es.update(loss(1.0)));    // best 1.0
        assertFalse(es.update(loss(0.95)));   // better by 0.05 only: 1 bad
        assertEquals(1, es.badEvaluations());
        assertFalse(es.update(loss(0.85)));   // better by 0.15: best 0.85
        assertEquals(0.85, es.best());
        assertEquals(0, es.badEvaluations());
        assertFalse(es.update(loss(0.80)));   // 1 bad
        assertTrue(es.update(loss(0.79)));    // 2 bad: stop
        assertEquals("val/loss has not improved by more than 0.1 for 2 evaluations (best 0.85)", es.reason());
    }

    @Test
    void maxModeAndNaN() {
        var es = new EarlyStopping(new EarlyStoppingSpec("val/accuracy", Mode.MAX, 1, 0));
        assertFalse(es.update(Map.of("val/accuracy", 0.5)));
        assertFalse(es.update(Map.of("val/accuracy", 0.6)));
        assertTrue(es.update(Map.of("val/accuracy", Double.NaN)));
    }

    @Test
    void evaluationsWithoutTheMetricAreIgnored() {
        var es = new EarlyStopping(new EarlyStoppingSpec("val/loss", Mode.MIN, 1, 0));
        assertFalse(es.update(Map.of("test/loss", 9.0)));
        assertNull(es.best());
        assertEquals(0, es.badEvaluations());
    }

    @Test
    void stateRoundTrips() {
        var spec = new EarlyStoppingSpec("val/loss", Mode.MIN, 3, 0);
        var a = new EarlyStopping(spec);
        a.update(loss(1.0));
        a.update(loss(2.0));
        var b = new EarlyStopping(spec);
        b.loadStateDict(a.stateDict());
        assertEquals(1.0, b.best());
        assertEquals(1, b.badEvaluations());
        assertFalse(b.update(loss(3.0)));
        assertTrue(b.update(loss(3.0)));
    }
}
