package dev.trainyard.platform.web;

import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says in words what is wrong with a request body Jackson could not read: "must be an integer, got a string" rather
 * than Java type names, and "the JSON ends too early (line 1, column 9)" rather than parser internals.
 */
final class JsonInputProblems {

    private JsonInputProblems() {}

    /** The problem with the value at a field's pointer (a binding error). */
    static String atField(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
            Class<?> type = invalid.getTargetType();
            if (type.isEnum()) {
                return "must be one of " + enumValues(type) + ", got " + shown(invalid.getValue());
            }
            return "must be " + expected(type) + ", got " + shown(invalid.getValue());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            JsonToken token = mismatch.getCurrentToken();
            return "must be " + expected(mismatch.getTargetType()) + (token != null ? ", got " + tokenWord(token) : "");
        }
        if (e instanceof StreamReadException) {
            return syntax(e);
        }
        return "cannot be read as the expected type";
    }

    /** The problem with a body that is not JSON at all (a syntax error), with where it was found. */
    static String syntax(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what;
        if (message.startsWith("Unexpected end-of-input")) {
            what = "it ends too early (an unclosed string, object or array)";
        } else if (message.startsWith("Unexpected character")) {
            int quote = message.indexOf('\'');
            int close = quote < 0 ? -1 : message.indexOf('\'', quote + 1);
            what = "unexpected character" + (close > quote ? " " + message.substring(quote, close + 1) : "");
        } else if (message.startsWith("Unrecognized token")) {
            int quote = message.indexOf('\'');
            int close = quote < 0 ? -1 : message.indexOf('\'', quote + 1);
            what = "unrecognized word" + (close > quote ? " " + message.substring(quote, close + 1) : "")
                    + " (strings need double quotes; true, false and null are lowercase)";
        } else if (message.startsWith("Duplicate")) {
            what = "a field is given twice";
        } else if (message.contains("control character")) {
            what = "a string holds an unescaped control character (write it as \\u00XX)";
        } else if (message.contains("exceeds the maximum") || message.contains("exceeds the max")) {
            what = "it is nested too deeply or a value is too long";
        } else {
            what = "it is not well-formed";
        }
        return what + where(e.getLocation());
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "")
                + ")";
    }

    /** What a value of this Java type looks like in JSON, in words. */
    static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 time such as 2026-01-01T12:00:00Z";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        return "a JSON object";
    }

    private static String enumValues(Class<?> type) {
        StringBuilder sb = new StringBuilder("[");
        for (Object c : type.getEnumConstants()) {
            sb.append(sb.length() > 1 ? ", " : "").append(c.toString().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append(']').toString();
    }

    private static String tokenWord(JsonToken token) {
        return switch (token) {
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }

    private static String shown(Object value) {
        if (value instanceof String s) {
            return "'" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "'";
        }
        return value instanceof Map<?, ?> || value == null ? "another value" : String.valueOf(value);
    }
}
