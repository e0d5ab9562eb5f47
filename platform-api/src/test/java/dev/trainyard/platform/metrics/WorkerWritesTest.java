package dev.trainyard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.events.SseStream;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Metrics and logs from a worker, through its own endpoints with its worker token, fenced by the scheduler's
 * LeaseGuard. The lease is set in SQL (as a claim leaves it) rather than taken from the shared queue.
 */
class WorkerWritesTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private long run;
    private String workerToken;
    private String workerId;

    @BeforeEach
    void leasedRun() throws Exception {
        alice = newUser("alice");
        project = newProject(alice);
        run = submitRun(project, alice, runBody()).get("id").longValue();
        String admin = Files.readString(BOOTSTRAP_TOKEN_FILE).strip();
        Api.Response token = api.post("/api/v1/worker-tokens", admin, Map.of("name", "fleet"));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        workerToken = token.json().get("token").stringValue();
        workerId = register(workerToken);
        lease(run, 1, workerId);
    }

    private String register(String token) {
        Api.Response r = api.post("/api/v1/workers", token, Map.of("name", "w", "labels", Map.of(),
                "devices", Map.of("cpus", 1, "memoryMb", 1024, "gpus", List.of())));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").stringValue();
    }

    /** What a claim leaves: the run RUNNING at this attempt, held by this worker. */
    private void lease(long runId, int attempt, String worker) {
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = ?, worker_id = ?,"
                + " lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1 minute' WHERE id = ?")
                .params(attempt, worker, runId).update();
    }

    private Api.Response post(String what, String token, String worker, int attempt, Object body) {
        return api.send("POST", "/api/v1/workers/" + worker + "/runs/" + run + "/" + what, token,
                Map.of("X-Run-Attempt", String.valueOf(attempt)), body);
    }

    private static Map<String, Object> points(int from, int count) {
        List<Map<String, Object>> p = new java.util.ArrayList<>();
        for (int s = from; s < from + count; s++) {
            p.add(Map.of("key", "loss", "step", s, "value", 1.0 / (s + 1)));
        }
        return Map.of("points", p);
    }

    @Test
    void theWorkerHoldingTheAttemptWritesMetricsAndLogs() {
        try (SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/runs/" + run + "/events",
                alice.token())) {
            stream.next(Duration.ofSeconds(10));
            Api.Response r = post("metrics", workerToken, workerId, 1, points(0, 100));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("inserted").intValue()).isEqualTo(100);
            JsonNode metrics = stream.await(Duration.ofSeconds(10), e -> e.name().equals("metrics")).json();
            assertThat(metrics.get("points").intValue()).isEqualTo(100);

            Api.Response l = post("logs", workerToken, workerId, 1, Map.of("lines",
                    List.of(Map.of("seq", 1, "text", "epoch 1"))));
            assertThat(l.status()).as(l.toString()).isEqualTo(200);
            assertThat(l.json().get("attempt").intValue()).isEqualTo(1);
            JsonNode logs = stream.await(Duration.ofSeconds(10), e -> e.name().equals("logs")).json();
            assertThat(logs.get("attempt").intValue()).isEqualTo(1);
        }
        JsonNode page = api.get("/api/v1/projects/" + project + "/runs/" + run + "/logs", alice.token()).json();
        assertThat(page.get("attempt").intValue()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("text").stringValue()).isEqualTo("epoch 1");
    }

    @Test
    void aStaleAttemptOrAnotherWorkerIsRefused() {
        lease(run, 2, workerId); // the rescuer gave the run a new attempt
        JsonNode problem = assertProblem(post("metrics", workerToken, workerId, 1, points(0, 10)), 409);
        assertThat(problem.get("detail").stringValue()).contains("attempt 1");
        assertProblem(post("logs", workerToken, workerId, 1, Map.of("lines", List.of(Map.of("seq", 1, "text", "x")))),
                409);
        assertThat(post("metrics", workerToken, workerId, 2, points(0, 10)).status()).isEqualTo(200);

        String other = register(workerToken);
        assertProblem(post("metrics", workerToken, other, 2, points(10, 10)), 409); // not the holder
        Api.Response userToken = post("metrics", alice.token(), workerId, 2, points(10, 10));
        assertThat(userToken.status()).isEqualTo(403); // user tokens cannot call worker endpoints
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metric_points WHERE run_id = ?").param(run).query(Long.class)
                .single()).isEqualTo(10);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM run_logs WHERE run_id = ?").param(run).query(Long.class)
                .single()).isZero();
    }

    @Test
    void aRunThatEndedTakesNoMoreWrites() {
        jdbc.sql("UPDATE runs SET status = 'SUCCEEDED' WHERE id = ?").params(run).update();
        assertProblem(post("metrics", workerToken, workerId, 1, points(0, 10)), 409);
        assertProblem(post("metrics", workerToken, workerId, 1, Map.of("points", List.of())), 409);
    }

    /** D4: one refused request used to create 10,000 keys in the run's project before the lease was checked. */
    @Test
    void aRefusedWriteCreatesNoMetricKeys() {
        lease(run, 2, workerId);
        List<Map<String, Object>> p = new java.util.ArrayList<>();
        for (int k = 0; k < 10_000; k++) {
            p.add(Map.of("key", "spam/" + k, "step", 0, "value", 1.0));
        }
        assertProblem(post("metrics", workerToken, workerId, 1, Map.of("points", p)), 409);
        String other = register(workerToken);
        assertProblem(post("metrics", workerToken, other, 2, Map.of("points", p)), 409);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metric_keys WHERE project_id = ?").param(project)
                .query(Long.class).single()).isZero();
        assertThat(api.get("/api/v1/projects/" + project + "/quotas", alice.token()).json()
                .get("metricKeys").get("used").longValue()).isZero();

        assertThat(post("metrics", workerToken, workerId, 2, points(0, 3)).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT name FROM metric_keys WHERE project_id = ?").param(project).query(String.class)
                .list()).containsExactly("loss");
        assertThat(api.get("/api/v1/projects/" + project + "/quotas", alice.token()).json()
                .get("metricKeys").get("used").longValue()).isEqualTo(1);
    }
}
