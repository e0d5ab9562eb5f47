package dev.trainyard.platform.web;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A body limit other than {@code trainyard.max-request-size} for the requests a feature streams itself (checkpoint
 * uploads): declare one as a bean and {@link RequestSizeLimitFilter} applies it to requests with this method whose
 * path matches the pattern ({@code /api/v1/projects/*}{@code /runs/*}{@code /checkpoints}).
 */
public record BodyLimit(String method, String pathPattern, long maxBytes) {

    private static final PathPatternParser PARSER = new PathPatternParser();

    boolean matches(String requestMethod, String path) {
        return method.equalsIgnoreCase(requestMethod) && pattern().matches(PathContainer.parsePath(path));
    }

    private PathPattern pattern() {
        return PARSER.parse(pathPattern);
    }
}
