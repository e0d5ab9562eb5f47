package dev.trainyard.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One wrong input, as an entry of a problem's {@code errors} array: {@code pointer} is the JSON pointer of a body
 * field ({@code /spec/optimizer/lr}), {@code parameter} the name of a query parameter or header.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldProblem(String pointer, String parameter, String detail, Object rejectedValue) {

    public static FieldProblem atPointer(String pointer, String detail, Object rejectedValue) {
        return new FieldProblem(pointer, null, detail, rejectedValue);
    }

    public static FieldProblem atParameter(String parameter, String detail, Object rejectedValue) {
        return new FieldProblem(null, parameter, detail, rejectedValue);
    }

    /** Escapes one reference token of a JSON pointer (RFC 6901): {@code ~} to {@code ~0}, {@code /} to {@code ~1}. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
