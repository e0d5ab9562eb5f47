package dev.trainyard.platform.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid run specs of the real schema (docs/run-spec.md), small enough for a worker to run them quickly. */
public final class Specs {

    private Specs() {}

    /** Fashion-MNIST subsets, the built-in MLP with the given hidden widths, and the optimizer and lr given. */
    public static Map<String, Object> spec(String optimizer, double lr, int epochs, List<Integer> hidden) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("seed", 0);
        spec.put("dataset", Map.of("name", "fashion-mnist", "trainSubset", 1000, "testSubset", 500));
        spec.put("model", Map.of("builtin", "mlp", "args", Map.of("hidden", hidden)));
        spec.put("optimizer", Map.of("type", optimizer, "lr", lr));
        spec.put("epochs", epochs);
        return spec;
    }

    public static Map<String, Object> spec(String optimizer, double lr, int epochs) {
        return spec(optimizer, lr, epochs, List.of(64));
    }
}
