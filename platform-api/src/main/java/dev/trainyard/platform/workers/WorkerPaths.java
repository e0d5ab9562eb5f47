package dev.trainyard.platform.workers;

/**
 * The worker endpoints: everything under {@code /api/v1/workers}. Only worker tokens may call them
 * ({@link WorkerAuthenticationFilter}), and worker tokens may call nothing else. User-facing worker administration
 * lives elsewhere ({@code /api/v1/worker-tokens}).
 */
public final class WorkerPaths {

    public static final String PREFIX = "/api/v1/workers";

    private WorkerPaths() {}

    /**
     * Whether a request path (without the context path, as sent) is a worker endpoint. Paths with dot segments,
     * matrix parameters or escapes are not, so that both authentication filters agree on what they see and no
     * path can be read one way by a filter and another way by the dispatcher.
     */
    public static boolean isWorkerPath(String path) {
        return (path.equals(PREFIX) || path.startsWith(PREFIX + "/"))
                && !path.contains("/.") && !path.contains(";") && !path.contains("%") && !path.contains("\\");
    }
}
