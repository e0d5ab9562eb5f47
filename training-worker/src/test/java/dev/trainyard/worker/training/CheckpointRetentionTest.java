package dev.trainyard.worker.training;

import dev.trainyard.spec.CheckpointSpec;
import dev.trainyard.spec.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CheckpointRetentionTest {
    static CheckpointRetention.Entry e(long step, Map<String, Double> metrics) {
        return new CheckpointRetention.Entry(step, (int) (step / 10), "step-" + step, metrics);
    }

    static List<Long> steps(List<CheckpointRetention.Entry> entries) {
        return entries.stream().map(CheckpointRetention.Entry::step).toList();
    }

    static final CheckpointSpec.KeepBest MAX_ACC = new CheckpointSpec.KeepBest("val/accuracy", Mode.MAX);
    static final CheckpointSpec.KeepBest MIN_LOSS = new CheckpointSpec.KeepBest("val/loss", Mode.MIN);

    @Test
    void keepsTheLastN() {
        var all = List.of(e(30, Map.of()), e(10, Map.of()), e(40, Map.of()), e(20, Map.of()));
        CheckpointSpec policy = new CheckpointSpec(1, null, 2, null);
        assertEquals(List.of(30L, 40L), steps(CheckpointRetention.keep(all, policy)));
        assertEquals(List.of(10L, 20L), steps(CheckpointRetention.prune(all, policy)));
        assertEquals(List.of(10L, 20L, 30L, 40L), steps(CheckpointRetention.keep(all, new CheckpointSpec(1, null, 9, null))));
    }

    @Test
    void keepsTheBestBesidesTheLast() {
        var all = List.of(e(10, Map.of("val/accuracy", 0.5)), e(20, Map.of("val/accuracy", 0.8)),
                e(30, Map.of("val/accuracy", 0.7)), e(40, Map.of("val/accuracy", 0.6)));
        CheckpointSpec policy = new CheckpointSpec(1, null, 1, MAX_ACC);
        assertEquals(20L, CheckpointRetention.best(all, MAX_ACC).step());
        assertEquals(List.of(20L, 40L), steps(CheckpointRetention.keep(all, policy)));
        assertEquals(List.of(10L, 30L), steps(CheckpointRetention.prune(all, policy)));
    }

    @Test
    void theBestThatIsAlsoAmongTheLastIsKeptOnce() {
        var all = List.of(e(10, Map.of("val/loss", 0.9)), e(20, Map.of("val/loss", 0.3)));
        assertEquals(List.of(20L), steps(CheckpointRetention.keep(all, new CheckpointSpec(1, null, 1, MIN_LOSS))));
    }

    @Test
    void tiesGoToTheEarliest() {
        var all = List.of(e(20, Map.of("val/accuracy", 0.8)), e(10, Map.of("val/accuracy", 0.8)), e(30, Map.of("val/accuracy", 0.1)));
        assertEquals(10L, CheckpointRetention.best(all, MAX_ACC).step());
    }

    @Test
    void checkpointsWithoutTheMetricOrWithNaNAreNeverBest() {
        var all = List.of(e(10, Map.of()), e(20, Map.of("val/loss", Double.NaN)), e(30, Map.of("val/loss", 0.7)),
                e(40, Map.of("val/other", 0.0)));
        assertEquals(30L, CheckpointRetention.best(all, MIN_LOSS).step());
        assertNull(CheckpointRetention.best(List.of(e(10, Map.of()), e(20, Map.of("val/loss", Double.NaN))), MIN_LOSS));
        assertNull(CheckpointRetention.best(all, null));
        assertEquals(List.of(40L), steps(CheckpointRetention.keep(List.of(e(10, Map.of()), e(40, Map.of())),
                new CheckpointSpec(1, null, 1, MIN_LOSS))));
    }

    @Test
    void nothingToKeepFromNothing() {
        assertEquals(List.of(), CheckpointRetention.keep(List.of(), new CheckpointSpec(1, null, 3, MAX_ACC)));
    }
}
