package dev.trainyard.worker.client;

/** The platform answered a worker call with an error status; {@link #body()} holds its problem+json, if any. */
public final class PlatformException extends RuntimeException {
    private final int status;
    private final String body;

    public PlatformException(String call, int status, String body) {
        super(call + " answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body)));
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    /** 409: the run attempt is not live any more (lease lost, cancelled, finished). */
    public boolean isConflict() {
        return status == 409;
    }

    /** 404: the platform does not know the worker (or run) any more. */
    public boolean isNotFound() {
        return status == 404;
    }

    /** 404 or 410 on a worker route: the platform does not know this worker (any more), or it was deregistered. */
    public boolean isUnknownWorker() {
        return status == 404 || status == 410;
    }

    /** Worth retrying: the platform is restarting or overloaded. */
    public boolean isTransient() {
        return status >= 500 || status == 429 || status == 408;
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
