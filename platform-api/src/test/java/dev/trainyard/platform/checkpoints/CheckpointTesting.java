package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** Helpers for the checkpoint tests: binary uploads and downloads over real HTTP, and a look into the store. */
abstract class CheckpointTesting extends IntegrationTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

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

    static String checkpoints(long project, long run) {
        return "/api/v1/projects/" + project + "/runs/" + run + "/checkpoints";
    }

    /** POSTs {@code data} as a checkpoint, with X-Checkpoint-Sha256 unless headers give a digest themselves. */
    Api.Response upload(String token, long project, long run, String query, byte[] data, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(checkpoints(project, run) + query))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.keySet().stream().noneMatch(h -> h.toLowerCase().contains("digest") || h.contains("Sha256"))) {
            b.header("X-Checkpoint-Sha256", sha256(data));
        }
        headers.forEach(b::header);
        return api.send(b.build());
    }

    Api.Response upload(TestUser user, long project, long run, String query, byte[] data) {
        return upload(user.token(), project, run, query, data, Map.of());
    }

    /** Uploads and returns the checkpoint, asserting 201. */
    JsonNode uploaded(TestUser user, long project, long run, String query, byte[] data) {
        Api.Response r = upload(user, project, run, query, data);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    /** POSTs a stream with no length: chunked transfer encoding. */
    Api.Response uploadChunked(String token, long project, long run, String query, Supplier<InputStream> body,
            String sha256) {
        HttpRequest request = HttpRequest.newBuilder(api.uri(checkpoints(project, run) + query))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .header("X-Checkpoint-Sha256", sha256)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body))
                .build();
        return api.send(request);
    }

    HttpResponse<byte[]> download(String path, String token, Map<String, String> headers) {
        return download("GET", path, token, headers);
    }

    HttpResponse<byte[]> download(String method, String path, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody());
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

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    long newRun(long project, TestUser user, Long experimentId) {
        return submitRun(project, user, experimentId == null ? runBody() : with(runBody(), "experimentId",
                experimentId)).get("id").longValue();
    }

    /** The files in the local store under a run's directory, partials included. */
    static List<Path> storedFiles(long project, long run) {
        Path dir = ARTIFACTS_DIR.resolve("projects/" + project + "/runs/" + run);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    /** Outbox rows naming this run's artifacts. */
    long pendingDeletions(long project, long run) {
        return count("SELECT count(*) FROM artifact_deletions WHERE storage_key LIKE ?",
                "projects/" + project + "/runs/" + run + "/%");
    }
}
