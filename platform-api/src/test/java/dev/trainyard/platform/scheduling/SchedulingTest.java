package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.TokenService;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import dev.trainyard.platform.testing.TestDatabase;
import dev.trainyard.platform.web.Times;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The base of the scheduler's integration tests. Workers lease from the whole queue, so these tests cannot share a
 * database with the others (which leave thousands of QUEUED runs behind): they run against a database of their own
 * on the same PostgreSQL server as {@link TestDatabase} ({@code <its name>_q}), with their own application context
 * (shared by every subclass: keep the configuration identical). Each test starts with an empty queue: whatever an
 * earlier test left QUEUED or RUNNING is cancelled first.
 *
 * <p>Timings: leases last 30 s (tests fast-forward them with SQL rather than wait), the rescuer runs every 300 ms,
 * back-off starts at 1 s, and a waiting long-poll only re-polls every 3 s while LISTEN works, so a faster wake-up
 * can only be NOTIFY.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.scheduling.lease-duration=30s",
        "trainyard.scheduling.rescue-interval=300ms",
        "trainyard.scheduling.startup-grace=0s",
        "trainyard.scheduling.backoff-base=1s",
        "trainyard.scheduling.listen-poll-interval=3s",
        "trainyard.scheduling.poll-interval=500ms",
        "trainyard.scheduling.worker-timeout=60s"})
public abstract class SchedulingTest {

    static final String[] SETTINGS = {
        "--trainyard.scheduling.lease-duration=30s",
        "--trainyard.scheduling.rescue-interval=300ms",
        "--trainyard.scheduling.startup-grace=0s",
        "--trainyard.scheduling.backoff-base=1s",
        "--trainyard.scheduling.listen-poll-interval=3s",
        "--trainyard.scheduling.poll-interval=500ms",
        "--trainyard.scheduling.worker-timeout=60s"};

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static TestDatabase.Coordinates database;

    /** The queue's own database, created on first use and dropped when the JVM exits. */
    static synchronized TestDatabase.Coordinates queueDatabase() {
        if (database == null) {
            TestDatabase.Coordinates main = TestDatabase.get();
            int slash = main.url().lastIndexOf('/');
            int query = main.url().indexOf('?', slash);
            String name = main.url().substring(slash + 1, query < 0 ? main.url().length() : query);
            String sibling = name + "_q";
            String url = main.url().substring(0, slash + 1) + sibling
                    + (query < 0 ? "" : main.url().substring(query));
            try (Connection c = DriverManager.getConnection(main.url(), main.username(), main.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + sibling + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + sibling);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the scheduler tests' database " + sibling, e);
            }
            // dropped through the server's admin database: TestDatabase's own hook may drop the main one first
            String adminDb = System.getenv().getOrDefault("TRAINYARD_TEST_PG_ADMIN_DB", "postgres");
            String admin = main.url().substring(0, slash + 1) + adminDb + (query < 0 ? "" : main.url().substring(query));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Connection c = DriverManager.getConnection(admin, main.username(), main.password());
                        Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + sibling + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.err.println("[SchedulingTest] could not drop " + sibling + ": " + e.getMessage());
                }
            }, "drop-" + sibling));
            database = new TestDatabase.Coordinates(url, main.username(), main.password());
        }
        return database;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.Coordinates db = queueDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
    }

    /**
     * A second platform-api on the same database, as in a deployment with several instances. Close it at the end.
     */
    protected static ConfigurableApplicationContext startSecondInstance() {
        TestDatabase.Coordinates db = queueDatabase();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password()));
        args.addAll(List.of(SETTINGS));
        return new SpringApplicationBuilder(PlatformApplication.class).run(args.toArray(String[]::new));
    }

    protected static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected UserRepository users;

    @Autowired
    protected TokenService tokens;

    @Autowired
    protected JdbcClient jdbc;

    protected Api api;

    /** A site admin with an admin-scope token, who creates worker tokens. */
    protected TestUser admin;

    @BeforeEach
    void connectAndEmptyTheQueue() {
        api = new Api(port);
        admin = newUser("siteadmin", true, Scope.ADMIN);
        // runs before allocations, the order a rescuer pass locks them in (a run with an expired lease, then its
        // allocation): the other order deadlocks with a pass that takes back an earlier test's runs
        for (String sql : List.of("UPDATE runs SET status = 'CANCELLED', lease_expires_at = NULL, worker_id = NULL"
                        + " WHERE status IN ('QUEUED', 'RUNNING')",
                "DELETE FROM allocations", "DELETE FROM project_run_limits",
                "UPDATE workers SET status = 'DEREGISTERED' WHERE status <> 'DEREGISTERED'")) {
            cleanUp(sql);
        }
    }

    /** A whole-table statement can still meet a rescuer pass or a claim in flight; wait a little and try again. */
    private void cleanUp(String sql) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.sql(sql).update();
                return;
            } catch (PessimisticLockingFailureException e) {
                if (attempt == 10) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public record TestUser(long id, String username, String token) {}

    protected TestUser newUser(String prefix) {
        return newUser(prefix, false, Scope.ADMIN);
    }

    protected TestUser newUser(String prefix, boolean siteAdmin, Scope scope) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        User user = users.save(new User(username, null, siteAdmin, Times.now()));
        String token = tokens.issue(user.getId(), "test", scope, Times.now().plus(Duration.ofDays(1))).token();
        return new TestUser(user.getId(), username, token);
    }

    protected long newProject(TestUser owner) {
        Api.Response r = api.post("/api/v1/projects", owner.token(), Map.of("name", "p-" + SEQUENCE.incrementAndGet()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").longValue();
    }

    protected void addMember(long projectId, TestUser owner, TestUser member, String role) {
        Api.Response r = api.post("/api/v1/projects/" + projectId + "/members", owner.token(),
                Map.of("username", member.username(), "role", role));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** A new worker token (created through the API by the site admin). */
    protected String workerToken() {
        Api.Response r = api.post("/api/v1/worker-tokens", admin.token(), Map.of("name", "fleet"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").stringValue();
    }

    /** A worker as the tests drive it: its id and token, and the server it talks to. */
    public record Worker(String id, String token, Api api) {

        public Api.Response lease(int waitSeconds, int maxRuns) {
            return api.post(WorkerPathsForTests.PREFIX + "/" + id + "/lease", token,
                    Map.of("waitSeconds", waitSeconds, "maxRuns", maxRuns));
        }

        /** The runs leased now (no waiting), asserting 200. */
        public List<JsonNode> leaseNow(int maxRuns) {
            Api.Response r = lease(0, maxRuns);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            List<JsonNode> runs = new ArrayList<>();
            r.json().get("runs").forEach(runs::add);
            return runs;
        }

        public Api.Response heartbeat(Object... runAttempts) {
            List<Map<String, Object>> runs = new ArrayList<>();
            for (int i = 0; i < runAttempts.length; i += 2) {
                runs.add(Map.of("runId", runAttempts[i], "attempt", runAttempts[i + 1]));
            }
            return api.post(WorkerPathsForTests.PREFIX + "/" + id + "/heartbeat", token, Map.of("runs", runs));
        }

        public Api.Response report(long runId, int attempt, String status) {
            return api.post(WorkerPathsForTests.PREFIX + "/" + id + "/runs/" + runId + "/status", token,
                    Map.of("attempt", attempt, "status", status));
        }

        public Api.Response report(long runId, int attempt, String status, Map<String, Object> more) {
            Map<String, Object> body = new LinkedHashMap<>(more);
            body.put("attempt", attempt);
            body.put("status", status);
            return api.post(WorkerPathsForTests.PREFIX + "/" + id + "/runs/" + runId + "/status", token, body);
        }

        public JsonNode get() {
            Api.Response r = api.get(WorkerPathsForTests.PREFIX + "/" + id, token);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            return r.json();
        }
    }

    /** Registers a worker with {@code cpus} CPUs, {@code memoryMb} memory, {@code gpus} GPUs and the labels. */
    protected Worker register(Api on, String token, String name, int cpus, int memoryMb, int gpus,
            Map<String, String> labels) {
        List<Map<String, Object>> devices = IntStream.range(0, gpus)
                .mapToObj(i -> Map.<String, Object>of("model", "NVIDIA A100", "memoryMb", 81920)).toList();
        Api.Response r = on.post(WorkerPathsForTests.PREFIX, token, Map.of("name", name, "labels", labels,
                "devices", Map.of("cpus", cpus, "memoryMb", memoryMb, "gpus", devices)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new Worker(r.json().get("id").stringValue(), token, on);
    }

    protected Worker register(String token, String name, int cpus, int gpus, Map<String, String> labels) {
        return register(api, token, name, cpus, 1_000_000, gpus, labels);
    }

    /** A valid run submission, to change with {@link #with}. */
    protected static Map<String, Object> runBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "run");
        body.put("spec", Specs.spec("adam", 0.001, 1));
        return body;
    }

    protected static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    protected static Map<String, Object> resources(int cpus, int gpus, Map<String, String> labels) {
        return Map.of("cpus", cpus, "gpus", gpus, "memoryMb", 1024, "labels", labels);
    }

    protected long submit(long projectId, TestUser user, Map<String, Object> body) {
        Api.Response r = api.post("/api/v1/projects/" + projectId + "/runs", user.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").longValue();
    }

    protected JsonNode run(long projectId, TestUser user, long runId) {
        Api.Response r = api.get("/api/v1/projects/" + projectId + "/runs/" + runId, user.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Makes the run's lease run out now, as if its worker had gone silent for the whole lease. */
    protected void expireLease(long runId) {
        jdbc.sql("UPDATE runs SET lease_expires_at = :t WHERE id = :id")
                .param("t", Sql.ts(Times.now().minusSeconds(1))).param("id", runId).update();
    }

    /** Makes the run's back-off end now. */
    protected void endBackoff(long runId) {
        jdbc.sql("UPDATE runs SET not_before = NULL WHERE id = :id").param("id", runId).update();
    }

    protected String status(long runId) {
        return jdbc.sql("SELECT status FROM runs WHERE id = :id").param("id", runId).query(String.class).single();
    }

    /** Waits up to {@code seconds} for the condition (the rescuer runs on its own schedule). */
    protected static void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Asserts an RFC 9457 problem response and returns its body. */
    protected static JsonNode assertProblem(Api.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as("content type of " + r).startsWith("application/problem+json");
        JsonNode body = r.json();
        assertThat(body.get("status").intValue()).isEqualTo(status);
        assertThat(body.get("title").stringValue()).isNotBlank();
        assertThat(body.get("detail").stringValue()).isNotBlank();
        return body;
    }

    /** The worker endpoints' prefix, spelled out so the tests do not depend on the constant they check. */
    static final class WorkerPathsForTests {
        static final String PREFIX = "/api/v1/workers";
    }
}
