package dev.trainyard.platform.web;

import dev.trainyard.spec.RunSpecs;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error the API returns is RFC 9457 {@code application/problem+json}. Spring MVC's own exceptions (405, 406,
 * 415, unknown paths, unreadable bodies) come through {@link ResponseEntityExceptionHandler}; ours are
 * {@link ApiException}s. Input errors carry an {@code errors} array of {@link FieldProblem}s.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex, WebRequest request) {
        return problem(ex.status(), ex.getMessage(), ex.errors(), request);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<Object> handleOptimisticLock(OptimisticLockingFailureException ex, WebRequest request) {
        return problem(HttpStatus.CONFLICT, "the resource was changed by another request at the same time; retry",
                List.of(), request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleIntegrity(DataIntegrityViolationException ex, WebRequest request) {
        if (isUnstorableCharacter(ex)) {
            // a field without its own check let a NUL through: still the client's input, not a conflict
            log.warn("a text the database cannot store reached it: {}", ex.getMostSpecificCause().getMessage());
            return problem(HttpStatus.BAD_REQUEST, "a text in the request holds a character that cannot be stored "
                    + "(such as NUL, U+0000)", List.of(), request);
        }
        log.info("integrity violation reported as 409: {}", ex.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, "the request conflicts with the current state of the data", List.of(),
                request);
    }

    /** PostgreSQL's 22021 (character not in repertoire: NUL in text) and 22P05 (untranslatable: NUL in jsonb). */
    private static boolean isUnstorableCharacter(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The API reads no multipart bodies; a multipart Content-Type with a broken body is the client's error. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMultipart(MultipartException ex, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "the request body cannot be read as multipart/form-data; this API "
                + "reads JSON (and YAML or octet-stream where an operation says so)", List.of(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        log.error("unexpected error on {}", request.getDescription(false), ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal error; the server log has the details", List.of(),
                request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
            errors.add(FieldProblem.atPointer(pointerOf(fe.getField()), fe.getDefaultMessage(), fe.getRejectedValue()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(ge -> errors.add(
                FieldProblem.atPointer("", ge.getDefaultMessage(), null)));
        return problem(HttpStatus.BAD_REQUEST, ApiException.summary(errors, errors.size() - 1), errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(err -> errors.add(
                    FieldProblem.atParameter(name, err.getDefaultMessage(), result.getArgument())));
        });
        return problem(HttpStatus.BAD_REQUEST, ApiException.summary(errors, errors.size() - 1), errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException tooLarge) {
                return problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), List.of(), request);
            }
        }
        if (ex.getCause() instanceof DatabindException jackson && !jackson.getPath().isEmpty()) {
            String pointer = pointerOf(jackson.getPath());
            String detail = JsonInputProblems.atField(jackson) + wrapperHint(jackson);
            List<FieldProblem> errors = List.of(FieldProblem.atPointer(pointer, detail, null));
            return problem(HttpStatus.BAD_REQUEST, pointer + ": " + detail, errors, request);
        }
        String detail = ex.getCause() instanceof StreamReadException syntax
                ? "the request body is not valid JSON: " + JsonInputProblems.syntax(syntax)
                : ex.getCause() instanceof DatabindException binding
                        ? "the request body " + JsonInputProblems.atField(binding)
                        : "the request body is missing or unreadable";
        return problem(HttpStatus.BAD_REQUEST, detail, List.of(), request);
    }

    /**
     * For a run spec's field at the top of a body that wraps the run spec in "spec" (a run spec posted bare): the body
     * is {"spec": ...}.
     */
    private static String wrapperHint(DatabindException e) {
        if (e instanceof UnrecognizedPropertyException unknown && unknown.getPath().size() == 1
                && RunSpecs.FIELDS.contains(unknown.getPropertyName())
                && unknown.getKnownPropertyIds() != null && unknown.getKnownPropertyIds().contains("spec")) {
            return "; the body is {\"spec\": <the run spec>, ...} with the run spec inside \"spec\" (known fields: "
                    + unknown.getKnownPropertyIds() + ")";
        }
        return "";
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() != null ? ex.getPropertyName() : "parameter";
        String expected = ex.getRequiredType() != null ? JsonInputProblems.expected(ex.getRequiredType()) : "a valid value";
        String detail = "must be " + expected + ", got '" + ex.getValue() + "'";
        return problem(HttpStatus.BAD_REQUEST, name + ": " + detail,
                List.of(FieldProblem.atParameter(name, detail, ex.getValue())), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "the query parameter " + ex.getParameterName() + " is required";
        return problem(HttpStatus.BAD_REQUEST, detail,
                List.of(FieldProblem.atParameter(ex.getParameterName(), detail, null)), request);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex instanceof MissingRequestHeaderException missing) {
            String detail = "the header " + missing.getHeaderName() + " is required";
            return problem(HttpStatus.BAD_REQUEST, detail,
                    List.of(FieldProblem.atParameter(missing.getHeaderName(), detail, null)), request);
        }
        return super.handleServletRequestBindingException(ex, headers, status, request);
    }

    /** Every problem goes out as application/problem+json, whatever the client's Accept header preferred. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        HttpHeaders out = new HttpHeaders();
        out.putAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, out, statusCode);
    }

    private ResponseEntity<Object> problem(HttpStatus status, String detail, List<FieldProblem> errors,
            WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return handleExceptionInternal(new ApiException(status, detail, errors), body, new HttpHeaders(), status,
                request);
    }

    /** {@code resources.labels[gpu]} or {@code tags[0]} (Bean Validation's paths) to {@code /resources/labels/gpu}. */
    static String pointerOf(String propertyPath) {
        StringBuilder sb = new StringBuilder();
        for (String part : propertyPath.split("\\.")) {
            int bracket = part.indexOf('[');
            String head = bracket < 0 ? part : part.substring(0, bracket);
            if (!head.isEmpty()) {
                sb.append('/').append(FieldProblem.escape(head));
            }
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                sb.append('/').append(FieldProblem.escape(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        return sb.toString();
    }

    private static String pointerOf(List<JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            sb.append('/');
            sb.append(ref.getPropertyName() != null ? FieldProblem.escape(ref.getPropertyName())
                    : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }
}
