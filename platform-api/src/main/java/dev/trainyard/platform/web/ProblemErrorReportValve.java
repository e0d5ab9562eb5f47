package dev.trainyard.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.ExceptionUtils;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's last word on a response nobody wrote a body for, such as a 400 for request headers over the size limit
 * (refused before Spring sees the request): problem+json instead of Tomcat's HTML page. Errors Spring handles never
 * get here, since they have a body already.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        String title = resolved != null ? resolved.getReasonPhrase() : "Error";
        String detail = status == 400
                ? "the request could not be read (for example, its headers are larger than the server's limit)"
                : status >= 500 ? "internal error; the server log has the details" : title;
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            ExceptionUtils.handleThrowable(e);
        }
    }
}
