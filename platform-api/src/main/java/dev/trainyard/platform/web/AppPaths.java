package dev.trainyard.platform.web;

/**
 * Which request paths belong to the dashboard app (its files under {@code classpath:/dashboard/} and the
 * client-route fallback to its index.html): everything but the API, Actuator, the API documentation and the error
 * page. The app's paths need no authentication and carry the Content-Security-Policy. Paths with empty or dot
 * segments, matrix parameters or escapes are never app paths, so no path can look like the app to a filter and like
 * the API to the dispatcher.
 */
public final class AppPaths {

    private AppPaths() {}

    public static boolean isAppPath(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains("/.") || path.contains(";")
                || path.contains("%") || path.contains("\\")) {
            return false;
        }
        return !(under(path, "/api") || under(path, "/actuator") || under(path, "/v3/api-docs")
                || under(path, "/swagger-ui") || path.equals("/swagger-ui.html") || under(path, "/error"));
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
