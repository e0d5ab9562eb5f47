package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A 50 MB checkpoint, 50 times the API's 1 MB request limit, goes through upload and download without the server
 * ever holding it in memory. Java Flight Recorder records every allocation too large for a thread-local buffer
 * ({@code jdk.ObjectAllocationOutsideTLAB}: every large array is one); the test asserts that no byte[] of 4 MB or
 * more was allocated in this JVM (server and client) while the bytes went up and came back, and, so that the check
 * is known to see what it looks for, that a deliberate 50 MB array in the same recording is seen.
 */
class StreamingUploadTest extends CheckpointTesting {

    private static final long SIZE = 50L * 1024 * 1024;
    private static final long LARGE = 4L * 1024 * 1024;
    static volatile byte[] sink;

    @Test
    void aCheckpointLargerThanAnyBufferStreamsThroughWithoutALargeArray() throws Exception {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        long run = newRun(project, alice, null);
        String sha = sha256Of(new Generated(SIZE));

        Path jfr = Files.createTempFile("streaming-upload", ".jfr");
        List<RecordedEvent> large;
        JsonNode checkpoint;
        long downloaded;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationOutsideTLAB");
            recording.start();
            // the control: this one must be seen. Made first, not just before stop: once (one full CI run of many) an
            // allocation made right before recording.stop() was missing from the recording
            sink = new byte[(int) SIZE];
            sink = null;

            HttpRequest request = HttpRequest.newBuilder(api.uri(checkpoints(project, run) + "?step=1"))
                    .timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + alice.token())
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Checkpoint-Sha256", sha)
                    // a fixed length, from a stream: Content-Length without the client buffering either
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE)), SIZE))
                    .build();
            Api.Response r = api.send(request);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            checkpoint = r.json();

            var response = HTTP.send(HttpRequest.newBuilder(api.uri(checkpoint.get("content").stringValue()))
                    .header("Authorization", "Bearer " + alice.token()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            try (InputStream in = response.body()) {
                downloaded = sha256Of(in).equals(sha) ? response.headers().firstValueAsLong("Content-Length")
                        .orElse(-1) : -2;
            }

            recording.stop();
            recording.dump(jfr);
        }
        try {
            large = RecordingFile.readAllEvents(jfr).stream()
                    .filter(e -> e.getClass("objectClass").getName().equals("[B")) // byte[]
                    .filter(e -> e.getLong("allocationSize") >= LARGE)
                    .toList();
        } finally {
            Files.deleteIfExists(jfr);
        }

        assertThat(checkpoint.get("sizeBytes").longValue()).isEqualTo(SIZE);
        assertThat(downloaded).as("the download's length, if its SHA-256 matched").isEqualTo(SIZE);
        assertThat(large).as("byte[] allocations of 4 MB or more").hasSize(1);
        assertThat(large.getFirst().getLong("allocationSize")).isGreaterThanOrEqualTo(SIZE);
        assertThat(large.getFirst().getThread().getJavaName()).isEqualTo(Thread.currentThread().getName());

        api.delete("/api/v1/projects/" + project + "/runs/" + run, alice.token());
        assertThat(storedFiles(project, run)).isEmpty();
    }

    private static String sha256Of(InputStream in) throws IOException {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} pseudo-random bytes, the same each time, generated as they are read. */
    static final class Generated extends InputStream {
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
    }
}
