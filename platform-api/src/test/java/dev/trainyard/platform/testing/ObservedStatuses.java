package dev.trainyard.platform.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every (method, path, status) the tests saw through {@link Api}, for the test that compares them with the OpenAPI
 * document (web.OpenApiStatusesTest, which runs after the others: src/test/resources/junit-platform.properties).
 */
public final class ObservedStatuses {

    private ObservedStatuses() {}

    /** One response: the request's method and raw path (no query), its status and content type. */
    public record Observation(String method, String path, int status, String contentType) {}

    private static final Set<Observation> SEEN = ConcurrentHashMap.newKeySet();

    static void record(String method, String path, int status, String contentType) {
        String type = contentType.contains(";") ? contentType.substring(0, contentType.indexOf(';')).strip() : contentType;
        SEEN.add(new Observation(method, path, status, type));
    }

    public static Set<Observation> all() {
        return Set.copyOf(SEEN);
    }
}
