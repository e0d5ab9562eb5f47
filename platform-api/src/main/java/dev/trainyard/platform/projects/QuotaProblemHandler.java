package dev.trainyard.platform.projects;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

/**
 * A quota problem carries what a script needs to react without parsing the sentence: {@code quota} (metricKeys or
 * artifactBytes), {@code limit}, {@code used} and {@code requested} (RFC 9457 extension members). Ahead of the
 * general handler, which renders any other ApiException.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class QuotaProblemHandler {

    @ExceptionHandler(QuotaExceededException.class)
    ResponseEntity<ProblemDetail> handle(QuotaExceededException ex, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        if (request instanceof ServletWebRequest servlet) {
            body.setInstance(URI.create(servlet.getRequest().getRequestURI()));
        }
        body.setProperty("quota", ex.quota().wireName());
        body.setProperty("limit", ex.limit());
        body.setProperty("used", ex.used());
        body.setProperty("requested", ex.requested());
        return ResponseEntity.status(ex.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
