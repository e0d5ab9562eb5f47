package dev.trainyard.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The type and constraints of one argument in the {@link Catalog}: reads a JSON value, normalizes it to plain Java and
 * reports what is wrong with it. {@link #describe()} is the human description used in docs and errors.
 */
public abstract class Kind {
    private final String description;

    private Kind(String description) {
        this.description = description;
    }

    /** E.g. "an integer >= 1", "a number in [0, 1)", "one of [relu, gelu]". */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    /** The normalized value, or null after adding a problem at {@code pointer}. */
    abstract Object read(JsonNode n, String pointer, Problems problems);

    // ------------------------------------------------------------------ factories

    /** An integer {@code >= min} that fits 32 bits. */
    static Kind integer(long min) {
        return integer(min, Integer.MAX_VALUE);
    }

    /** Any integer that fits an int (dimensions, which may be negative to count from the end). */
    static Kind integer() {
        return new Kind("an integer") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                Long v = readLong(n, pointer, problems);
                if (v == null) {
                    return null;
                }
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    problems.add(pointer, "must be an integer that fits 32 bits, got " + v, n);
                    return null;
                }
                return (int) (long) v;
            }
        };
    }

    /** An integer in {@code [min, max]}, both within 32 bits; read as an Integer. */
    static Kind integer(long min, long max) {
        if (min < Integer.MIN_VALUE || max > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bounds beyond 32 bits: [" + min + ", " + max + "]");
        }
        boolean open = max == Integer.MAX_VALUE;
        String bounds = open ? ">= " + min : "in [" + min + ", " + fmt(max) + "]";
        String range = open ? ">= " + min + " and at most " + max + " (32 bits)" : bounds;
        return new Kind("an integer " + bounds) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                Long v = readLong(n, pointer, problems);
                if (v == null) {
                    return null;
                }
                if (v < min || v > max) {
                    problems.add(pointer, "must be " + (v > max ? range : bounds) + ", got " + v, n);
                    return null;
                }
                return (int) (long) v;
            }
        };
    }

    /** A 64-bit integer in {@code [min, max]} (step counts); stored as Long. */
    static Kind longInteger(long min, long max) {
        String bounds = "in [" + min + ", " + fmt(max) + "]";
        return new Kind("an integer " + bounds) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                Long v = readLong(n, pointer, problems);
                if (v == null) {
                    return null;
                }
                if (v < min || v > max) {
                    problems.add(pointer, "must be " + bounds + ", got " + v, n);
                    return null;
                }
                return v;
            }
        };
    }

    /** A 64-bit integer (seeds, step counts); stored as Long. */
    static Kind longInteger(long min) {
        return new Kind("an integer >= " + min) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                Long v = readLong(n, pointer, problems);
                if (v == null) {
                    return null;
                }
                if (v < min) {
                    problems.add(pointer, "must be >= " + min + ", got " + v, n);
                    return null;
                }
                return v;
            }
        };
    }

    /** A finite number with optional bounds (null for none). */
    static Kind number(Double lo, boolean loInclusive, Double hi, boolean hiInclusive) {
        String bounds;
        if (lo != null && hi != null) {
            bounds = "in " + (loInclusive ? "[" : "(") + fmt(lo) + ", " + fmt(hi) + (hiInclusive ? "]" : ")");
        } else if (lo != null) {
            bounds = (loInclusive ? ">= " : "> ") + fmt(lo);
        } else if (hi != null) {
            bounds = (hiInclusive ? "<= " : "< ") + fmt(hi);
        } else {
            bounds = "";
        }
        String description = "a number" + (bounds.isEmpty() ? "" : " " + bounds);
        return new Kind(description) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                Double v = readDouble(n, pointer, problems);
                if (v == null) {
                    return null;
                }
                boolean ok = (lo == null || (loInclusive ? v >= lo : v > lo)) && (hi == null || (hiInclusive ? v <= hi : v < hi));
                if (!ok) {
                    problems.add(pointer, "must be " + bounds + ", got " + Problems.show(n), n);
                    return null;
                }
                return v;
            }
        };
    }

    static Kind positive() {
        return number(0.0, false, null, false);
    }

    static Kind nonNegative() {
        return number(0.0, true, null, false);
    }

    /** A probability-like fraction in [0, 1]. */
    static Kind unit() {
        return number(0.0, true, 1.0, true);
    }

    static Kind anyNumber() {
        return number(null, false, null, false);
    }

    static Kind bool() {
        return new Kind("true or false") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (!n.isBoolean()) {
                    problems.add(pointer, "must be true or false, got " + Problems.show(n), n);
                    return null;
                }
                return n.asBoolean();
            }
        };
    }

    /** One of fixed words; matched case-insensitively and stored in the listed spelling. */
    static Kind choice(String... values) {
        List<String> list = List.of(values);
        return new Kind("one of " + list) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (n.isTextual()) {
                    for (String v : list) {
                        if (v.equalsIgnoreCase(n.asText())) {
                            return v;
                        }
                    }
                }
                problems.add(pointer, "must be one of " + list + ", got " + Problems.show(n) + Suggest.didYouMean(n, list), n);
                return null;
            }
        };
    }

    /** One line of text: no control characters (NUL cannot even be stored by the platform's database). */
    static Kind string() {
        return new Kind("a non-empty string") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (!n.isTextual() || n.asText().isBlank()) {
                    problems.add(pointer, "must be a non-empty string, got " + Problems.show(n), n);
                    return null;
                }
                String s = n.asText();
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < 0x20 || c == 0x7f) {
                        problems.add(pointer, String.format("must not contain control characters; found U+%04X "
                                + "at index %d", (int) c, i), n);
                        return null;
                    }
                }
                return s;
            }
        };
    }

    /** A column given by name (a string) or by index (an integer, negative counts from the end). */
    static Kind column() {
        return new Kind("a column name or index") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (n.isTextual() && !n.asText().isBlank()) {
                    return n.asText();
                }
                if (n.isIntegralNumber() && n.canConvertToInt()) {
                    return n.asInt();
                }
                problems.add(pointer, "must be a column name or index, got " + Problems.show(n), n);
                return null;
            }
        };
    }

    /** An integer {@code >= min}, or a pair {@code [h, w]} of them (kernel sizes, strides). */
    static Kind intOrPair(long min, long max) {
        Kind one = integer(min, max);
        return new Kind(one.describe() + " or a pair [h, w] of them") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (n.isArray()) {
                    if (n.size() != 2) {
                        problems.add(pointer, "must be an integer or a pair [h, w], got a list of " + n.size(), n);
                        return null;
                    }
                    return readList(n, pointer, problems, one);
                }
                return one.read(n, pointer, problems);
            }
        };
    }

    /** Convolution padding: an integer >= 0, a pair, or "same" / "valid". */
    static Kind padding(boolean pair) {
        Kind numeric = pair ? intOrPair(0, Limits.WINDOW) : integer(0, Limits.WINDOW);
        return new Kind((pair ? "an integer in [0, " + Limits.WINDOW + "], a pair [h, w]" : "an integer in [0, "
                + Limits.WINDOW + "]") + ", 'same' or 'valid'") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (n.isTextual()) {
                    String s = n.asText().toLowerCase(Locale.ROOT);
                    if (s.equals("same") || s.equals("valid")) {
                        return s;
                    }
                    problems.add(pointer, "must be " + describe() + ", got " + Problems.show(n), n);
                    return null;
                }
                return numeric.read(n, pointer, problems);
            }
        };
    }

    /** A list of at least {@code minLength} elements of {@code element}. */
    static Kind list(Kind element, int minLength) {
        return list(element, minLength, Integer.MAX_VALUE);
    }

    /** A list of {@code minLength} to {@code maxLength} elements of {@code element}. */
    static Kind list(Kind element, int minLength, int maxLength) {
        String size = maxLength == Integer.MAX_VALUE ? (minLength > 0 ? "at least " + minLength + " " : "")
                : minLength + " to " + maxLength + " ";
        return new Kind("a list of " + size + "values, each " + element.describe()) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (!n.isArray()) {
                    problems.add(pointer, "must be a list, got " + Problems.show(n), n);
                    return null;
                }
                if (n.size() < minLength) {
                    problems.add(pointer, "must have at least " + minLength + " element" + (minLength == 1 ? "" : "s")
                            + ", got " + n.size(), n);
                    return null;
                }
                if (n.size() > maxLength) {
                    problems.add(pointer, "must have at most " + maxLength + " elements, got " + n.size(), n);
                    return null;
                }
                return readList(n, pointer, problems, element);
            }
        };
    }

    /** A list of exactly {@code length} elements. */
    static Kind tuple(Kind element, int length) {
        return new Kind("a list of " + length + " values, each " + element.describe()) {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                if (!n.isArray() || n.size() != length) {
                    problems.add(pointer, "must be a list of " + length + " values, got " + Problems.show(n), n);
                    return null;
                }
                return readList(n, pointer, problems, element);
            }
        };
    }

    /** A single value of {@code element} or a list of them (e.g. LayerNorm's normalizedShape). */
    static Kind oneOrList(Kind element) {
        Kind list = list(element, 1);
        return new Kind(element.describe() + ", or a list of them") {
            @Override
            Object read(JsonNode n, String pointer, Problems problems) {
                return n.isArray() ? list.read(n, pointer, problems) : element.read(n, pointer, problems);
            }
        };
    }

    // ------------------------------------------------------------------ helpers

    private static List<Object> readList(JsonNode n, String pointer, Problems problems, Kind element) {
        List<Object> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < n.size(); i++) {
            Object v = element.read(n.get(i), Problems.child(pointer, i), problems);
            ok &= v != null;
            out.add(v);
        }
        return ok ? List.copyOf(out) : null;
    }

    private static Long readLong(JsonNode n, String pointer, Problems problems) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) < 0x1p53 && !n.isIntegralNumber()) {
            problems.add(pointer, "must be an integer, got " + Problems.show(n) + " (write it without a decimal point)", n);
            return null;
        }
        problems.add(pointer, "must be an integer, got " + Problems.show(n), n);
        return null;
    }

    private static Double readDouble(JsonNode n, String pointer, Problems problems) {
        if (!n.isNumber()) {
            problems.add(pointer, "must be a number, got " + Problems.show(n), n);
            return null;
        }
        double v = n.asDouble();
        if (!Double.isFinite(v)) {
            problems.add(pointer, "must be a finite number, got " + Problems.show(n), n);
            return null;
        }
        return v;
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static String join(String... parts) {
        return String.join(", ", Arrays.asList(parts));
    }
}
