package dev.trainyard.platform.metrics;

import dev.trainyard.platform.web.FieldProblem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a {@link MetricBatch} straight off the request's token stream, ten thousand points without an object per
 * point. It never throws for bad content: each problem is recorded with the JSON pointer of the value
 * ({@code /points/17/value}), that point is left out, and reading goes on, so one 400 can list every problem.
 * Points beyond {@link MetricBatch#MAX_POINTS} are counted and skipped.
 */
public class MetricBatchReader extends ValueDeserializer<MetricBatch> {

    static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_.:/-]{1,200}");
    static final String KEY_RULE = "a key is 1 to 200 letters, digits, '_', '.', ':', '/' or '-'";
    /** The largest step: 2^53 - 1, the largest integer a JavaScript client reads exactly. */
    public static final long MAX_STEP = (1L << 53) - 1;
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    @Override
    public MetricBatch deserialize(JsonParser p, DeserializationContext ctxt) {
        MetricBatch batch = new MetricBatch();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            batch.problem(FieldProblem.atPointer("", "the body is a JSON object: {\"points\": [...]}", null));
            p.skipChildren();
            return batch;
        }
        boolean sawPoints = false;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("points")) {
                sawPoints = true;
                readPoints(p, batch);
            } else {
                batch.problem(FieldProblem.atPointer("/" + FieldProblem.escape(name), "unknown field", null));
                p.skipChildren();
            }
        }
        if (!sawPoints) {
            batch.problem(FieldProblem.atPointer("/points", "required: an array of points", null));
        }
        return batch;
    }

    private static void readPoints(JsonParser p, MetricBatch batch) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            batch.problem(FieldProblem.atPointer("/points", "must be an array of points", null));
            p.skipChildren();
            return;
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (i >= MetricBatch.MAX_POINTS) {
                p.skipChildren();
            } else {
                readPoint(p, batch, i);
            }
            i++;
        }
        batch.counted(i);
    }

    private static void readPoint(JsonParser p, MetricBatch batch, int i) {
        String at = "/points/" + i;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            batch.problem(FieldProblem.atPointer(at, "a point is an object {\"key\", \"step\", \"value\"[, \"time\"]}",
                    null));
            p.skipChildren();
            return;
        }
        String key = null;
        long step = 0;
        double value = 0;
        long time = MetricBatch.NO_TIME;
        boolean hasKey = false;
        boolean hasStep = false;
        boolean hasValue = false;
        boolean ok = true;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "key" -> {
                    hasKey = true;
                    // each distinct key is checked once: a batch repeats a few keys thousands of times
                    if (t == JsonToken.VALUE_STRING
                            && (batch.hasKey(key = p.getString()) || KEY.matcher(key).matches())) {
                        break;
                    }
                    ok = fail(batch, at + "/key", KEY_RULE, p);
                }
                case "step" -> {
                    hasStep = true;
                    if (t == JsonToken.VALUE_NUMBER_INT) {
                        try {
                            step = p.getLongValue();
                        } catch (InputCoercionException e) {
                            step = -1;
                        }
                        if (step >= 0 && step <= MAX_STEP) {
                            break;
                        }
                    }
                    ok = fail(batch, at + "/step", "a step is an integer from 0 to " + MAX_STEP, p);
                }
                case "value" -> {
                    hasValue = true;
                    if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                        value = p.getDoubleValue();
                        if (Double.isInfinite(value)) {
                            // 1e400 is a finite number too large for a double, not an infinity
                            ok = fail(batch, at + "/value", OUT_OF_RANGE, p);
                        }
                        break;
                    }
                    if (t == JsonToken.VALUE_STRING) {
                        switch (p.getString()) {
                            case "NaN" -> value = Double.NaN;
                            case "Infinity", "+Infinity" -> value = Double.POSITIVE_INFINITY;
                            case "-Infinity" -> value = Double.NEGATIVE_INFINITY;
                            default -> ok = fail(batch, at + "/value", VALUE_RULE, p);
                        }
                        break;
                    }
                    ok = fail(batch, at + "/value", VALUE_RULE, p);
                }
                case "time" -> {
                    long us = readTime(p, t);
                    if (us == BAD_TIME) {
                        ok = fail(batch, at + "/time", TIME_RULE, p);
                    } else {
                        time = us;
                    }
                }
                default -> ok = fail(batch, at + "/" + FieldProblem.escape(field), "unknown field", p);
            }
        }
        if (!hasKey) {
            ok = missing(batch, at + "/key");
        }
        if (!hasStep) {
            ok = missing(batch, at + "/step");
        }
        if (!hasValue) {
            ok = missing(batch, at + "/value");
        }
        if (ok) {
            batch.add(key, step, value, time);
        }
    }

    private static final String OUT_OF_RANGE = "a value must fit a 64-bit float (magnitude at most 1.7976931348623157e308); "
            + "send the string \"Infinity\" or \"-Infinity\" for an infinite value";
    private static final String VALUE_RULE = "a value is a number, or the string \"NaN\", \"Infinity\" or \"-Infinity\"";
    private static final String TIME_RULE = "a time is RFC 3339 text such as 2026-01-01T12:00:00.25Z, or seconds "
            + "since the epoch, between the years 1900 and 9999";
    private static final long BAD_TIME = Long.MAX_VALUE;

    /** Microseconds since the epoch, NO_TIME for null, BAD_TIME for anything else. */
    private static long readTime(JsonParser p, JsonToken t) {
        Instant instant;
        if (t == JsonToken.VALUE_NULL) {
            return MetricBatch.NO_TIME;
        } else if (t == JsonToken.VALUE_STRING) {
            try {
                instant = Instant.parse(p.getString());
            } catch (DateTimeException e) {
                return BAD_TIME;
            }
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            double seconds = p.getDoubleValue();
            if (!(Math.abs(seconds) < 3e11)) {
                return BAD_TIME;
            }
            instant = Instant.EPOCH.plus(Math.round(seconds * 1e6), ChronoUnit.MICROS);
        } else {
            return BAD_TIME;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            return BAD_TIME;
        }
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static boolean missing(MetricBatch batch, String pointer) {
        batch.problem(FieldProblem.atPointer(pointer, "required", null));
        return false;
    }

    private static boolean fail(MetricBatch batch, String pointer, String detail, JsonParser p) {
        Object rejected = p.currentToken().isScalarValue() ? p.getString() : null;
        batch.problem(FieldProblem.atPointer(pointer, detail, rejected));
        p.skipChildren();
        return false;
    }
}
