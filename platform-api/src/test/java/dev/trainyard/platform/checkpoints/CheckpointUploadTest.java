package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CheckpointUploadTest extends CheckpointTesting {

    private TestUser alice;
    private long project;
    private long run;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
        run = newRun(project, alice, null);
    }

    @Test
    void anUploadIsStoredAndRecordedWithItsStepEpochAndMetrics() throws Exception {
        byte[] data = bytes(300_000, 1);
        Instant before = Instant.now().minusSeconds(1);
        Api.Response r = upload(alice, project, run, "?step=1200&epoch=3&metric.test_acc=0.91&metric.val/loss=0.25",
                data);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode c = r.json();
        long id = c.get("id").longValue();
        assertThat(r.header("Location")).isEqualTo(checkpoints(project, run) + "/" + id);
        assertThat(r.header("ETag")).isEqualTo("\"" + sha256(data) + "\"");
        assertThat(c.get("runId").longValue()).isEqualTo(run);
        assertThat(c.get("step").longValue()).isEqualTo(1200);
        assertThat(c.get("epoch").intValue()).isEqualTo(3);
        assertThat(c.get("metrics").get("test_acc").doubleValue()).isEqualTo(0.91);
        assertThat(c.get("metrics").get("val/loss").doubleValue()).isEqualTo(0.25);
        assertThat(c.get("sizeBytes").longValue()).isEqualTo(data.length);
        assertThat(c.get("sha256").stringValue()).isEqualTo(sha256(data));
        assertThat(c.get("filename").stringValue()).isEqualTo("run-" + run + "-step-1200.ckpt");
        assertThat(c.get("uploadedBy").stringValue()).isEqualTo(alice.username());
        assertThat(c.get("attempt").isNull()).isTrue();
        assertThat(Instant.parse(c.get("createdAt").stringValue())).isAfter(before);
        assertThat(c.get("content").stringValue()).isEqualTo(checkpoints(project, run) + "/" + id + "/content");

        // the bytes are in the store under a server-made key, and nothing else is left behind
        String key = jdbc.sql("SELECT storage_key FROM checkpoints WHERE id = ?").param(id).query(String.class)
                .single();
        assertThat(key).matches("projects/" + project + "/runs/" + run + "/checkpoints/[0-9a-f]{32}");
        assertThat(Files.readAllBytes(ARTIFACTS_DIR.resolve(key))).isEqualTo(data);
        assertThat(storedFiles(project, run)).hasSize(1);
        assertThat(pendingDeletions(project, run)).isZero();
    }

    @Test
    void aChunkedUploadOfUnknownLengthWorksToo() {
        byte[] data = bytes(3_000_000, 2);
        Api.Response r = uploadChunked(alice.token(), project, run, "?step=5&filename=model.ckpt",
                () -> new ByteArrayInputStream(data), sha256(data));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("sizeBytes").longValue()).isEqualTo(data.length);
        assertThat(r.json().get("filename").stringValue()).isEqualTo("model.ckpt");
    }

    @Test
    void theDigestMayComeAsDigestOrContentDigest() {
        byte[] data = bytes(1000, 3);
        String b64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(data)));
        assertThat(upload(alice.token(), project, run, "?step=1", data, Map.of("Digest", "md5=xyz, sha-256=" + b64))
                .status()).isEqualTo(201);
        assertThat(upload(alice.token(), project, run, "?step=2", data,
                Map.of("Content-Digest", "sha-256=:" + b64 + ":")).status()).isEqualTo(201);
        // upper-case hex is fine
        assertThat(upload(alice.token(), project, run, "?step=3", data,
                Map.of("X-Checkpoint-Sha256", sha256(data).toUpperCase())).status()).isEqualTo(201);
    }

    @Test
    void aShaMismatchIs422AndStoresNothing() {
        byte[] data = bytes(200_000, 4);
        String wrong = sha256(bytes(10, 5));
        Api.Response r = upload(alice.token(), project, run, "?step=7", data, Map.of("X-Checkpoint-Sha256", wrong));
        JsonNode problem = assertProblem(r, 422);
        assertThat(problem.get("detail").stringValue()).contains("do not match the declared SHA-256")
                .contains(sha256(data)).contains("nothing was stored");
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("X-Checkpoint-Sha256");
        assertThat(problem.get("errors").get(0).get("rejectedValue").stringValue()).isEqualTo(wrong);
        assertNothingStored();
    }

    @Test
    void theDigestIsRequiredAndMustBeWellFormed() {
        byte[] data = bytes(100, 6);
        JsonNode missing = assertProblem(upload(alice.token(), project, run, "?step=1", data,
                Map.of("X-Other-Digest-Sha256-Free", "1")), 400);
        // (the helper adds no digest when a header name mentions one)
        assertThat(missing.get("errors").get(0).get("parameter").stringValue()).isEqualTo("X-Checkpoint-Sha256");
        assertThat(missing.get("detail").stringValue()).contains("declare the checkpoint's SHA-256");

        JsonNode notHex = assertProblem(upload(alice.token(), project, run, "?step=1", data,
                Map.of("X-Checkpoint-Sha256", "abc")), 400);
        assertThat(notHex.get("errors").get(0).get("detail").stringValue()).contains("64 hexadecimal digits");

        assertProblem(upload(alice.token(), project, run, "?step=1", data, Map.of("Digest", "sha-256=@@@")), 400);
        assertProblem(upload(alice.token(), project, run, "?step=1", data,
                Map.of("Content-Digest", "sha-256=" + Base64.getEncoder().encodeToString(new byte[32]))), 400);

        String b64 = Base64.getEncoder().encodeToString(new byte[32]);
        JsonNode disagree = assertProblem(upload(alice.token(), project, run, "?step=1", data,
                Map.of("X-Checkpoint-Sha256", sha256(data), "Digest", "sha-256=" + b64)), 400);
        assertThat(disagree.get("detail").stringValue()).contains("different SHA-256");
        assertNothingStored();
    }

    @Test
    void malformedParametersAre400NamingEachOne() {
        byte[] data = bytes(100, 7);
        JsonNode noStep = assertProblem(upload(alice, project, run, "", data), 400);
        assertThat(noStep.get("errors").get(0).get("parameter").stringValue()).isEqualTo("step");

        JsonNode problem = assertProblem(upload(alice, project, run,
                "?step=-1&epoch=x&metric.acc=NaN&metric.bad%20name=1&metric.loss=abc&filename=../x&stpe=3", data),
                400);
        assertThat(problem.get("errors")).extracting(e -> e.get("parameter").stringValue())
                .containsExactlyInAnyOrder("step", "epoch", "metric.acc", "metric.bad name", "metric.loss",
                        "filename", "stpe");
        assertProblem(upload(alice, project, run, "?step=1&step=2", data), 400);
        assertNothingStored();
    }

    @Test
    void anUploadMustBeOctetStream() {
        Api.Response r = api.send("POST", checkpoints(project, run) + "?step=1", alice.token(),
                Map.of("Content-Type", "application/json", "X-Checkpoint-Sha256", sha256(new byte[0])), "{}");
        assertProblem(r, 415);
    }

    @Test
    void anUploadWithoutAContentTypeIsTakenAsOctetStream() {
        // what curl -T sends
        byte[] data = bytes(1000, 12);
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        api.uri(checkpoints(project, run) + "?step=3"))
                .header("Authorization", "Bearer " + alice.token())
                .header("X-Checkpoint-Sha256", sha256(data))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(data))
                .build();
        Api.Response r = api.send(request);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    void anEmptyCheckpointIsAllowed() {
        JsonNode c = uploaded(alice, project, run, "?step=0", new byte[0]);
        assertThat(c.get("sizeBytes").longValue()).isZero();
    }

    @Test
    void aChunkedUploadOverTheLimitIs413AndStoresNothing() {
        long limit = 64L * 1024 * 1024;
        long size = limit + 1024 * 1024;
        Api.Response r = uploadChunked(alice.token(), project, run, "?step=9",
                () -> new PatternStream(size), sha256(new byte[0]));
        JsonNode problem = assertProblem(r, 413);
        assertThat(problem.get("detail").stringValue()).contains("larger than " + limit + " bytes")
                .contains("trainyard.checkpoints.max-size");
        assertNothingStored();
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413AtOnce() throws Exception {
        // a Content-Length of 100 GB, and no body: the answer must come before any of it is read
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + checkpoints(project, run) + "?step=1 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + alice.token() + "\r\nContent-Type: application/octet-stream\r\n"
                    + "X-Checkpoint-Sha256: " + sha256(new byte[0]) + "\r\nContent-Length: 100000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        assertNothingStored();
    }

    @Test
    void theSameBytesForTheSameStepAreAReplayAndOtherBytesReplaceTheCheckpoint() throws Exception {
        byte[] first = bytes(5000, 8);
        JsonNode original = uploaded(alice, project, run, "?step=100&metric.acc=0.5", first);

        Api.Response replay = upload(alice, project, run, "?step=100&metric.acc=0.5", first);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().get("id").longValue()).isEqualTo(original.get("id").longValue());
        assertThat(storedFiles(project, run)).hasSize(1);

        byte[] second = bytes(6000, 9);
        JsonNode replacement = uploaded(alice, project, run, "?step=100&metric.acc=0.6", second);
        assertThat(replacement.get("id").longValue()).isNotEqualTo(original.get("id").longValue());
        JsonNode list = api.get(checkpoints(project, run), alice.token()).json().get("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("sha256").stringValue()).isEqualTo(sha256(second));
        assertThat(storedFiles(project, run)).hasSize(1);
        assertThat(Files.readAllBytes(storedFiles(project, run).getFirst())).isEqualTo(second);
        assertThat(pendingDeletions(project, run)).isZero();
    }

    @Test
    void unknownRunsAre404() {
        byte[] data = bytes(10, 10);
        assertProblem(upload(alice, project, 987654321L, "?step=1", data), 404);
        long other = newProject(alice);
        assertProblem(upload(alice, other, run, "?step=1", data), 404);
        assertNothingStored();
    }

    @Test
    void aFailingStoreIs503AndLeavesNothingBehind() throws Exception {
        org.mockito.Mockito.doThrow(new java.io.IOException("disk full")).when(artifactStore)
                .put(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                        org.mockito.ArgumentMatchers.anyLong());
        JsonNode problem = assertProblem(upload(alice, project, run, "?step=1", bytes(1000, 11)), 503);
        assertThat(problem.get("detail").stringValue()).contains("artifact store failed");
        assertNothingStored();
    }

    private void assertNothingStored() {
        assertThat(count("SELECT count(*) FROM checkpoints WHERE run_id = ?", run)).isZero();
        assertThat(storedFiles(project, run)).isEmpty();
        assertThat(pendingDeletions(project, run)).as("outbox rows left").isZero();
    }

    /** {@code size} bytes of a repeating pattern, generated as read. */
    static final class PatternStream extends InputStream {
        private long remaining;

        PatternStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            return remaining-- > 0 ? (int) (remaining & 0x7f) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((remaining - i) & 0x7f);
            }
            remaining -= n;
            return n;
        }
    }
}
