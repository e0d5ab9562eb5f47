package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.testing.Specs;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RunsTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private String runs;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        runs = "/api/v1/projects/" + project + "/runs";
    }

    @Test
    void submitAnswers201WithLocationAndTheRun() {
        long experiment = api.post("/api/v1/projects/" + project + "/experiments", alice.token(),
                Map.of("name", "exp")).json().get("id").longValue();
        Map<String, Object> body = with(runBody(), "experimentId", experiment);
        body.put("priority", 5);
        body.put("notes", "first try");
        body.put("resources", Map.of("cpus", 4, "gpus", 1, "memoryMb", 8192, "labels", Map.of("gpu", "a100")));
        body.put("maxAttempts", 3);
        Api.Response r = api.post(runs, alice.token(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode run = r.json();
        long id = run.get("id").longValue();
        assertThat(r.header("Location")).isEqualTo(runs + "/" + id);
        assertThat(run.get("status").stringValue()).isEqualTo("QUEUED");
        assertThat(run.get("experimentId").longValue()).isEqualTo(experiment);
        assertThat(run.get("priority").intValue()).isEqualTo(5);
        assertThat(run.get("maxAttempts").intValue()).isEqualTo(3);
        assertThat(run.get("attempt").intValue()).isZero();
        assertThat(run.get("resources").get("gpus").intValue()).isEqualTo(1);
        assertThat(run.get("resources").get("labels").get("gpu").stringValue()).isEqualTo("a100");
        assertThat(run.get("spec").get("optimizer").get("lr").doubleValue()).isEqualTo(0.001);
        assertThat(run.get("params").get("lr").doubleValue()).isEqualTo(0.001);
        assertThat(run.get("params").get("batch_size").isIntegralNumber()).isTrue();
        assertThat(run.get("params").get("optimizer").stringValue()).isEqualTo("adam");
        assertThat(run.get("tags")).extracting(JsonNode::stringValue).containsExactly("baseline");
        assertThat(run.get("createdBy").stringValue()).isEqualTo(alice.username());
        assertThat(run.get("attempts")).isEmpty();

        assertThat(api.get(runs + "/" + id, alice.token()).json()).isEqualTo(run);
    }

    @Test
    void defaultsFillWhatIsLeftOut() {
        JsonNode run = submitRun(project, alice, Map.of("spec", runBody().get("spec")));
        assertThat(run.get("name").stringValue()).startsWith("run-");
        assertThat(run.get("priority").intValue()).isZero();
        assertThat(run.get("resources").get("cpus").intValue()).isEqualTo(1);
        assertThat(run.get("resources").get("memoryMb").intValue()).isEqualTo(1024);
        assertThat(run.get("params").has("lr")).isFalse(); // only what the spec gives
        assertThat(run.get("params").get("optimizer.lr").doubleValue()).isEqualTo(0.001);
        assertThat(run.get("tags")).isEmpty();
    }

    @Test
    void anInvalidSpecIs400NamingEachFieldByJsonPointerWithTheSpecModulesMessages() {
        Map<String, Object> spec = new HashMap<>(Specs.spec("sgd", -1, 0));
        spec.put("epoch", 3);                            // misspelt
        spec.put("model", Map.of("hidden", 3));          // neither layers nor builtin
        JsonNode problem = assertProblem(api.post(runs, alice.token(), with(runBody(), "spec", spec)), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/spec/model", "/spec/model/hidden", "/spec/optimizer/lr", "/spec/epochs",
                        "/spec/epoch");
        JsonNode lr = findError(problem, "/spec/optimizer/lr");
        assertThat(lr.get("rejectedValue").doubleValue()).isEqualTo(-1.0);
        assertThat(lr.get("detail").stringValue()).isEqualTo("must be > 0, got -1.0");
        assertThat(findError(problem, "/spec/epoch").get("detail").stringValue()).contains("did you mean 'epochs'?");
        assertThat(problem.get("detail").stringValue()).contains("(and 4 more)");
    }

    @Test
    void aSpecNeedsDatasetModelOptimizerAndEpochsOrMaxSteps() {
        JsonNode problem = assertProblem(api.post(runs, alice.token(), with(runBody(), "spec", Map.of())), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/spec/dataset", "/spec/model", "/spec/optimizer", "/spec");
        assertThat(findError(problem, "/spec").get("detail").stringValue())
                .isEqualTo("one of epochs or maxSteps is required");
        assertThat(assertProblem(api.post(runs, alice.token(), with(runBody(), "spec", List.of(1))), 400)
                .get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec");
        JsonNode missing = assertProblem(api.post(runs, alice.token(), Map.of("name", "x")), 400);
        assertThat(missing.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec");
    }

    @Test
    void theSpecIsStoredWithItsDefaultsWrittenOut() {
        JsonNode spec = submitRun(project, alice, runBody()).get("spec");
        assertThat(spec.get("version").intValue()).isEqualTo(1);
        assertThat(spec.get("loss").get("type").stringValue()).isEqualTo("cross_entropy");
        assertThat(spec.get("batchSize").intValue()).isEqualTo(64);
        assertThat(spec.get("dataset").get("trainSubset").intValue()).isEqualTo(1000);
        assertThat(spec.get("model").get("args").get("hidden")).extracting(JsonNode::intValue)
                .containsExactly(256, 128);
        assertThat(spec.get("metrics").get(0).get("type").stringValue()).isEqualTo("accuracy");
    }

    @Test
    void aSpecMayBeYamlTextAndIsStoredAsJson() {
        String yaml = """
                seed: 3
                dataset: {name: fashion-mnist, trainSubset: 500}
                model:
                  builtin: mlp
                optimizer: {type: sgd, lr: 0.05}
                maxSteps: 20
                """;
        JsonNode spec = submitRun(project, alice, with(runBody(), "spec", yaml)).get("spec");
        assertThat(spec.get("optimizer").get("lr").doubleValue()).isEqualTo(0.05);
        assertThat(spec.get("maxSteps").intValue()).isEqualTo(20);
        assertThat(spec.get("seed").intValue()).isEqualTo(3);
        JsonNode problem = assertProblem(api.post(runs, alice.token(), with(runBody(), "spec",
                yaml.replace("lr: 0.05", "lr: -1"))), 400);
        assertThat(problem.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec/optimizer/lr");
    }

    @Test
    void aDatasetArtifactTheProjectDoesNotHaveIs400() {
        Map<String, Object> spec = new HashMap<>(Specs.spec("adam", 0.001, 1));
        spec.put("dataset", Map.of("name", "csv", "artifact", "sha256:" + "ab".repeat(32), "label", "y"));
        JsonNode problem = assertProblem(api.post(runs, alice.token(), with(runBody(), "spec", spec)), 400);
        JsonNode error = findError(problem, "/spec/dataset/artifact");
        assertThat(error.get("detail").stringValue()).contains("has no dataset sha256:" + "ab".repeat(32));
        assertThat(error.get("rejectedValue").stringValue()).isEqualTo("sha256:" + "ab".repeat(32));
    }

    @Test
    void paramsMustBeFlatScalars() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("ok", 1);
        params.put("nested", Map.of("a", 1));
        params.put("list", List.of(1, 2));
        params.put("a/b", "slash is fine");
        params.put("bad name", 1);
        JsonNode problem = assertProblem(api.post(runs, alice.token(), with(runBody(), "params", params)), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/params/nested", "/params/list", "/params/bad name");
    }

    @Test
    void otherFieldsAreCheckedToo() {
        Map<String, Object> body = with(runBody(), "priority", 5000);
        body.put("tags", List.of("ok", "not ok"));
        body.put("resources", Map.of("gpus", -1));
        body.put("experimentId", 999999);
        JsonNode problem = assertProblem(api.post(runs, alice.token(), body), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/priority", "/tags/1", "/resources/gpus");
        assertThat(findError(problem, "/priority").get("rejectedValue").intValue()).isEqualTo(5000);

        JsonNode experiment = assertProblem(api.post(runs, alice.token(), with(runBody(), "experimentId", 999999)), 400);
        assertThat(experiment.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/experimentId");

        JsonNode unknown = assertProblem(api.post(runs, alice.token(), with(runBody(), "prority", 1)), 400);
        assertThat(unknown.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/prority");
        assertThat(unknown.get("errors").get(0).get("detail").stringValue()).isEqualTo("unknown field");

        JsonNode wrongType = assertProblem(api.post(runs, alice.token(), with(runBody(), "priority", "high")), 400);
        assertThat(wrongType.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/priority");
    }

    @Test
    void aRunIsOnlyFoundInItsProject() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        long other = newProject(alice);
        assertProblem(api.get("/api/v1/projects/" + other + "/runs/" + id, alice.token()), 404);
        assertProblem(api.post("/api/v1/projects/" + other + "/runs/" + id + "/cancel", alice.token(), null), 404);
        assertProblem(api.get(runs + "/987654321", alice.token()), 404);
    }

    @Test
    void cancelThenRetry() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        JsonNode cancelled = api.post(runs + "/" + id + "/cancel", alice.token(), null).json();
        assertThat(cancelled.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("finishedAt").isNull()).isFalse();
        assertThat(assertProblem(api.post(runs + "/" + id + "/cancel", alice.token(), null), 409)
                .get("detail").stringValue()).contains("already CANCELLED");

        Api.Response retried = api.post(runs + "/" + id + "/retry", alice.token(), null);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("status").stringValue()).isEqualTo("QUEUED");
        assertThat(retried.json().get("retries").intValue()).isEqualTo(1);
        assertThat(retried.json().get("finishedAt").isNull()).isTrue();
        assertThat(Instant(retried.json().get("queuedAt"))).isAfter(Instant(cancelled.get("queuedAt")));
        // a queued run is not retried
        assertProblem(api.post(runs + "/" + id + "/retry", alice.token(), null), 409);
    }

    @Test
    void cancellingARunningRunEndsItsAttempt() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        // what a worker's claim will do (the scheduler arrives in a later change)
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 1, worker_id = 'w1', started_at = CURRENT_TIMESTAMP,"
                + " lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' MINUTE WHERE id = ?").param(id).update();
        jdbc.sql("INSERT INTO run_attempts (run_id, attempt, worker_id) VALUES (?, 1, 'w1')").param(id).update();
        assertProblem(api.post(runs + "/" + id + "/retry", alice.token(), null), 409);
        assertThat(assertProblem(api.delete(runs + "/" + id, alice.token()), 409).get("detail").stringValue())
                .contains("cancel it");

        JsonNode run = api.post(runs + "/" + id + "/cancel", alice.token(), null).json();
        assertThat(run.get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(run.get("workerId").isNull()).isTrue();
        assertThat(run.get("attempts")).hasSize(1);
        JsonNode attempt = run.get("attempts").get(0);
        assertThat(attempt.get("workerId").stringValue()).isEqualTo("w1");
        assertThat(attempt.get("outcome").stringValue()).isEqualTo("CANCELLED");
        assertThat(attempt.get("endedAt").isNull()).isFalse();
        assertThat(attempt.get("reason").stringValue()).contains(alice.username());
    }

    @Test
    void aSucceededRunIsClonedNotRetried() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        jdbc.sql("UPDATE runs SET status = 'SUCCEEDED' WHERE id = ?").param(id).update();
        assertThat(assertProblem(api.post(runs + "/" + id + "/retry", alice.token(), null), 409)
                .get("detail").stringValue()).contains("clone");
    }

    @Test
    void cloneAppliesOverrides() {
        JsonNode source = submitRun(project, alice, with(runBody(), "priority", 7));
        long id = source.get("id").longValue();
        Map<String, Object> params = new HashMap<>();
        params.put("lr", 0.01);
        params.put("optimizer", null);       // removed
        params.put("warmup", 100);           // added
        Map<String, Object> changes = new HashMap<>();
        changes.put("name", "higher-lr");
        changes.put("spec", Map.of("optimizer", Map.of("lr", 0.01), "epochs", 5));
        changes.put("params", params);
        changes.put("tags", List.of("sweep"));
        Api.Response r = api.post(runs + "/" + id + "/clone", alice.token(), changes);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode clone = r.json();
        assertThat(clone.get("id").longValue()).isNotEqualTo(id);
        assertThat(r.header("Location")).isEqualTo(runs + "/" + clone.get("id").longValue());
        assertThat(clone.get("clonedFrom").longValue()).isEqualTo(id);
        assertThat(clone.get("name").stringValue()).isEqualTo("higher-lr");
        assertThat(clone.get("status").stringValue()).isEqualTo("QUEUED");
        assertThat(clone.get("priority").intValue()).isEqualTo(7);
        assertThat(clone.get("spec").get("optimizer").get("lr").doubleValue()).isEqualTo(0.01);
        assertThat(clone.get("spec").get("optimizer").get("type").stringValue()).isEqualTo("adam");
        assertThat(clone.get("spec").get("epochs").intValue()).isEqualTo(5);
        assertThat(clone.get("spec").get("model")).isEqualTo(source.get("spec").get("model"));
        assertThat(clone.get("params").propertyNames()).contains("lr", "batch_size", "warmup")
                .doesNotContain("optimizer");
        assertThat(clone.get("params").get("optimizer.lr").doubleValue()).isEqualTo(0.01);
        assertThat(clone.get("params").get("lr").doubleValue()).isEqualTo(0.01);
        assertThat(clone.get("tags")).extracting(JsonNode::stringValue).containsExactly("sweep");

        // an override that breaks the spec is refused like a submission
        JsonNode problem = assertProblem(api.post(runs + "/" + id + "/clone", alice.token(),
                Map.of("spec", Map.of("epochs", -2))), 400);
        assertThat(problem.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec/epochs");
        assertProblem(api.post(runs + "/99999999/clone", alice.token(), Map.of()), 404);
    }

    @Test
    void aCloneSwitchingEpochsToMaxStepsIsToldToDropEpochs() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        JsonNode problem = assertProblem(api.post(runs + "/" + id + "/clone", alice.token(),
                Map.of("spec", Map.of("maxSteps", 200))), 400);
        JsonNode error = problem.get("errors").get(0);
        assertThat(error.get("pointer").stringValue()).isEqualTo("/spec/maxSteps");
        assertThat(error.get("detail").stringValue())
                .contains("epochs and maxSteps are mutually exclusive", "merged into run " + id + "'s", "as null");

        Map<String, Object> switchToSteps = new HashMap<>();
        switchToSteps.put("epochs", null);
        switchToSteps.put("maxSteps", 200);
        Api.Response r = api.post(runs + "/" + id + "/clone", alice.token(), Map.of("spec", switchToSteps));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("spec").get("maxSteps").intValue()).isEqualTo(200);
        assertThat(r.json().get("spec").has("epochs")).isFalse();
    }

    @Test
    void deleteRemovesTheRunAndItsRows() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        jdbc.sql("INSERT INTO run_metric_summaries (run_id, name, project_id, last_value, last_step, min_value,"
                + " max_value) VALUES (?, 'loss', ?, 0.5, 10, 0.5, 2.0)").param(id).param(project).update();
        assertThat(api.delete(runs + "/" + id, alice.token()).status()).isEqualTo(204);
        assertProblem(api.get(runs + "/" + id, alice.token()), 404);
        assertProblem(api.delete(runs + "/" + id, alice.token()), 404);
        for (String table : List.of("run_params", "run_tags", "run_metric_summaries")) {
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE run_id = ?").param(id).query(Long.class)
                    .single()).as(table).isZero();
        }
    }

    @Test
    void metricSummariesShowOnTheRun() {
        long id = submitRun(project, alice, runBody()).get("id").longValue();
        jdbc.sql("INSERT INTO run_metric_summaries (run_id, name, project_id, last_value, last_step, min_value,"
                + " max_value) VALUES (?, 'test_acc', ?, 0.91, 300, 0.2, 0.92)").param(id).param(project).update();
        JsonNode metric = api.get(runs + "/" + id, alice.token()).json().get("metrics").get("test_acc");
        assertThat(metric.get("last").doubleValue()).isEqualTo(0.91);
        assertThat(metric.get("step").longValue()).isEqualTo(300);
        assertThat(metric.get("min").doubleValue()).isEqualTo(0.2);
        assertThat(metric.get("max").doubleValue()).isEqualTo(0.92);
    }

    private static java.time.Instant Instant(JsonNode node) {
        return java.time.Instant.parse(node.stringValue());
    }

    static JsonNode findError(JsonNode problem, String pointer) {
        for (JsonNode e : problem.get("errors")) {
            if (pointer.equals(e.path("pointer").stringValue(null))) {
                return e;
            }
        }
        throw new AssertionError("no error at " + pointer + " in " + problem);
    }
}
