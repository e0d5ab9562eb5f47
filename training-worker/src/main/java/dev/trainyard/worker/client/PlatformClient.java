package dev.trainyard.worker.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.worker.client.ClientRecords.CheckpointInfo;
import dev.trainyard.worker.client.ClientRecords.CheckpointList;
import dev.trainyard.worker.client.ClientRecords.HeartbeatRequest;
import dev.trainyard.worker.client.ClientRecords.HeartbeatResponse;
import dev.trainyard.worker.client.ClientRecords.LeaseRequest;
import dev.trainyard.worker.client.ClientRecords.LeaseResponse;
import dev.trainyard.worker.client.ClientRecords.LogLine;
import dev.trainyard.worker.client.ClientRecords.MetricPoint;
import dev.trainyard.worker.client.ClientRecords.RegisterRequest;
import dev.trainyard.worker.client.ClientRecords.Registration;
import dev.trainyard.worker.client.ClientRecords.RunAttempt;
import dev.trainyard.worker.client.ClientRecords.StatusReport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The platform's worker API over HTTP with a worker token (JDK HttpClient, Jackson). Each method makes one call and
 * throws {@link IOException} when the platform cannot be reached, {@link PlatformException} when it answers with an
 * error; {@link Retry} decides what to do about it. Calls are interruptible.
 */
public final class PlatformClient implements AutoCloseable {
    public static final String ATTEMPT_HEADER = "X-Run-Attempt";
    public static final String SHA256_HEADER = "X-Checkpoint-Sha256";
    private static final String WORKERS = "/api/v1/workers";

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public PlatformClient(URI platformUrl, String token) {
        String url = platformUrl.toString();
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.authorization = "Bearer " + token.strip();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI base() {
        return base;
    }

    // ------------------------------------------------------------------ workers

    public Registration register(RegisterRequest request) throws IOException, InterruptedException {
        return json.readValue(send("register", post(WORKERS, request).build()), Registration.class);
    }

    public void deregister(String workerId) throws IOException, InterruptedException {
        send("deregister", request(WORKERS + "/" + workerId).DELETE().build());
    }

    public LeaseResponse lease(String workerId, int waitSeconds, int maxRuns) throws IOException, InterruptedException {
        HttpRequest r = post(worker(workerId) + "/lease", new LeaseRequest(waitSeconds, maxRuns))
                .timeout(Duration.ofSeconds(waitSeconds + 30L)).build();
        return json.readValue(send("lease", r), LeaseResponse.class);
    }

    public HeartbeatResponse heartbeat(String workerId, List<RunAttempt> runs) throws IOException, InterruptedException {
        return json.readValue(send("heartbeat", post(worker(workerId) + "/heartbeat", new HeartbeatRequest(runs)).build()),
                HeartbeatResponse.class);
    }

    // ------------------------------------------------------------------ runs

    public void status(String workerId, long runId, StatusReport report) throws IOException, InterruptedException {
        send("status " + report.status() + " of run " + runId, post(run(workerId, runId) + "/status", report).build());
    }

    /** Sends metric points (at most 10,000); non-finite values go as the strings the platform accepts. */
    public void metrics(String workerId, long runId, int attempt, List<MetricPoint> points) throws IOException, InterruptedException {
        var out = new ByteArrayOutputStream(64 + points.size() * 80);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("points");
            for (MetricPoint p : points) {
                g.writeStartObject();
                g.writeStringField("key", p.key());
                g.writeNumberField("step", p.step());
                if (Double.isFinite(p.value())) {
                    g.writeNumberField("value", p.value());
                } else {
                    g.writeStringField("value", Double.isNaN(p.value()) ? "NaN" : p.value() > 0 ? "Infinity" : "-Infinity");
                }
                g.writeStringField("time", Instant.EPOCH.plus(Duration.ofNanos(p.timeMicros() * 1000)).toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        HttpRequest r = request(run(workerId, runId) + "/metrics").header(ATTEMPT_HEADER, Integer.toString(attempt))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
        send("metrics of run " + runId, r);
    }

    public void logs(String workerId, long runId, int attempt, List<LogLine> lines) throws IOException, InterruptedException {
        List<Map<String, Object>> body = lines.stream().<Map<String, Object>>map(l -> Map.of("seq", l.seq(),
                "time", Instant.ofEpochMilli(l.timeMillis()).toString(), "stream", l.stream(), "text", l.text())).toList();
        HttpRequest r = post(run(workerId, runId) + "/logs", Map.of("lines", body)).header(ATTEMPT_HEADER, Integer.toString(attempt)).build();
        send("logs of run " + runId, r);
    }

    /**
     * Uploads a checkpoint file, streamed from disk, with its SHA-256 (hex) for the platform to verify. {@code last}:
     * the run's final checkpoint, which the platform's checkpoint interval guard never refuses (a periodic one sooner
     * than its minimum interval after the previous is a 429).
     */
    public void uploadCheckpoint(String workerId, long runId, int attempt, Path file, long step, int epoch,
                                 Map<String, Double> metrics, String sha256, boolean last) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("?step=").append(step).append("&epoch=").append(epoch)
                .append("&filename=").append(encode(file.getFileName().toString())).append(last ? "&final=true" : "");
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                query.append("&metric.").append(encode(k)).append('=').append(v);
            }
        });
        HttpRequest r = request(run(workerId, runId) + "/checkpoints" + query).header(ATTEMPT_HEADER, Integer.toString(attempt))
                .header(SHA256_HEADER, sha256).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        send("checkpoint upload of run " + runId + " step " + step, r);
    }

    /** The run's checkpoints, ascending by step. */
    public List<CheckpointInfo> checkpoints(String workerId, long runId, int attempt) throws IOException, InterruptedException {
        HttpRequest r = request(run(workerId, runId) + "/checkpoints").header(ATTEMPT_HEADER, Integer.toString(attempt)).GET().build();
        return json.readValue(send("checkpoint list of run " + runId, r), CheckpointList.class).items();
    }

    /** Downloads a checkpoint's bytes to {@code target}, streaming, and returns their SHA-256 (hex). */
    public String downloadCheckpoint(String workerId, long runId, int attempt, long checkpointId, Path target)
            throws IOException, InterruptedException {
        return download("checkpoint " + checkpointId + " of run " + runId,
                run(workerId, runId) + "/checkpoints/" + checkpointId + "/content", attempt, target);
    }

    /** Downloads a dataset artifact's bytes to {@code target}, streaming, and returns their SHA-256 (hex). */
    public String downloadDataset(String workerId, long runId, int attempt, String sha256Hex, Path target)
            throws IOException, InterruptedException {
        return download("dataset " + sha256Hex + " for run " + runId,
                run(workerId, runId) + "/datasets/" + sha256Hex + "/content", attempt, target);
    }

    private String download(String what, String path, int attempt, Path target) throws IOException, InterruptedException {
        HttpRequest r = request(path).header(ATTEMPT_HEADER, Integer.toString(attempt)).GET().build();
        HttpResponse<InputStream> response = await(http.sendAsync(r, HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new PlatformException(what, response.statusCode(), new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            }
            var digest = Sha256.digest();
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            try (var out = new java.security.DigestOutputStream(Files.newOutputStream(partial), digest)) {
                in.transferTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    // ------------------------------------------------------------------ plumbing

    private String worker(String workerId) {
        return WORKERS + "/" + workerId;
    }

    private String run(String workerId, long runId) {
        return worker(workerId) + "/runs/" + runId;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Accept", "application/json, application/problem+json");
    }

    private HttpRequest.Builder post(String path, Object body) {
        try {
            return request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] send(String what, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = await(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        if (response.statusCode() / 100 != 2) {
            throw new PlatformException(what, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** Waits for a response; an interrupt cancels the exchange. */
    private static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
