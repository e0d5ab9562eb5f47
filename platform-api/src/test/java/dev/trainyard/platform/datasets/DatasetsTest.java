package dev.trainyard.platform.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.testing.Specs;
import dev.trainyard.platform.web.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Dataset artifacts over real HTTP on PostgreSQL: upload, list, get, download, delete (refused while live runs name
 * the dataset, and serialised with submissions on its row), and a worker's download of its run's dataset.
 */
class DatasetsTest extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Autowired
    private DataSource dataSource;

    private TestUser alice;
    private long project;
    private String datasets;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
        datasets = "/api/v1/projects/" + project + "/datasets";
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Api.Response upload(String token, long projectId, String name, byte[] data, String declaredSha256) {
        String query = name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/v1/projects/" + projectId + "/datasets" + query))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data));
        if (declaredSha256 != null) {
            b.header("X-Content-Sha256", declaredSha256);
        }
        return api.send(b.build());
    }

    private JsonNode uploaded(String name, byte[] data) {
        Api.Response r = upload(alice.token(), project, name, data, sha256(data));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private HttpResponse<byte[]> download(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET();
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Path> storedFiles(long projectId) {
        Path dir = ARTIFACTS_DIR.resolve("projects/" + projectId + "/datasets");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anUploadIsContentAddressedAndReadBackWhole() {
        byte[] csv = "x1,x2,y\n0.5,1.5,0\n2.5,0.5,1\n".getBytes(StandardCharsets.UTF_8);
        String hex = sha256(csv);
        Api.Response first = upload(alice.token(), project, "toy data.csv", csv, null);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        JsonNode d = first.json();
        assertThat(d.get("digest").stringValue()).isEqualTo("sha256:" + hex);
        assertThat(d.get("sha256").stringValue()).isEqualTo(hex);
        assertThat(d.get("name").stringValue()).isEqualTo("toy data.csv");
        assertThat(d.get("sizeBytes").longValue()).isEqualTo(csv.length);
        assertThat(d.get("uploadedBy").stringValue()).isEqualTo(alice.username());
        assertThat(d.get("createdAt").isNull()).isFalse();
        assertThat(first.header("Location")).isEqualTo(datasets + "/" + hex);

        // the same bytes again (under another name): the existing dataset, 200, and no second copy stored
        Api.Response again = upload(alice.token(), project, "copy", csv, hex.toUpperCase());
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(d);
        assertThat(storedFiles(project)).hasSize(1);

        assertThat(api.get(datasets + "/" + hex, alice.token()).json()).isEqualTo(d);
        assertThat(api.get(datasets + "/sha256:" + hex, alice.token()).json()).isEqualTo(d);
        JsonNode other = uploaded("other", bytes(1000, 1));
        assertThat(api.get(datasets, alice.token()).json().get("items"))
                .extracting(i -> i.get("sha256").stringValue()).containsExactly(other.get("sha256").stringValue(), hex);

        HttpResponse<byte[]> content = download(d.get("content").stringValue(), alice.token(), Map.of());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(csv);
        assertThat(content.headers().firstValue("ETag")).hasValue("\"" + hex + "\"");
        assertThat(content.headers().firstValue("X-Content-Sha256")).hasValue(hex);
    }

    @Test
    void downloadsAnswerRangesAndConditionalRequests() {
        byte[] data = bytes(100_000, 7);
        JsonNode d = uploaded("images.zip", data);
        String content = d.get("content").stringValue();
        HttpResponse<byte[]> part = download(content, alice.token(), Map.of("Range", "bytes=1000-1999"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/100000");
        assertThat(download(content, alice.token(), Map.of("If-None-Match", "\"" + sha256(data) + "\""))
                .statusCode()).isEqualTo(304);
        assertThat(download(content, alice.token(), Map.of("Range", "bytes=200000-")).statusCode()).isEqualTo(416);
    }

    @Test
    void aWrongDeclaredSha256Is422AndAMalformedOneIs400AndNothingIsStored() {
        byte[] data = bytes(5000, 2);
        JsonNode mismatch = assertProblem(upload(alice.token(), project, "d", data, sha256(new byte[] {1})), 422);
        assertThat(mismatch.get("detail").stringValue()).contains("received 5000 bytes with SHA-256 " + sha256(data));
        JsonNode malformed = assertProblem(upload(alice.token(), project, "d", data, "abc"), 400);
        assertThat(malformed.get("errors").get(0).get("parameter").stringValue()).isEqualTo("X-Content-Sha256");
        JsonNode noName = assertProblem(upload(alice.token(), project, null, data, null), 400);
        assertThat(noName.get("errors").get(0).get("parameter").stringValue()).isEqualTo("name");
        assertThat(storedFiles(project)).isEmpty();
        assertThat(api.get(datasets, alice.token()).json().get("items")).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM artifact_deletions WHERE storage_key LIKE ?")
                .param("projects/" + project + "/datasets/%").query(Long.class).single()).isZero();
    }

    @Test
    void viewersReadButCannotWriteAndOutsidersSeeNothing() {
        String hex = uploaded("d", bytes(100, 3)).get("sha256").stringValue();
        TestUser viewer = newUser("viewer");
        addMember(project, alice, viewer, "viewer");
        TestUser outsider = newUser("outsider");
        assertThat(api.get(datasets + "/" + hex, viewer.token()).status()).isEqualTo(200);
        assertThat(download(datasets + "/" + hex + "/content", viewer.token(), Map.of()).statusCode()).isEqualTo(200);
        assertProblem(upload(viewer.token(), project, "mine", bytes(10, 4), null), 403);
        assertProblem(api.delete(datasets + "/" + hex, viewer.token()), 403);
        assertProblem(api.get(datasets, outsider.token()), 404);
        assertProblem(api.get(datasets + "/" + hex, outsider.token()), 404);
        assertThat(download(datasets + "/" + hex + "/content", outsider.token(), Map.of()).statusCode())
                .isEqualTo(404);
        assertProblem(upload(outsider.token(), project, "mine", bytes(10, 4), null), 404);
        // an editor with a read-scope token cannot upload either
        TestUser reader = newUser("reader", Scope.READ);
        addMember(project, alice, reader, "editor");
        assertProblem(upload(reader.token(), project, "mine", bytes(10, 4), null), 403);
        assertThat(storedFiles(project)).hasSize(1);
    }

    @Test
    void aMissingDatasetIs404AndABadDigestIs400() {
        String absent = "0".repeat(64);
        assertThat(assertProblem(api.get(datasets + "/" + absent, alice.token()), 404).get("detail").stringValue())
                .contains("no dataset sha256:" + absent);
        assertProblem(api.delete(datasets + "/" + absent, alice.token()), 404);
        assertThat(download(datasets + "/" + absent + "/content", alice.token(), Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(assertProblem(api.get(datasets + "/xyz", alice.token()), 400).get("errors").get(0)
                .get("parameter").stringValue()).isEqualTo("sha256");
    }

    @Test
    void deletingRemovesTheRowAndItsBytes() {
        TestUser editor = newUser("editor");
        addMember(project, alice, editor, "editor");
        String hex = uploaded("d", bytes(2000, 5)).get("sha256").stringValue();
        assertThat(storedFiles(project)).hasSize(1);
        assertThat(api.delete(datasets + "/" + hex, editor.token()).status()).isEqualTo(204);
        assertProblem(api.get(datasets + "/" + hex, alice.token()), 404);
        assertThat(storedFiles(project)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM artifact_deletions WHERE storage_key LIKE ?")
                .param("projects/" + project + "/datasets/%").query(Long.class).single()).isZero();
    }

    @Test
    void aRunMayNameADatasetOfItsProjectOnly() {
        byte[] csv = "a,b,label\n1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8);
        String digest = uploaded("toy.csv", csv).get("digest").stringValue();
        Map<String, Object> spec = new HashMap<>(Specs.spec("adam", 0.01, 1));
        spec.put("dataset", Map.of("name", "csv", "artifact", digest, "label", "label", "testSplit", 0.5));
        JsonNode run = submitRun(project, alice, with(runBody(), "spec", spec));
        assertThat(run.get("spec").get("dataset").get("artifact").stringValue()).isEqualTo(digest);

        long otherProject = newProject(alice);
        JsonNode problem = assertProblem(api.post("/api/v1/projects/" + otherProject + "/runs", alice.token(),
                with(runBody(), "spec", spec)), 400);
        assertThat(problem.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec/dataset/artifact");
    }

    @Test
    void theWorkerHoldingARunDownloadsTheDatasetItsSpecNamesFencedByItsAttempt() {
        byte[] data = bytes(3000, 6);
        String hex = uploaded("d", data).get("sha256").stringValue();
        long run = submitNaming("sha256:" + hex, "trains-on-d");
        long plain = submitRun(project, alice, runBody()).get("id").longValue();
        User admin = users.save(new User("siteadmin-" + System.nanoTime(), null, true, Times.now()));
        String workerToken = api.post("/api/v1/worker-tokens", token(admin.getId(), Scope.ADMIN),
                Map.of("name", "fleet")).json().get("token").stringValue();
        String workerId = api.post("/api/v1/workers", workerToken, Map.of("name", "box", "labels", Map.of(),
                "devices", Map.of("cpus", 1, "memoryMb", 1024, "gpus", List.of()))).json().get("id").stringValue();
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 1, worker_id = ?, started_at = CURRENT_TIMESTAMP,"
                + " lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' MINUTE WHERE id IN (?, ?)")
                .params(workerId, run, plain).update();
        String path = "/api/v1/workers/" + workerId + "/runs/" + run + "/datasets/";

        HttpResponse<byte[]> ok = download(path + hex + "/content", workerToken, Map.of("X-Run-Attempt", "1"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(data);
        HttpResponse<byte[]> part = download(path + "sha256:" + hex + "/content", workerToken,
                Map.of("X-Run-Attempt", "1", "Range", "bytes=-10"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));

        HttpResponse<byte[]> stale = download(path + hex + "/content", workerToken, Map.of("X-Run-Attempt", "2"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(new String(stale.body(), StandardCharsets.UTF_8)).contains("run " + run);

        // another dataset of the same project is not the run's to read, even for the worker holding it
        String otherHex = uploaded("other", bytes(60, 9)).get("sha256").stringValue();
        HttpResponse<byte[]> notNamed = download(path + otherHex + "/content", workerToken,
                Map.of("X-Run-Attempt", "1"));
        assertThat(notNamed.statusCode()).isEqualTo(404);
        assertThat(notNamed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(Api.JSON.readTree(notNamed.body()).get("detail").stringValue())
                .contains("run " + run + " does not name dataset sha256:" + otherHex, "it names sha256:" + hex);
        // nor is a dataset of another project, nor any dataset to a run whose spec names none
        long otherProject = newProject(alice);
        byte[] secret = bytes(50, 8);
        assertThat(upload(alice.token(), otherProject, "secret", secret, null).status()).isEqualTo(201);
        assertThat(download(path + sha256(secret) + "/content", workerToken, Map.of("X-Run-Attempt", "1"))
                .statusCode()).isEqualTo(404);
        HttpResponse<byte[]> none = download("/api/v1/workers/" + workerId + "/runs/" + plain + "/datasets/" + hex
                + "/content", workerToken, Map.of("X-Run-Attempt", "1"));
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(Api.JSON.readTree(none.body()).get("detail").stringValue())
                .contains("run " + plain + " does not name dataset sha256:" + hex, "it names no dataset artifact");
        assertThat(download(path + hex + "/content", alice.token(), Map.of("X-Run-Attempt", "1")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aDatasetQueuedOrRunningRunsNameIsNotDeletedUntilTheyEnd() {
        byte[] data = bytes(1500, 10);
        String hex = uploaded("iris.csv", data).get("sha256").stringValue();
        long queued = submitNaming("sha256:" + hex, "queued-one");
        // a retried run on its second attempt is as live as a new one
        long retried = submitNaming("sha256:" + hex, "second-attempt");
        jdbc.sql("UPDATE runs SET status = 'FAILED', attempt = 1, finished_at = CURRENT_TIMESTAMP WHERE id = ?")
                .param(retried).update();
        Api.Response retry = api.post(runs() + "/" + retried + "/retry", alice.token(), Map.of());
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        jdbc.sql("UPDATE runs SET status = 'RUNNING', attempt = 2 WHERE id = ?").param(retried).update();
        submitRun(project, alice, runBody()); // names no dataset

        String detail = assertProblem(api.delete(datasets + "/" + hex, alice.token()), 409).get("detail")
                .stringValue();
        assertThat(detail).contains("dataset sha256:" + hex + " (\"iris.csv\") of project " + project,
                "2 queued or running runs: run " + queued + " (\"queued-one\"), run " + retried
                        + " (\"second-attempt\")", "cancel them or wait");
        HttpResponse<byte[]> still = download(datasets + "/" + hex + "/content", alice.token(), Map.of());
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(still.body()).isEqualTo(data);

        assertThat(api.post(runs() + "/" + queued + "/cancel", alice.token(), Map.of()).status()).isEqualTo(200);
        assertThat(assertProblem(api.delete(datasets + "/" + hex, alice.token()), 409).get("detail").stringValue())
                .contains("1 queued or running run: run " + retried + " (\"second-attempt\"); cancel it or wait");
        assertThat(api.post(runs() + "/" + retried + "/cancel", alice.token(), Map.of()).status()).isEqualTo(200);
        assertThat(api.delete(datasets + "/" + hex, alice.token()).status()).isEqualTo(204);
        assertProblem(api.get(datasets + "/" + hex, alice.token()), 404);
        assertThat(storedFiles(project)).isEmpty();
    }

    @Test
    void theConflictNamesTheFirstRunsAndCountsTheRest() {
        String digest = uploaded("d", bytes(100, 11)).get("digest").stringValue();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            ids.add(submitNaming(digest, "sweep-" + i));
        }
        String detail = assertProblem(api.delete(datasets + "/" + digest, alice.token()), 409).get("detail")
                .stringValue();
        assertThat(detail).contains("7 queued or running runs: run " + ids.get(0) + " (\"sweep-1\"), ",
                "run " + ids.get(4) + " (\"sweep-5\") and 2 more; cancel them");
        assertThat(detail).doesNotContain("run " + ids.get(5));
    }

    @Test
    void aDatasetOnlyEndedRunsNameIsDeletedAndRetryingThemIsThen409() {
        byte[] data = bytes(800, 12);
        String hex = uploaded("d", data).get("sha256").stringValue();
        String digest = "sha256:" + hex;
        long succeeded = submitNaming(digest, "done");
        long failed = submitNaming(digest, "broke");
        long cancelled = submitNaming(digest, "stopped");
        jdbc.sql("UPDATE runs SET status = 'SUCCEEDED', attempt = 1, finished_at = CURRENT_TIMESTAMP WHERE id = ?")
                .param(succeeded).update();
        jdbc.sql("UPDATE runs SET status = 'FAILED', attempt = 1, finished_at = CURRENT_TIMESTAMP WHERE id = ?")
                .param(failed).update();
        assertThat(api.post(runs() + "/" + cancelled + "/cancel", alice.token(), Map.of()).status()).isEqualTo(200);
        // a queued run of another project with the same bytes names its own project's dataset, not this one
        long otherProject = newProject(alice);
        assertThat(upload(alice.token(), otherProject, "copy", data, null).status()).isEqualTo(201);
        submitRun(otherProject, alice, with(runBody(), "spec", specNaming(digest)));

        assertThat(api.delete(datasets + "/" + hex, alice.token()).status()).isEqualTo(204);
        assertThat(storedFiles(project)).isEmpty();

        JsonNode retry = assertProblem(api.post(runs() + "/" + failed + "/retry", alice.token(), Map.of()), 409);
        assertThat(retry.get("detail").stringValue()).contains("run " + failed + " names dataset " + digest
                + ", which project " + project + " no longer has; upload the same file again");
        assertThat(api.get(runs() + "/" + failed, alice.token()).json().get("status").stringValue())
                .isEqualTo("FAILED");
        // the same bytes uploaded again are the same digest, and the run can be retried
        uploaded("d again", data);
        Api.Response again = api.post(runs() + "/" + failed + "/retry", alice.token(), Map.of());
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("status").stringValue()).isEqualTo("QUEUED");
    }

    @Test
    void aSubmissionWaitsForADeletionInProgressAndThenFindsTheDatasetGone() throws Exception {
        String hex = uploaded("d", bytes(300, 13)).get("sha256").stringValue();
        Api.Response submitted;
        try (Connection deleting = dataSource.getConnection()) {
            deleting.setAutoCommit(false);
            long id = lockDataset(deleting, hex, "FOR UPDATE"); // as DatasetService.delete does first
            CompletableFuture<Api.Response> submit = CompletableFuture.supplyAsync(() -> api.post(runs(),
                    alice.token(), with(runBody(), "spec", specNaming("sha256:" + hex))));
            awaitRequestWaitingForTheDatasetRow(submit);
            try (PreparedStatement delete = deleting.prepareStatement("DELETE FROM datasets WHERE id = ?")) {
                delete.setLong(1, id);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            deleting.commit();
            submitted = submit.get(60, TimeUnit.SECONDS);
        }
        JsonNode problem = assertProblem(submitted, 400);
        assertThat(problem.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec/dataset/artifact");
        assertThat(jdbc.sql("SELECT count(*) FROM runs WHERE project_id = ?").param(project).query(Long.class)
                .single()).isZero();
    }

    @Test
    void aDeletionWaitsForATransactionUsingTheDatasetAndThenSeesItsRun() throws Exception {
        String hex = uploaded("d", bytes(300, 14)).get("sha256").stringValue();
        long run = submitNaming("sha256:" + hex, "about-to-be-retried");
        jdbc.sql("UPDATE runs SET status = 'FAILED', attempt = 1, finished_at = CURRENT_TIMESTAMP WHERE id = ?")
                .param(run).update();
        Api.Response deleted;
        try (Connection using = dataSource.getConnection()) {
            using.setAutoCommit(false);
            lockDataset(using, hex, "FOR SHARE"); // as a submission or a retry does, then it queues the run
            CompletableFuture<Api.Response> delete = CompletableFuture.supplyAsync(() -> api.delete(datasets + "/"
                    + hex, alice.token()));
            awaitRequestWaitingForTheDatasetRow(delete);
            try (PreparedStatement queue = using.prepareStatement("UPDATE runs SET status = 'QUEUED' WHERE id = ?")) {
                queue.setLong(1, run);
                assertThat(queue.executeUpdate()).isEqualTo(1);
            }
            using.commit();
            deleted = delete.get(60, TimeUnit.SECONDS);
        }
        assertThat(assertProblem(deleted, 409).get("detail").stringValue())
                .contains("run " + run + " (\"about-to-be-retried\")");
        assertThat(api.get(datasets + "/" + hex, alice.token()).status()).isEqualTo(200);
    }

    private String runs() {
        return "/api/v1/projects/" + project + "/runs";
    }

    private static Map<String, Object> specNaming(String digest) {
        Map<String, Object> spec = new HashMap<>(Specs.spec("adam", 0.01, 1));
        spec.put("dataset", Map.of("name", "csv", "artifact", digest, "label", "label", "testSplit", 0.5));
        return spec;
    }

    /** Submits a run of {@link #project} whose spec names the dataset {@code digest}; returns its id. */
    private long submitNaming(String digest, String name) {
        Map<String, Object> body = with(runBody(), "spec", specNaming(digest));
        body.put("name", name);
        return submitRun(project, alice, body).get("id").longValue();
    }

    private long lockDataset(Connection connection, String hex, String lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM datasets WHERE project_id = ? AND sha256 = ? " + lock)) {
            select.setLong(1, project);
            select.setString(2, hex);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Returns once a statement on the datasets table waits for a row lock: the request reached the lock another
     * transaction holds. Fails if the request ends first, or never gets there.
     */
    private void awaitRequestWaitingForTheDatasetRow(CompletableFuture<Api.Response> request)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE 'SELECT id FROM datasets WHERE project_id = %'")
                .query(Long.class).single() == 0) {
            assertThat(request).as("the request ended without waiting for the dataset's row lock").isNotDone();
            assertThat(System.nanoTime()).as("the request never waited for the dataset's row lock")
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
