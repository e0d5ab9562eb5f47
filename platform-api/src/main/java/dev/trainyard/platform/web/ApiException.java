package dev.trainyard.platform.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error the API reports as RFC 9457 problem+json: a status, a sentence for a person and, for 400s, the fields
 * that were wrong. Features throw these; {@link ApiExceptionHandler} renders them.
 */
public class ApiException extends RuntimeException {

    private static final int MAX_LISTED = 100;

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

    /** A 400 for these problems, which its detail sums up: {@code /spec/optimizer/lr: must be > 0 (and 2 more)}. */
    public static ApiException invalid(List<FieldProblem> problems) {
        return invalid(problems, 0);
    }

    /** The same, when {@code unlisted} more problems were found but not kept; at most 100 are listed. */
    public static ApiException invalid(List<FieldProblem> problems, int unlisted) {
        return badRequest(summary(problems, problems.size() - 1 + unlisted),
                problems.size() > MAX_LISTED ? problems.subList(0, MAX_LISTED) : problems);
    }

    /** The first problem, where it is, and how many more there are. */
    static String summary(List<FieldProblem> problems, int more) {
        if (problems.isEmpty()) {
            return "the request is invalid";
        }
        FieldProblem first = problems.getFirst();
        String where = first.pointer() != null ? first.pointer() : first.parameter();
        return (where == null || where.isEmpty() ? "" : where + ": ") + first.detail()
                + (more > 0 ? " (and " + more + " more)" : "");
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
