package dev.trainyard.platform.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.web.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * DELETE an experiment or a project, confirmed by its name: active runs are cancelled, and the runs go with their
 * metrics, logs, checkpoints (files included) and, for a project, its datasets.
 */
class DeletionTest extends IntegrationTest {

    private TestUser alice;
    private TestUser editor;
    private long project;
    private String projectName;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        editor = newUser("ed", Scope.WRITE);
        project = newProject(alice);
        projectName = api.get("/api/v1/projects/" + project, alice.token()).json().get("name").stringValue();
        addMember(project, alice, editor, "editor");
    }

    @Test
    void anExperimentGoesWithItsRunsAndTheirDataWhileTheOthersStay() {
        long sweep = experiment("sweep");
        long keep = experiment("keep");
        long queued = run(sweep);
        long running = run(sweep);
        long kept = run(keep);
        fill(queued);
        fill(running);
        fill(kept);
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 1 WHERE id = :id").param("id", running).update();
        String path = "/api/v1/projects/" + project + "/experiments/" + sweep;

        assertThat(confirmProblem(api.delete(path, alice.token()))).contains("'sweep'");
        confirmProblem(api.delete(path + "?confirm=Sweep", alice.token()));
        assertProblem(api.delete(path + "?confirm=sweep", editor.token()), 403);
        assertProblem(api.delete(path + "?confirm=sweep", newUser("mallory").token()), 404);
        assertProblem(api.delete("/api/v1/projects/" + project + "/experiments/99999999?confirm=sweep",
                alice.token()), 404);
        assertThat(api.get(path, alice.token()).status()).isEqualTo(200);

        assertThat(api.delete(path + "?confirm=sweep", alice.token()).status()).isEqualTo(204);
        assertProblem(api.get(path, alice.token()), 404);
        for (long run : List.of(queued, running)) {
            assertProblem(api.get("/api/v1/projects/" + project + "/runs/" + run, alice.token()), 404);
            assertGone(run);
        }
        assertThat(storedFiles(project, kept)).hasSize(1);
        assertThat(count("SELECT count(*) FROM run_logs WHERE run_id = ?", kept)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM metric_points WHERE run_id = ?", kept)).isEqualTo(3);
        JsonNode counts = api.get("/api/v1/projects/" + project, alice.token()).json().get("runCounts");
        assertThat(counts.get("QUEUED").longValue()).isEqualTo(1);
        assertThat(counts.get("RUNNING").longValue()).isZero();
        assertThat(api.get("/api/v1/projects/" + project + "/experiments", alice.token()).json().get("items"))
                .extracting(e -> e.get("id").longValue()).containsExactly(keep);
    }

    @Test
    void aProjectGoesWithEverythingInIt() {
        long sweep = experiment("sweep");
        long inExperiment = run(sweep);
        long loose = submitRun(project, alice, runBody()).get("id").longValue();
        fill(inExperiment);
        fill(loose);
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 1 WHERE id = :id").param("id", loose).update();
        byte[] data = "x,y\n1,2\n".getBytes();
        Api.Response dataset = api.send(HttpRequest.newBuilder(api.uri("/api/v1/projects/" + project
                        + "/datasets?name=toy.csv"))
                .header("Authorization", "Bearer " + alice.token())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertThat(dataset.status()).as(dataset.toString()).isEqualTo(201);
        assertThat(files(ARTIFACTS_DIR.resolve("projects/" + project))).hasSize(3); // 2 checkpoints, 1 dataset
        String path = "/api/v1/projects/" + project;

        confirmProblem(api.delete(path, alice.token()));
        confirmProblem(api.delete(path + "?confirm=" + projectName + "x", alice.token()));
        assertProblem(api.delete(path + "?confirm=" + projectName, editor.token()), 403);
        assertProblem(api.delete(path + "?confirm=" + projectName, newUser("mallory").token()), 404);
        assertThat(api.get(path, alice.token()).status()).isEqualTo(200);

        assertThat(api.delete(path + "?confirm=" + projectName, alice.token()).status()).isEqualTo(204);
        assertProblem(api.get(path, alice.token()), 404);
        assertThat(api.get("/api/v1/projects", alice.token()).json().get("items")).isEmpty();
        for (long run : List.of(inExperiment, loose)) {
            assertGone(run);
        }
        for (String table : List.of("runs", "experiments", "datasets", "project_members", "metric_keys")) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE project_id = ?", project)).as(table).isZero();
        }
        assertThat(files(ARTIFACTS_DIR.resolve("projects/" + project))).isEmpty();
        assertThat(count("SELECT count(*) FROM artifact_deletions WHERE storage_key LIKE ?",
                "projects/" + project + "/%")).isZero();
    }

    @Test
    void aSiteAdminMayDeleteAProjectTheyAreNotAMemberOf() {
        User admin = users.save(new User("site-admin-" + System.nanoTime(), null, true, Times.now()));
        String token = token(admin.getId(), Scope.WRITE);
        long run = run(experiment("e"));
        confirmProblem(api.delete("/api/v1/projects/" + project, token));
        assertThat(api.delete("/api/v1/projects/" + project + "?confirm=" + projectName, token).status())
                .isEqualTo(204);
        assertProblem(api.get("/api/v1/projects/" + project, alice.token()), 404);
        assertGone(run);
    }

    private long experiment(String name) {
        Api.Response r = api.post("/api/v1/projects/" + project + "/experiments", alice.token(), Map.of("name", name));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").longValue();
    }

    private long run(long experimentId) {
        return submitRun(project, alice, with(runBody(), "experimentId", experimentId)).get("id").longValue();
    }

    /** Three metric points, two log lines and a checkpoint. */
    private void fill(long run) {
        String base = "/api/v1/projects/" + project + "/runs/" + run;
        List<Map<String, Object>> points = List.of(Map.of("key", "loss", "step", 1, "value", 0.5),
                Map.of("key", "loss", "step", 2, "value", 0.4), Map.of("key", "acc", "step", 2, "value", 0.9));
        assertThat(api.post(base + "/metrics", alice.token(), Map.of("points", points)).status()).isEqualTo(200);
        List<Map<String, Object>> lines = List.of(Map.of("seq", 1, "text", "a"), Map.of("seq", 2, "text", "b"));
        Api.Response logs = api.post(base + "/logs", alice.token(), Map.of("lines", lines));
        assertThat(logs.status()).as(logs.toString()).isEqualTo(200);
        byte[] checkpoint = ("checkpoint of " + run).getBytes();
        Api.Response uploaded = api.send(HttpRequest.newBuilder(api.uri(base + "/checkpoints?step=2"))
                .header("Authorization", "Bearer " + alice.token())
                .header("Content-Type", "application/octet-stream")
                .header("X-Checkpoint-Sha256", sha256(checkpoint))
                .POST(HttpRequest.BodyPublishers.ofByteArray(checkpoint)).build());
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    }

    /** The run's rows are gone, its checkpoint files deleted, and its metric points swept by the janitor. */
    private void assertGone(long run) {
        assertThat(count("SELECT count(*) FROM runs WHERE id = ?", run)).isZero();
        assertThat(count("SELECT count(*) FROM run_logs WHERE run_id = ?", run)).isZero();
        assertThat(count("SELECT count(*) FROM checkpoints WHERE run_id = ?", run)).isZero();
        assertThat(storedFiles(project, run)).isEmpty();
        assertThat(count("SELECT count(*) FROM artifact_deletions WHERE storage_key LIKE ?",
                "projects/" + project + "/runs/" + run + "/%")).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // the janitor deletes a series' points, then its rollups, then its row, one key after the other
        while (count("SELECT count(*) FROM metric_points WHERE run_id = ?", run)
                + count("SELECT count(*) FROM metric_series WHERE run_id = ?", run) > 0) {
            assertThat(System.nanoTime()).as("metrics of run " + run + " swept").isLessThan(deadline);
            sleep();
        }
        assertThat(count("SELECT count(*) FROM metric_rollups WHERE run_id = ?", run)).isZero();
    }

    private static String confirmProblem(Api.Response r) {
        JsonNode problem = assertProblem(r, 400);
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("confirm");
        return problem.get("detail").stringValue();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    private static List<Path> storedFiles(long project, long run) {
        return files(ARTIFACTS_DIR.resolve("projects/" + project + "/runs/" + run));
    }

    private static List<Path> files(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
