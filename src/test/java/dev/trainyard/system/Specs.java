package dev.trainyard.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run specs (docs/run-spec.md) small enough for CI: Fashion-MNIST subsets, the mlp built-in, train/loss at every
 * step and frequent checkpoints, so every series can be checked step by step.
 */
final class Specs {
    static final int BATCH = 64;

    private Specs() {
    }

    /** A run of a few seconds: {@code trainSubset} examples for {@code epochs} epochs. */
    static Map<String, Object> quick(int trainSubset, int epochs, Map<String, Object> optimizer, List<Integer> hidden, long seed) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "fashion-mnist mlp " + hidden);
        spec.put("seed", seed);
        spec.put("dataset", Map.of("name", "fashion-mnist", "trainSubset", trainSubset, "testSubset", 500));
        spec.put("model", Map.of("builtin", "mlp", "args", Map.of("hidden", hidden)));
        spec.put("optimizer", optimizer);
        spec.put("batchSize", BATCH);
        spec.put("epochs", epochs);
        spec.put("metrics", List.of("accuracy"));
        spec.put("logging", Map.of("everySteps", 1));
        spec.put("checkpoint", Map.of("everySteps", 10, "keepLast", 1));
        return spec;
    }

    /**
     * A run long enough to interrupt after its first checkpoints: 2,814 steps. A test sees the first checkpoint listed
     * up to a flush interval (0.5 s) and a poll after the worker made it, while a Zen 5 trains this mlp at 0.6-1.2 ms
     * a step (BENCHMARKS.md, session 13: 0.55-1.09 s an epoch): the 750 steps it had (24,000 examples, 2 epochs) could
     * be over before the test interrupted them.
     */
    static Map<String, Object> interruptible(long seed) {
        Map<String, Object> spec = quick(60_000, 3, adam(0.001), List.of(256), seed);
        spec.put("checkpoint", Map.of("everySteps", 25, "keepLast", 1));
        return spec;
    }

    /** Steps of a run that only a cancel ends: hours on any machine. */
    static final int UNTIL_CANCELLED_STEPS = 1_000_000;

    /**
     * A run that only a cancel ends, checkpointed every 25 steps: a test that cancels it cannot race its natural end
     * (a run of a few thousand steps may be over on a fast machine before a test that waited for its first checkpoint
     * gets its cancel in).
     */
    static Map<String, Object> untilCancelled(long seed) {
        Map<String, Object> spec = quick(24_000, 1, adam(0.001), List.of(256), seed);
        spec.remove("epochs");
        spec.put("maxSteps", UNTIL_CANCELLED_STEPS);
        spec.put("checkpoint", Map.of("everySteps", 25, "keepLast", 1));
        return spec;
    }

    /** A run that only a cancel ends, whose first checkpoint comes late (step 500): cancelled early, it has none. */
    static Map<String, Object> lateFirstCheckpoint(long seed) {
        Map<String, Object> spec = untilCancelled(seed);
        spec.put("checkpoint", Map.of("everySteps", 500, "keepLast", 1));
        return spec;
    }

    static Map<String, Object> adam(double lr) {
        return Map.of("type", "adam", "lr", lr);
    }

    static Map<String, Object> sgd(double lr) {
        return Map.of("type", "sgd", "lr", lr, "momentum", 0.9);
    }

    /** Optimizer steps of a run: epochs times the batches of its training subset (the last batch may be short). */
    static int steps(Map<String, Object> spec) {
        @SuppressWarnings("unchecked")
        int subset = (Integer) ((Map<String, Object>) spec.get("dataset")).get("trainSubset");
        return (Integer) spec.get("epochs") * ((subset + BATCH - 1) / BATCH);
    }
}
