package dev.trainyard.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.platform.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system on this machine: the platform-api jar on a fresh PostgreSQL database, on a fixed free port so a
 * restarted platform comes back at the same URL, and worker jars that find it there. Sets up what a CI pipeline
 * would find: an admin token, a project, an experiment and a worker token.
 */
final class Cluster implements AutoCloseable {
    /** Short leases, so a killed worker's run is re-leased within seconds. */
    static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String VERSION = "0.1.0-SNAPSHOT";

    private final Path root;
    private final TestDatabase.Coordinates db;
    private final Path dir;
    private final Path dataRoot = Path.of(System.getProperty("trainyard.data-root", "/usr/share/datasets"));
    private final int port;
    private final ChildProcess platform;
    /** A second platform-api on the same database, for the multi-instance scenario (null until started). */
    private ChildProcess secondPlatform;
    private int secondPort;
    /** Where workers find the platform: the platform itself unless a load balancer stands in front. */
    private String workerPlatformUrl;
    private final Map<String, ChildProcess> workers = new LinkedHashMap<>();
    private Api admin;
    private Api workerApi;
    private long projectId;
    private long experimentId;
    private Path workerTokenFile;

    Cluster() {
        this("", TestDatabase.get());
    }

    /**
     * A cluster of its own: its files in the folder {@code name} beside the system directory (so that one cluster's
     * clean-up never deletes another's files), its platform on {@code db}
     * (a test class that needs an empty database of its own, see {@link #freshDatabase}).
     */
    Cluster(String name, TestDatabase.Coordinates db) {
        root = Path.of(System.getProperty("trainyard.root", "..")).toAbsolutePath().normalize();
        Path system = Path.of(System.getProperty("trainyard.system.dir",
                root.resolve("system-tests/target/system").toString())).toAbsolutePath().normalize();
        dir = name.isEmpty() ? system : system.resolveSibling(name);
        deleteRecursively(dir);
        this.db = db;
        port = freePort();
        platform = platformProcess("platform-api", port);
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "kill-system-test-processes"));
    }

    /** A platform-api process on the test database, sharing the artifact directory with any other instance. */
    private ChildProcess platformProcess(String name, int onPort) {
        return new ChildProcess(name, root.resolve("platform-api/target/trainyard-platform-api-" + VERSION + ".jar"),
                List.of("-Xmx1g", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1"),
                List.of("--spring.profiles.active=production",
                        "--server.port=" + onPort,
                        "--trainyard.bootstrap.token-file=" + dir.resolve("admin-token"),
                        "--trainyard.artifacts-dir=" + dir.resolve("artifacts"),
                        "--trainyard.scheduling.lease-duration=" + LEASE.toSeconds() + "s",
                        "--trainyard.scheduling.backoff-base=1s",
                        "--trainyard.scheduling.rescue-interval=1s"),
                Map.of("TRAINYARD_DB_URL", db.url(), "TRAINYARD_DB_USER", db.username(),
                        "TRAINYARD_DB_PASSWORD", db.password()),
                dir.resolve("logs/" + name + ".log"));
    }

    /** Starts the platform, creates the project, experiment and worker token, and starts the named workers. */
    Cluster start(String... workerNames) {
        startPlatform();
        String adminToken = read(dir.resolve("admin-token")).strip();
        admin = new Api(baseUrl(), adminToken);
        projectId = admin.post("/api/v1/projects", Map.of("name", "system-test")).expect(201).get("id").asLong();
        experimentId = admin.post(projectPath("/experiments"), Map.of("name", "fashion-mnist")).expect(201).get("id").asLong();
        String workerToken = admin.post("/api/v1/worker-tokens", Map.of("name", "system-test-workers")).expect(201)
                .get("token").asText();
        workerApi = new Api(baseUrl(), workerToken);
        workerTokenFile = dir.resolve("worker-token");
        write(workerTokenFile, workerToken + "\n");
        for (String name : workerNames) {
            startWorker(name);
        }
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Api api() {
        return admin;
    }

    long projectId() {
        return projectId;
    }

    long experimentId() {
        return experimentId;
    }

    Path dataRoot() {
        return dataRoot;
    }

    String projectPath(String path) {
        return "/api/v1/projects/" + projectId + path;
    }

    String runPath(long runId, String path) {
        return projectPath("/runs/" + runId + path);
    }

    // ------------------------------------------------------------------ the platform

    /** Starts the platform and waits until it is healthy and has written the admin token. */
    void startPlatform() {
        platform.start();
        Api anonymous = new Api(baseUrl(), "none");
        Poll.until("platform-api to answer /actuator/health with UP", START_TIMEOUT, Duration.ofMillis(250), () -> {
            if (!platform.isAlive()) {
                throw new AssertionError("platform-api exited with " + platform.exitCode() + "\n" + platform.tail(80));
            }
            Api.Response r = anonymous.get("/actuator/health");
            return r.status() == 200 && r.text().contains("\"UP\"") && Files.exists(dir.resolve("admin-token")) ? r : null;
        }, () -> platform.tail(80));
    }

    /** Starts a second platform-api on the same database and waits until it is healthy; returns its base URL. */
    String startSecondPlatform() {
        secondPort = freePort();
        secondPlatform = platformProcess("platform-api-2", secondPort);
        secondPlatform.start();
        Api anonymous = new Api(secondBaseUrl(), "none");
        Poll.until("platform-api-2 to answer /actuator/health with UP", START_TIMEOUT, Duration.ofMillis(250), () -> {
            if (!secondPlatform.isAlive()) {
                throw new AssertionError("platform-api-2 exited with " + secondPlatform.exitCode() + "\n"
                        + secondPlatform.tail(80));
            }
            Api.Response r = anonymous.get("/actuator/health");
            return r.status() == 200 && r.text().contains("\"UP\"") ? r : null;
        }, () -> secondPlatform.tail(80));
        return secondBaseUrl();
    }

    String secondBaseUrl() {
        return "http://127.0.0.1:" + secondPort;
    }

    int port() {
        return port;
    }

    int secondPort() {
        return secondPort;
    }

    /** SIGKILL to the first platform-api: no graceful shutdown, its connections simply break. */
    void killPlatform() {
        platform.kill();
    }

    /** From now on this harness (runs, workers, diagnostics) talks to the platform at this URL, e.g. a survivor. */
    void useApiAt(String url) {
        admin = new Api(url, admin.token());
        workerApi = new Api(url, workerApi.token());
    }

    /** Workers started from now on find the platform at this URL (e.g. a load balancer in front of both). */
    void pointWorkersAt(String url) {
        workerPlatformUrl = url;
    }

    String workerToken() {
        return read(workerTokenFile).strip();
    }

    /** SIGTERM to the platform, then starts it again on the same port and database. */
    void restartPlatform() {
        platform.terminate(Duration.ofSeconds(60));
        startPlatform();
    }

    // ------------------------------------------------------------------ workers

    /** Starts (or restarts) a worker and waits until it has registered. Returns its worker id. */
    String startWorker(String name) {
        return awaitWorker(name, launchWorker(name));
    }

    /** Starts (or restarts) a worker without waiting; returns when it was started, for {@link #awaitWorker}. */
    Instant launchWorker(String name) {
        ChildProcess worker = workers.computeIfAbsent(name, n -> new ChildProcess(n,
                root.resolve("training-worker/target/trainyard-training-worker-" + VERSION + "-exec.jar"),
                List.of("--add-modules=jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"),
                List.of("--trainyard.worker.platform-url=" + (workerPlatformUrl != null ? workerPlatformUrl : baseUrl()),
                        "--trainyard.worker.token-file=" + workerTokenFile,
                        "--trainyard.worker.name=" + n,
                        "--trainyard.worker.max-runs=1",
                        "--trainyard.worker.data-root=" + dataRoot,
                        "--trainyard.worker.work-dir=" + dir.resolve("workers/" + n),
                        "--server.port=0"),
                Map.of(), dir.resolve("logs/" + n + ".log")));
        Instant launched = Instant.now().minusSeconds(1);
        worker.start();
        return launched;
    }

    /** Waits until the worker started at {@code launched} has registered; returns its worker id. */
    String awaitWorker(String name, Instant launched) {
        ChildProcess worker = worker(name);
        JsonNode registered = Poll.until("worker " + name + " to register", START_TIMEOUT, Duration.ofMillis(250), () -> {
            if (!worker.isAlive()) {
                throw new AssertionError(name + " exited with " + worker.exitCode() + "\n" + worker.tail(80));
            }
            for (JsonNode w : workerApi.getJson("/api/v1/workers").get("items")) {
                if (w.get("name").asText().equals(name) && w.get("status").asText().equals("ACTIVE")
                        && Instant.parse(w.get("registeredAt").asText()).isAfter(launched)) {
                    return w;
                }
            }
            return null;
        }, () -> worker.tail(80));
        return registered.get("id").asText();
    }

    ChildProcess worker(String name) {
        ChildProcess w = workers.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no worker " + name + "; workers: " + workers.keySet());
        }
        return w;
    }

    /** The platform's view of a worker, by id (worker token). */
    JsonNode workerInfo(String workerId) {
        return workerApi.getJson("/api/v1/workers/" + workerId);
    }

    /** The name of the worker with this id. */
    String workerName(String workerId) {
        return workerInfo(workerId).get("name").asText();
    }

    // ------------------------------------------------------------------ diagnostics

    /** What a failing test shows: the run as the platform has it and the tails of every process's log. */
    String describe(Long runId) {
        StringBuilder sb = new StringBuilder();
        if (runId != null) {
            try {
                sb.append("run ").append(runId).append(": ").append(admin.get(runPath(runId, "")).text()).append('\n');
                sb.append("its last log lines: ").append(admin.get(runPath(runId, "/logs?tail=20")).text()).append('\n');
            } catch (RuntimeException e) {
                sb.append("run ").append(runId).append(": cannot read it: ").append(e).append('\n');
            }
        }
        sb.append(platform.tail(40));
        if (secondPlatform != null) {
            sb.append(secondPlatform.tail(40));
        }
        workers.values().forEach(w -> sb.append(w.tail(40)));
        return sb.toString();
    }

    String describeAll() {
        return describe(null);
    }

    @Override
    public void close() {
        List<AssertionError> errors = new ArrayList<>();
        for (ChildProcess w : workers.values()) {
            try {
                w.terminate(Duration.ofSeconds(30));
            } catch (AssertionError e) {
                errors.add(e);
            }
        }
        platform.terminate(Duration.ofSeconds(30));
        if (secondPlatform != null) {
            secondPlatform.terminate(Duration.ofSeconds(30));
        }
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
    }

    private void killAll() {
        workers.values().forEach(ChildProcess::kill);
        platform.kill();
        if (secondPlatform != null) {
            secondPlatform.kill();
        }
    }

    // ------------------------------------------------------------------ files

    /**
     * An empty database next to the test run's one, dropped when the JVM exits: for a test class whose cluster must
     * start on a database no other scenario has used (the bootstrap admin is made on an empty one).
     */
    static TestDatabase.Coordinates freshDatabase(String suffix) {
        TestDatabase.Coordinates shared = TestDatabase.get();
        String url = shared.url();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        String name = url.substring(slash + 1, query < 0 ? url.length() : query) + "_" + suffix;
        try (var c = java.sql.DriverManager.getConnection(shared.url(), shared.username(), shared.password());
                var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var c = java.sql.DriverManager.getConnection(shared.url(), shared.username(), shared.password());
                    var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                System.err.println("[Cluster] could not drop " + name + ": " + e.getMessage());
            }
        }, "drop-" + name));
        return new TestDatabase.Coordinates(url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query)),
                shared.username(), shared.password());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + path, e);
        }
    }
}
