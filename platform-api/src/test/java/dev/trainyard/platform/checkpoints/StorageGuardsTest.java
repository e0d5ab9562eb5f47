package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.web.Times;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What keeps checkpoints from filling a disk: the platform's default retention and its per-run override from the
 * spec, what retention never deletes, the guard on a worker's checkpoint frequency and the project's artifact quota.
 */
class StorageGuardsTest extends CheckpointTesting {

    private TestUser alice;
    private long project;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
    }

    private List<Long> steps(long run) {
        return api.get(checkpoints(project, run), alice.token()).json().get("items").valueStream()
                .map(c -> c.get("step").longValue()).toList();
    }

    private JsonNode runRetention(long run) {
        return api.get("/api/v1/projects/" + project + "/runs/" + run + "/checkpoint-retention", alice.token())
                .json();
    }

    @SuppressWarnings("unchecked")
    private long runWithCheckpointSpec(Map<String, Object> checkpoint) {
        Map<String, Object> body = runBody();
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) body.get("spec"));
        spec.put("checkpoint", checkpoint);
        return submitRun(project, alice, with(body, "spec", spec)).get("id").longValue();
    }

    @Test
    void withoutSettingsThePlatformDefaultKeepsTheLastFive() {
        long run = newRun(project, alice, null);
        JsonNode r = runRetention(run);
        assertThat(r.get("source").stringValue()).isEqualTo("platform");
        assertThat(r.get("keepLast").intValue()).isEqualTo(5);
        assertThat(r.get("minIntervalSeconds").doubleValue()).isEqualTo(10.0);
        for (int i = 1; i <= 8; i++) {
            uploaded(alice, project, run, "?step=" + i * 10, bytes(100, i));
        }
        assertThat(steps(run)).containsExactly(40L, 50L, 60L, 70L, 80L);
        assertThat(storedFiles(project, run)).hasSize(5);
        assertThat(pendingDeletions(project, run)).isZero(); // the pruned files went through the outbox, and are gone
    }

    @Test
    void aRunsSpecOverridesItsExperimentAndThePlatform() {
        long experiment = api.post("/api/v1/projects/" + project + "/experiments", alice.token(),
                Map.of("name", "exp")).json().get("id").longValue();
        String retention = "/api/v1/projects/" + project + "/experiments/" + experiment + "/checkpoint-retention";
        JsonNode unset = api.get(retention, alice.token()).json();
        assertThat(unset.get("source").stringValue()).isEqualTo("platform");
        assertThat(unset.get("keepLast").intValue()).isEqualTo(5);
        api.put(retention, alice.token(), Map.of("keepLast", 3));
        assertThat(api.get(retention, alice.token()).json().get("source").stringValue()).isEqualTo("experiment");

        long own = runWithCheckpointSpec(Map.of("everyEpochs", 1, "keepLast", 2,
                "keepBest", Map.of("metric", "test/accuracy", "mode", "max")));
        jdbc.sql("UPDATE runs SET experiment_id = ? WHERE id = ?").params(experiment, own).update();
        JsonNode r = runRetention(own);
        assertThat(r.get("source").stringValue()).isEqualTo("run");
        assertThat(r.get("keepLast").intValue()).isEqualTo(2);
        assertThat(r.get("keepBest").get("metric").stringValue()).isEqualTo("test/accuracy");
        double[] acc = {0.5, 0.9, 0.6, 0.7, 0.8};
        for (int i = 0; i < acc.length; i++) {
            uploaded(alice, project, own, "?step=" + (i + 1) + "&metric.test/accuracy=" + acc[i], bytes(50, i));
        }
        assertThat(steps(own)).containsExactly(2L, 4L, 5L); // the last two and the best

        long byExperiment = runWithCheckpointSpec(Map.of("everyEpochs", 1)); // the spec's defaults: not its say
        jdbc.sql("UPDATE runs SET experiment_id = ? WHERE id = ?").params(experiment, byExperiment).update();
        assertThat(runRetention(byExperiment).get("source").stringValue()).isEqualTo("experiment");
        for (int i = 1; i <= 5; i++) {
            uploaded(alice, project, byExperiment, "?step=" + i, bytes(50, i));
        }
        assertThat(steps(byExperiment)).containsExactly(3L, 4L, 5L);
    }

    @Test
    void theLatestAndTheCheckpointTheRunningAttemptResumedFromAreNeverPruned() {
        long run = runWithCheckpointSpec(Map.of("everyEpochs", 1, "keepLast", 2));
        // a step above the others uploaded first: the newest uploads are lower, yet it stays (it is the latest)
        uploaded(alice, project, run, "?step=500", bytes(50, 1));
        uploaded(alice, project, run, "?step=100", bytes(50, 2));
        uploaded(alice, project, run, "?step=200", bytes(50, 3));
        assertThat(steps(run)).containsExactly(100L, 200L, 500L);

        // attempt 2 resumed from step 500 (the highest before it began); its own uploads do not push that out
        Worker w = worker(run, 2);
        for (long step : new long[] {510, 520, 530}) {
            Api.Response r = w.upload(step, bytes(60, (int) step), true);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        assertThat(steps(run)).containsExactly(500L, 520L, 530L);
    }

    @Test
    void aWorkersPeriodicCheckpointsAreAtLeastTheMinimumIntervalApart() {
        long run = newRun(project, alice, null);
        Worker w = worker(run, 1);
        assertThat(w.upload(10, bytes(100, 1), false).status()).isEqualTo(201);
        Api.Response soon = w.upload(20, bytes(100, 2), false);
        JsonNode problem = assertProblem(soon, 429);
        assertThat(problem.get("detail").stringValue()).contains("min-interval").contains("step 20");
        assertThat(problem.get("minIntervalSeconds").doubleValue()).isEqualTo(10.0);
        long retryAfter = Long.parseLong(soon.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 10L);
        assertThat(problem.get("retryAfterSeconds").longValue()).isEqualTo(retryAfter);
        assertThat(steps(run)).containsExactly(10L);
        assertThat(storedFiles(project, run)).hasSize(1);

        // a retry of a step already stored answers as before; the run's last checkpoint always goes through
        assertThat(w.upload(10, bytes(100, 1), false).status()).isEqualTo(200);
        assertThat(w.upload(30, bytes(100, 3), true).status()).isEqualTo(201);
        // a person's own uploads are not a training cadence: not guarded
        uploaded(alice, project, run, "?step=40", bytes(100, 4));
        assertThat(steps(run)).containsExactly(10L, 30L, 40L);

        // a periodic checkpoint once the interval has passed is taken
        jdbc.sql("UPDATE checkpoints SET created_at = created_at - INTERVAL '11' SECOND WHERE run_id = ?").param(run)
                .update();
        assertThat(w.upload(50, bytes(100, 5), false).status()).isEqualTo(201);
        assertProblem(w.upload(60, bytes(100, 6), false), 429);
    }

    @Test
    void anUploadBeyondTheProjectsArtifactQuotaIs413AndStoresNothing() throws Exception {
        String admin = Files.readString(BOOTSTRAP_TOKEN_FILE).strip();
        String quotas = "/api/v1/projects/" + project + "/quotas";
        assertThat(api.put(quotas, admin, Map.of("maxArtifactBytes", 2500)).status()).isEqualTo(200);
        long run = newRun(project, alice, null);
        uploaded(alice, project, run, "?step=1", bytes(1000, 1));
        uploaded(alice, project, run, "?step=2", bytes(1000, 2));
        JsonNode problem = assertProblem(upload(alice, project, run, "?step=3", bytes(1000, 3)), 413);
        assertThat(problem.get("quota").stringValue()).isEqualTo("artifactBytes");
        assertThat(problem.get("limit").longValue()).isEqualTo(2500);
        assertThat(problem.get("used").longValue()).isEqualTo(2000);
        assertThat(problem.get("requested").longValue()).isEqualTo(1000);
        assertThat(steps(run)).containsExactly(1L, 2L);
        assertThat(storedFiles(project, run)).hasSize(2);
        assertThat(pendingDeletions(project, run)).isZero();

        // datasets count too
        Api.Response dataset = api.send(HttpRequest.newBuilder(api.uri("/api/v1/projects/" + project
                        + "/datasets?name=big.csv")).header("Authorization", "Bearer " + alice.token())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(600, 9))).build());
        assertThat(assertProblem(dataset, 413).get("used").longValue()).isEqualTo(2000);

        JsonNode q = api.get(quotas, alice.token()).json().get("artifactBytes");
        assertThat(q.get("used").longValue()).isEqualTo(2000);
        assertThat(q.get("source").stringValue()).isEqualTo("project");
        // deleting one makes room
        long first = api.get(checkpoints(project, run), alice.token()).json().get("items").get(0).get("id")
                .longValue();
        assertThat(api.delete(checkpoints(project, run) + "/" + first, alice.token()).status()).isEqualTo(204);
        uploaded(alice, project, run, "?step=3", bytes(1000, 3));
    }

    @Test
    void theQuotaCountsWhatIsLeftAfterRetentionPruned() throws Exception {
        String admin = Files.readString(BOOTSTRAP_TOKEN_FILE).strip();
        api.put("/api/v1/projects/" + project + "/quotas", admin, Map.of("maxArtifactBytes", 2500));
        long run = runWithCheckpointSpec(Map.of("everyEpochs", 1, "keepLast", 2));
        for (int step = 1; step <= 4; step++) {
            uploaded(alice, project, run, "?step=" + step, bytes(1000, step)); // 3 x 1000 for a moment, 2 x 1000 kept
        }
        assertThat(steps(run)).containsExactly(3L, 4L);
        assertThat(api.get("/api/v1/projects/" + project + "/quotas", alice.token()).json().get("artifactBytes")
                .get("used").longValue()).isEqualTo(2000);
    }

    /** A registered worker holding {@code attempt} of the run, as a claim leaves it. */
    private Worker worker(long run, int attempt) {
        User admin = users.save(new User("siteadmin-" + System.nanoTime(), null, true, Times.now()));
        Api.Response t = api.post("/api/v1/worker-tokens", token(admin.getId(), Scope.ADMIN), Map.of("name", "fleet"));
        String workerToken = t.json().get("token").stringValue();
        Api.Response r = api.post("/api/v1/workers", workerToken, Map.of("name", "box", "labels", Map.of(),
                "devices", Map.of("cpus", 1, "memoryMb", 1024, "gpus", List.of())));
        String workerId = r.json().get("id").stringValue();
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = ?, worker_id = ?, started_at = CURRENT_TIMESTAMP,"
                + " lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' MINUTE WHERE id = ?")
                .params(attempt, workerId, run).update();
        return new Worker(workerToken, workerId, run, attempt);
    }

    private final class Worker {
        private final String token;
        private final String id;
        private final long run;
        private final int attempt;

        Worker(String token, String id, long run, int attempt) {
            this.token = token;
            this.id = id;
            this.run = run;
            this.attempt = attempt;
        }

        /** Uploads through the worker endpoint; {@code last}: final=true. */
        Api.Response upload(long step, byte[] data, boolean last) {
            return api.send(HttpRequest.newBuilder(api.uri("/api/v1/workers/" + id + "/runs/" + run
                            + "/checkpoints?step=" + step + (last ? "&final=true" : "")))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Checkpoint-Sha256", sha256(data))
                    .header("X-Run-Attempt", String.valueOf(attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        }
    }
}
