package dev.trainyard.platform.checkpoints;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

/** The checkpoint interval guard's 429: {@code Retry-After}, and the interval as an extension member. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CheckpointProblemHandler {

    @ExceptionHandler(CheckpointTooSoonException.class)
    ResponseEntity<ProblemDetail> tooSoon(CheckpointTooSoonException ex, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        if (request instanceof ServletWebRequest servlet) {
            body.setInstance(URI.create(servlet.getRequest().getRequestURI()));
        }
        body.setProperty("minIntervalSeconds", ex.minInterval().toMillis() / 1000.0);
        long retryAfter = Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000);
        body.setProperty("retryAfterSeconds", retryAfter);
        return ResponseEntity.status(ex.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)).body(body);
    }
}
