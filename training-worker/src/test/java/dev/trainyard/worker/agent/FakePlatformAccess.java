package dev.trainyard.worker.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The fake platform for tests outside this package. */
public final class FakePlatformAccess implements AutoCloseable {
    private final FakePlatform platform;

    private FakePlatformAccess(FakePlatform platform) {
        this.platform = platform;
    }

    public static FakePlatformAccess start() throws IOException {
        return new FakePlatformAccess(new FakePlatform());
    }

    public URI url() {
        return platform.url();
    }

    /** The kinds of successful requests other than leases and heartbeats, in order. */
    public List<String> kinds() {
        return platform.kinds();
    }

    /** Offers a run to the next lease. */
    public void queueRun(long runId, int attempt, String specJson) throws IOException {
        platform.queueRun(runId, attempt, specJson);
    }

    /** The statuses workers reported, in order. */
    public List<String> statusNames() {
        return platform.statusNames();
    }

    public String firstBody() {
        return new String(platform.requests().getFirst().body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        platform.close();
    }
}
