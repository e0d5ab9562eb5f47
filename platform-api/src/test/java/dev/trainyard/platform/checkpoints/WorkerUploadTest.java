package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.web.Times;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A worker uploads the checkpoints of the attempt it holds, with its worker token, under the worker endpoints; the
 * scheduler's LeaseGuard fences it by attempt. The lease itself is set up with SQL, as a claim leaves it (leasing
 * through the API would take any queued run of the shared test database).
 */
class WorkerUploadTest extends CheckpointTesting {

    private TestUser alice;
    private long project;
    private long run;
    private String workerToken;
    private String workerId;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
        run = newRun(project, alice, null);
        User admin = users.save(new User("siteadmin-" + System.nanoTime(), null, true, Times.now()));
        Api.Response t = api.post("/api/v1/worker-tokens", token(admin.getId(), Scope.ADMIN), Map.of("name", "fleet"));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        workerToken = t.json().get("token").stringValue();
        Api.Response w = api.post("/api/v1/workers", workerToken, Map.of("name", "box", "labels", Map.of(),
                "devices", Map.of("cpus", 1, "memoryMb", 1024, "gpus", java.util.List.of())));
        assertThat(w.status()).as(w.toString()).isEqualTo(201);
        workerId = w.json().get("id").stringValue();
        // what a claim leaves: RUNNING at attempt 2 on this worker
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 2, worker_id = ?, started_at = CURRENT_TIMESTAMP,"
                + " lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' MINUTE WHERE id = ?").params(workerId, run)
                .update();
    }

    private Api.Response upload(String token, String worker, String attempt, long step, byte[] data) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/v1/workers/" + worker + "/runs/" + run
                        + "/checkpoints?step=" + step + "&metric.loss=0.5"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .header("X-Checkpoint-Sha256", sha256(data))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data));
        if (attempt != null) {
            b.header("X-Run-Attempt", attempt);
        }
        return api.send(b.build());
    }

    @Test
    void theAttemptHoldingTheRunUploads() {
        byte[] data = bytes(5000, 1);
        Api.Response r = upload(workerToken, workerId, "2", 10, data);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode c = r.json();
        assertThat(c.get("attempt").intValue()).isEqualTo(2);
        assertThat(c.get("uploadedBy").isNull()).isTrue();
        assertThat(r.header("Location")).isEqualTo(checkpoints(project, run) + "/" + c.get("id").longValue());
        // people see it where they see the others
        assertThat(download(c.get("content").stringValue(), alice.token(), Map.of()).body()).isEqualTo(data);
    }

    @Test
    void aStaleAttemptOrAnotherWorkerIs409AndStoresNothing() {
        JsonNode stale = assertProblem(upload(workerToken, workerId, "1", 10, bytes(100, 1)), 409);
        assertThat(stale.get("detail").stringValue()).contains("no longer holds run " + run);
        jdbc.sql("UPDATE runs SET status = 'CANCELLED', worker_id = NULL WHERE id = ?").param(run).update();
        assertProblem(upload(workerToken, workerId, "2", 10, bytes(100, 1)), 409);
        assertThat(storedFiles(project, run)).isEmpty();
        assertThat(pendingDeletions(project, run)).isZero();
    }

    @Test
    void theAttemptIsRequiredAndUserTokensCannotUseTheWorkerRoute() {
        assertThat(assertProblem(upload(workerToken, workerId, null, 10, bytes(10, 1)), 400).get("errors").get(0)
                .get("parameter").stringValue()).isEqualTo("X-Run-Attempt");
        assertProblem(upload(workerToken, workerId, "zero", 10, bytes(10, 1)), 400);
        assertProblem(upload(alice.token(), workerId, "2", 10, bytes(10, 1)), 403);
        // and a worker token cannot use the people's route
        assertProblem(upload(workerToken, project, run, "?step=1", bytes(10, 1), Map.of()), 403);
        assertProblem(upload(workerToken, "someone-else", "2", 10, bytes(10, 1)), 404);
        assertThat(storedFiles(project, run)).isEmpty();
    }

    @Test
    void aProjectUploadForAWorkerIsFencedByWorkerIdAndAttemptLikeMetricsAndLogs() {
        Api.Response live = upload(alice.token(), project, run, "?step=7", bytes(100, 2),
                Map.of("X-Worker-Id", workerId, "X-Run-Attempt", "2"));
        assertThat(live.status()).as(live.toString()).isEqualTo(201);
        assertThat(live.json().get("attempt").intValue()).isEqualTo(2);
        assertThat(live.json().get("uploadedBy").stringValue()).isEqualTo(alice.username());
        assertThat(assertProblem(upload(alice.token(), project, run, "?step=8", bytes(100, 3),
                Map.of("X-Worker-Id", workerId, "X-Run-Attempt", "1")), 409).get("detail").stringValue())
                .contains("no longer holds run " + run);
        assertThat(assertProblem(upload(alice.token(), project, run, "?step=8", bytes(100, 3),
                Map.of("X-Run-Attempt", "2")), 400).get("errors").get(0).get("parameter").stringValue())
                .isEqualTo("X-Worker-Id");
        // unfenced, a person's upload records no attempt
        Api.Response plain = upload(alice.token(), project, run, "?step=9", bytes(100, 4), Map.of());
        assertThat(plain.status()).as(plain.toString()).isEqualTo(201);
        assertThat(plain.json().get("attempt").isNull()).isTrue();
    }
}
