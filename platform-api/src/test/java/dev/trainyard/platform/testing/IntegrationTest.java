package dev.trainyard.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.artifacts.ArtifactStore;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.TokenService;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import dev.trainyard.platform.web.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

/**
 * The base of the integration tests: the whole application on a random port, on a fresh PostgreSQL database
 * ({@link TestDatabase}), driven over real HTTP. All subclasses share one application context (keep their
 * configuration identical), so each test makes its own users and projects with unique names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    /** Where the bootstrap admin token is written: one path for the whole test run. */
    public static final Path BOOTSTRAP_TOKEN_FILE = tempDir().resolve("admin-token");
    /** The local artifact store's directory; checkpoint uploads up to 64 MB. */
    public static final Path ARTIFACTS_DIR = tempDir().resolve("artifacts");
    public static final String CHECKPOINT_MAX_SIZE = "64MB";
    /** Where the tests' fake dashboard app is (web/DashboardTest). */
    public static final String TEST_DASHBOARD = "classpath:/test-dashboard/";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Coordinates db = TestDatabase.get();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("trainyard.bootstrap.token-file", BOOTSTRAP_TOKEN_FILE::toString);
        registry.add("trainyard.artifacts-dir", ARTIFACTS_DIR::toString);
        registry.add("trainyard.checkpoints.max-size", () -> CHECKPOINT_MAX_SIZE);
        // a small fake dashboard (not dashboard/, where the real web-ui jar puts it, since this test-jar is reused)
        registry.add("trainyard.dashboard.location", () -> TEST_DASHBOARD);
    }

    /** The artifact store, spied on so that a test can make it fail (reset after each test). */
    @MockitoSpyBean
    protected ArtifactStore artifactStore;

    @LocalServerPort
    protected int port;

    @Autowired
    protected UserRepository users;

    @Autowired
    protected TokenService tokens;

    @Autowired
    protected JdbcClient jdbc;

    protected Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /** A user and an API token of theirs. */
    public record TestUser(long id, String username, String token) {}

    protected TestUser newUser(String prefix) {
        return newUser(prefix, Scope.ADMIN);
    }

    /** A new user (not a site admin) with a token of the given scope. */
    protected TestUser newUser(String prefix, Scope scope) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        User user = users.save(new User(username, null, false, Times.now()));
        return new TestUser(user.getId(), username, token(user.getId(), scope));
    }

    protected String token(long userId, Scope scope) {
        return tokens.issue(userId, "test", scope, Times.now().plus(Duration.ofDays(1))).token();
    }

    /** Creates a project owned (admin) by {@code owner} and returns its id. */
    protected long newProject(TestUser owner) {
        Api.Response r = api.post("/api/v1/projects", owner.token(),
                Map.of("name", "project-" + SEQUENCE.incrementAndGet()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").longValue();
    }

    protected void addMember(long projectId, TestUser admin, TestUser member, String role) {
        Api.Response r = api.post("/api/v1/projects/" + projectId + "/members", admin.token(),
                Map.of("username", member.username(), "role", role));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** A valid submission body, to change with {@link #with}. */
    protected static Map<String, Object> runBody() {
        Map<String, Object> spec = Specs.spec("adam", 0.001, 3, List.of(256, 128));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "baseline");
        body.put("spec", spec);
        body.put("params", Map.of("lr", 0.001, "optimizer", "adam", "batch_size", 64));
        body.put("tags", List.of("baseline"));
        return body;
    }

    protected static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    protected JsonNode submitRun(long projectId, TestUser user, Map<String, Object> body) {
        Api.Response r = api.post("/api/v1/projects/" + projectId + "/runs", user.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
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

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("trainyard-it-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
