package dev.trainyard.platform.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error the API reports as RFC 9457 problem+json: a status, a sentence for a person and, for 400s, the fields
 * that were wrong. Features throw these; {@link ApiExceptionHandler} renders them.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final transient List<FieldProblem> errors;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiException badRequest(String detail, List<FieldProblem> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail, errors);
    }

    public static ApiException badRequest(FieldProblem problem) {
        return new ApiException(HttpStatus.BAD_REQUEST, problem.detail(), List.of(problem));
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail, List.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, detail, List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
