package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.web.Times;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A worker that holds a run's live attempt lists and downloads the run's checkpoints (of every attempt) to resume
 * from, with its worker token, fenced by X-Run-Attempt. The lease is set up with SQL, as in {@link WorkerUploadTest}.
 */
class WorkerResumeTest extends CheckpointTesting {

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
                "devices", Map.of("cpus", 1, "memoryMb", 1024, "gpus", List.of())));
        assertThat(w.status()).as(w.toString()).isEqualTo(201);
        workerId = w.json().get("id").stringValue();
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 2, worker_id = ?, started_at = CURRENT_TIMESTAMP,"
                + " lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' MINUTE WHERE id = ?").params(workerId, run)
                .update();
    }

    private String workerPath(String rest) {
        return "/api/v1/workers/" + workerId + "/runs/" + run + "/checkpoints" + rest;
    }

    private Map<String, String> attempt(String attempt, Map<String, String> more) {
        Map<String, String> headers = new HashMap<>(more);
        headers.put("X-Run-Attempt", attempt);
        return headers;
    }

    @Test
    void theWorkerListsEveryAttemptsCheckpointsByStepAsThePeopleDo() {
        uploaded(alice, project, run, "?step=200&metric.loss=0.2", bytes(300, 2));
        uploaded(alice, project, run, "?step=100&metric.loss=0.4", bytes(200, 1));
        Api.Response r = api.send("GET", workerPath(""), workerToken, Map.of("X-Run-Attempt", "2"), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode items = r.json().get("items");
        assertThat(items).extracting(c -> c.get("step").longValue()).containsExactly(100L, 200L);
        assertThat(items.get(1).get("metrics").get("loss").doubleValue()).isEqualTo(0.2);
        assertThat(r.json()).isEqualTo(api.get(checkpoints(project, run), alice.token()).json());
    }

    @Test
    void theWorkerDownloadsACheckpointWholeOrByRange() {
        byte[] data = bytes(10_000, 3);
        long id = uploaded(alice, project, run, "?step=5", data).get("id").longValue();
        HttpResponse<byte[]> whole = download(workerPath("/" + id + "/content"), workerToken, attempt("2", Map.of()));
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + sha256(data) + "\"");
        assertThat(whole.headers().firstValue("X-Checkpoint-Sha256")).hasValue(sha256(data));
        HttpResponse<byte[]> part = download(workerPath("/" + id + "/content"), workerToken,
                attempt("2", Map.of("Range", "bytes=100-199")));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
        assertThat(download(workerPath("/" + id + "/content"), workerToken,
                attempt("2", Map.of("If-None-Match", "\"" + sha256(data) + "\""))).statusCode()).isEqualTo(304);
        assertThat(download(workerPath("/999999999/content"), workerToken, attempt("2", Map.of())).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aStaleAttemptIs409AndTheAttemptIsRequired() {
        long id = uploaded(alice, project, run, "?step=5", bytes(100, 4)).get("id").longValue();
        JsonNode stale = assertProblem(api.send("GET", workerPath(""), workerToken, Map.of("X-Run-Attempt", "1"),
                null), 409);
        assertThat(stale.get("detail").stringValue()).contains("no longer holds run " + run);
        HttpResponse<byte[]> download = download(workerPath("/" + id + "/content"), workerToken,
                attempt("1", Map.of()));
        assertThat(download.statusCode()).isEqualTo(409);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        jdbc.sql("UPDATE runs SET status = 'SUCCEEDED', worker_id = NULL WHERE id = ?").param(run).update();
        assertProblem(api.send("GET", workerPath(""), workerToken, Map.of("X-Run-Attempt", "2"), null), 409);
        assertThat(assertProblem(api.send("GET", workerPath(""), workerToken, Map.of(), null), 400).get("errors")
                .get(0).get("parameter").stringValue()).isEqualTo("X-Run-Attempt");
    }

    @Test
    void userTokensCannotUseTheWorkerRoutesNorOtherWorkersTokens() {
        assertProblem(api.send("GET", workerPath(""), alice.token(), Map.of("X-Run-Attempt", "2"), null), 403);
        Api.Response other = api.post("/api/v1/worker-tokens", token(users.save(new User("admin2-" + System.nanoTime(),
                null, true, Times.now())).getId(), Scope.ADMIN), Map.of("name", "other fleet"));
        String otherToken = other.json().get("token").stringValue();
        assertProblem(api.send("GET", workerPath(""), otherToken, Map.of("X-Run-Attempt", "2"), null), 404);
    }
}
