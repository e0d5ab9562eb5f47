package dev.trainyard.platform.metrics;

import dev.trainyard.platform.web.FieldProblem;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A batch of metric points as read from a request body ({@link MetricBatchReader}): the points in columns of
 * primitives rather than one object each, and what was wrong with the body, to be reported all at once by
 * {@link MetricService}.
 *
 * <p>The wire format, documented by the nested schema records:
 * <pre>{"points": [{"key": "train/loss", "step": 100, "value": 0.25, "time": "2026-01-01T12:00:00Z"}, ...]}</pre>
 */
@JsonDeserialize(using = MetricBatchReader.class)
@Schema(implementation = MetricBatch.Wire.class)
public final class MetricBatch {

    /** At most this many points per request. */
    public static final int MAX_POINTS = 10_000;
    /** Problems listed in a 400 at most; the detail counts the rest. */
    static final int MAX_PROBLEMS = 100;
    /** The time of a point that gave none: the server's clock when the batch is stored. */
    static final long NO_TIME = Long.MIN_VALUE;

    private final List<String> keyNames = new ArrayList<>();
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private int[] keys = new int[64];
    private long[] steps = new long[64];
    private double[] values = new double[64];
    private long[] times = new long[64];
    private int size;
    private int total;
    private final List<FieldProblem> problems = new ArrayList<>();
    private int moreProblems;

    void add(String key, long step, double value, long timeMicros) {
        if (size == keys.length) {
            int n = Math.min(MAX_POINTS, size * 2);
            keys = Arrays.copyOf(keys, n);
            steps = Arrays.copyOf(steps, n);
            values = Arrays.copyOf(values, n);
            times = Arrays.copyOf(times, n);
        }
        Integer k = keyIndex.get(key);
        if (k == null) {
            k = keyNames.size();
            keyNames.add(key);
            keyIndex.put(key, k);
        }
        keys[size] = k;
        steps[size] = step;
        values[size] = value;
        times[size] = timeMicros;
        size++;
    }

    void problem(FieldProblem problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else {
            moreProblems++;
        }
    }

    void counted(int total) {
        this.total = total;
    }

    /** Whether a valid point already used this key. */
    boolean hasKey(String key) {
        return keyIndex.containsKey(key);
    }

    /** The distinct key names, in the order they first appear. */
    public List<String> keyNames() {
        return keyNames;
    }

    /** Point i's key, as an index into {@link #keyNames}. */
    public int key(int i) {
        return keys[i];
    }

    public long step(int i) {
        return steps[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** Microseconds since the epoch, or {@link #NO_TIME}. */
    public long time(int i) {
        return times[i];
    }

    /** How many valid points were read (at most {@link #MAX_POINTS}). */
    public int size() {
        return size;
    }

    /** How many points the body held, valid or not, including those beyond {@link #MAX_POINTS}. */
    public int total() {
        return total;
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    public int moreProblems() {
        return moreProblems;
    }

    /** A batch built in code (the benchmarks, tests): points without problems. */
    public static MetricBatch of(List<String> keys, long[] steps, double[] values) {
        MetricBatch b = new MetricBatch();
        for (int i = 0; i < steps.length; i++) {
            b.add(keys.get(i), steps[i], values[i], NO_TIME);
        }
        b.counted(steps.length);
        return b;
    }

    // The wire format, for the OpenAPI document only.

    @Schema(name = "MetricBatch", description = "At most 10,000 points per request.")
    record Wire(@ArraySchema(schema = @Schema(implementation = WirePoint.class)) List<WirePoint> points) {}

    @Schema(name = "MetricPoint")
    record WirePoint(
            @Schema(description = "1 to 200 letters, digits, '_', '.', ':', '/' or '-'", example = "train/loss",
                    requiredMode = Schema.RequiredMode.REQUIRED) String key,
            @Schema(description = "0 to 2^53 - 1; a step holds one value per key (the first written wins)",
                    requiredMode = Schema.RequiredMode.REQUIRED) long step,
            @Schema(description = "a number, or the string \"NaN\", \"Infinity\" or \"-Infinity\"", example = "0.25",
                    requiredMode = Schema.RequiredMode.REQUIRED, oneOf = {Double.class, String.class}) Object value,
            @Schema(description = "when it was measured: RFC 3339 text or seconds since the epoch; default: when "
                    + "the server stores it", example = "2026-01-01T12:00:00.250Z") Object time) {}
}
