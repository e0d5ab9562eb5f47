package dev.trainyard.platform.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a run spec, the JSON document that tells a worker what to train. Self-contained (Jackson only, no Spring)
 * so that the worker can run the same checks on what it is handed.
 *
 * <p>Spec version 1:
 * <pre>{@code
 * {
 *   "dataset":   "fashion-mnist"            or {"name": "fashion-mnist", ...any settings},
 *   "model":     "mlp"                      or {"name": "mlp", ...any settings},
 *   "optimizer": "adam"                     or {"name": "adam", "lr": 0.001, ...any settings},
 *   "epochs":    10,                        // an integer >= 1; epochs, maxSteps or both
 *   "maxSteps":  5000,                      // an integer >= 1
 *   "batchSize": 64,                        // optional, an integer >= 1
 *   "seed":      42                         // optional, an integer
 * }
 * }</pre>
 * Other top-level fields are refused, so a misspelt one ({@code "epoch"}) is caught at submission rather than
 * silently ignored by a worker. Every problem names the JSON pointer of the field, relative to the spec.
 */
public final class RunSpecValidator {

    /** One thing wrong with a spec: where (a JSON pointer within the spec), what, and the value found (or null). */
    public record Problem(String pointer, String message, JsonNode rejectedValue) {}

    static final Set<String> FIELDS = Set.of("dataset", "model", "optimizer", "epochs", "maxSteps", "batchSize",
            "seed");
    private static final int MAX_EPOCHS = 1_000_000;

    private RunSpecValidator() {}

    /** All the problems of a spec; an empty list means it is valid. */
    public static List<Problem> validate(JsonNode spec) {
        List<Problem> problems = new ArrayList<>();
        if (spec == null || spec.isNull() || spec.isMissingNode()) {
            problems.add(new Problem("", "the spec is required", null));
            return problems;
        }
        if (!spec.isObject()) {
            problems.add(new Problem("", "the spec must be a JSON object", spec));
            return problems;
        }
        for (Map.Entry<String, JsonNode> field : spec.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                problems.add(new Problem("/" + escape(field.getKey()),
                        "unknown field; a spec has dataset, model, optimizer, epochs, maxSteps, batchSize and seed",
                        field.getValue()));
            }
        }
        component(spec, "dataset", problems);
        component(spec, "model", problems);
        component(spec, "optimizer", problems);
        JsonNode optimizer = spec.get("optimizer");
        if (optimizer != null && optimizer.isObject() && optimizer.has("lr")) {
            JsonNode lr = optimizer.get("lr");
            if (!lr.isNumber() || !(lr.asDouble() > 0) || Double.isInfinite(lr.asDouble())) {
                problems.add(new Problem("/optimizer/lr", "must be a number greater than 0", lr));
            }
        }
        boolean hasEpochs = positiveInt(spec, "epochs", MAX_EPOCHS, problems);
        boolean hasSteps = positiveInt(spec, "maxSteps", Integer.MAX_VALUE, problems);
        if (!hasEpochs && !hasSteps && !spec.has("epochs") && !spec.has("maxSteps")) {
            problems.add(new Problem("/epochs", "epochs or maxSteps is required (an integer >= 1)", null));
        }
        positiveInt(spec, "batchSize", Integer.MAX_VALUE, problems);
        JsonNode seed = spec.get("seed");
        if (seed != null && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
            problems.add(new Problem("/seed", "must be an integer", seed));
        }
        return problems;
    }

    /** dataset, model and optimizer: a non-blank name, or an object with one plus any settings. */
    private static void component(JsonNode spec, String field, List<Problem> problems) {
        JsonNode value = spec.get(field);
        String pointer = "/" + field;
        if (value == null || value.isNull()) {
            problems.add(new Problem(pointer, field + " is required: a name, or an object with a name", null));
        } else if (value.isString()) {
            if (value.stringValue().isBlank()) {
                problems.add(new Problem(pointer, "must not be blank", value));
            }
        } else if (value.isObject()) {
            JsonNode name = value.get("name");
            if (name == null || !name.isString() || name.stringValue().isBlank()) {
                problems.add(new Problem(pointer + "/name", "a non-blank string is required", name));
            }
        } else {
            problems.add(new Problem(pointer, "must be a name (string) or an object with a name", value));
        }
    }

    /** True when the field is present and valid. */
    private static boolean positiveInt(JsonNode spec, String field, int max, List<Problem> problems) {
        JsonNode value = spec.get(field);
        if (value == null) {
            return false;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1 || value.intValue() > max) {
            problems.add(new Problem("/" + field, "must be an integer from 1 to " + max, value));
            return false;
        }
        return true;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
