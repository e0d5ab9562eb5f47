package dev.trainyard.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trainyard.worker.client.Sha256;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's worker API on the JDK's HTTP server, for tests: hands out queued runs, stores what the worker sends
 * and records every request in order. {@link #override} makes it answer a request with an error status instead.
 */
final class FakePlatform implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_PATH = Pattern.compile("/api/v1/workers/([^/]+)/runs/(\\d+)/(status|metrics|logs|checkpoints|datasets)(/.*)?");

    record Request(String method, String path, String query, Map<String, String> headers, byte[] body, long nanos) {
        String kind() {
            Matcher m = RUN_PATH.matcher(path);
            if (m.matches()) {
                return m.group(3) + (method.equals("GET") ? "-get" : "");
            }
            if (path.endsWith("/lease")) {
                return "lease";
            }
            if (path.endsWith("/heartbeat")) {
                return "heartbeat";
            }
            return method.equals("DELETE") ? "deregister" : "register";
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    record Point(String key, long step, double value) {
    }

    record StoredCheckpoint(long id, long runId, long step, int epoch, String sha256, String filename, byte[] bytes,
                            Map<String, Double> metrics) {
    }

    record Handled(Request request, int status) {
    }

    final HttpServer server;
    final List<Handled> handled = new CopyOnWriteArrayList<>();
    /** Every point received with a 2xx answer, in arrival order, duplicates included. */
    final List<Point> points = new CopyOnWriteArrayList<>();
    final List<String> logLines = new CopyOnWriteArrayList<>();
    final List<JsonNode> statuses = new CopyOnWriteArrayList<>();
    final List<StoredCheckpoint> checkpoints = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> datasets = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<ObjectNode> queue = new ConcurrentLinkedQueue<>();
    final Map<Long, String> stopOrders = new ConcurrentHashMap<>();
    final AtomicInteger registrations = new AtomicInteger();
    volatile int statusConflict = 0;
    /** Returns a status to answer with instead of handling the request, or null to handle it. */
    volatile Function<Request, Integer> override = r -> null;
    private final AtomicLong checkpointIds = new AtomicLong();

    FakePlatform() throws IOException {
        this(0);
    }

    FakePlatform(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void queueRun(long runId, int attempt, String specJson) throws IOException {
        queueRun(runId, attempt, specJson, List.of());
    }

    /** A run given these of the worker's GPUs (indices into the GPUs it registered). */
    void queueRun(long runId, int attempt, String specJson, List<Integer> gpuIndices) throws IOException {
        ObjectNode run = JSON.createObjectNode();
        run.put("runId", runId).put("projectId", 1).put("name", "run-" + runId).put("attempt", attempt).put("maxAttempts", 3);
        run.set("spec", JSON.readTree(specJson));
        gpuIndices.forEach(run.putArray("gpuIndices")::add);
        queue.add(run);
    }

    List<Request> requests() {
        return handled.stream().map(Handled::request).toList();
    }

    List<String> kinds() {
        return handled.stream().filter(h -> h.status() / 100 == 2).map(h -> h.request().kind())
                .filter(k -> !k.equals("heartbeat") && !k.equals("lease")).toList();
    }

    /** The values of one key by step, in arrival order. */
    List<Point> points(String key) {
        return points.stream().filter(p -> p.key().equals(key)).toList();
    }

    List<String> statusNames() {
        return statuses.stream().map(s -> s.get("status").asText()).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(), headers,
                    body, System.nanoTime());
            if (!"Bearer tyw_test".equals(headers.get("authorization"))) {
                reply(ex, r, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            Integer forced = override.apply(r);
            if (forced != null) {
                reply(ex, r, forced, "{\"title\":\"forced " + forced + "\"}");
                return;
            }
            route(ex, r);
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private void route(HttpExchange ex, Request r) throws IOException {
        Matcher m = RUN_PATH.matcher(r.path());
        if (m.matches()) {
            long runId = Long.parseLong(m.group(2));
            switch (r.kind()) {
                case "status" -> {
                    if (statusConflict > 0) {
                        reply(ex, r, 409, "{\"title\":\"Conflict\"}");
                        return;
                    }
                    statuses.add(r.json());
                    reply(ex, r, 200, "{}");
                }
                case "metrics" -> {
                    for (JsonNode p : r.json().get("points")) {
                        JsonNode v = p.get("value");
                        points.add(new Point(p.get("key").asText(), p.get("step").asLong(), v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble()));
                    }
                    reply(ex, r, 200, "{}");
                }
                case "logs" -> {
                    for (JsonNode l : r.json().get("lines")) {
                        logLines.add(l.get("text").asText());
                    }
                    reply(ex, r, 200, "{}");
                }
                case "checkpoints" -> {
                    Map<String, String> q = query(r.query());
                    String sha = HexFormat.of().formatHex(sha256(r.body()));
                    if (!sha.equals(r.headers().get("x-checkpoint-sha256"))) {
                        reply(ex, r, 400, "{\"title\":\"sha256 mismatch\"}");
                        return;
                    }
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    q.forEach((k, v) -> {
                        if (k.startsWith("metric.")) {
                            metrics.put(k.substring(7), Double.parseDouble(v));
                        }
                    });
                    checkpoints.add(new StoredCheckpoint(checkpointIds.incrementAndGet(), runId, Long.parseLong(q.get("step")),
                            Integer.parseInt(q.get("epoch")), sha, q.get("filename"), r.body(), metrics));
                    reply(ex, r, 201, "{}");
                }
                case "checkpoints-get" -> {
                    String rest = m.group(4);
                    if (rest == null) {
                        ArrayNode items = JSON.createArrayNode();
                        checkpoints.stream().filter(c -> c.runId() == runId).sorted(java.util.Comparator.comparingLong(StoredCheckpoint::step))
                                .forEach(c -> items.addObject().put("id", c.id()).put("runId", runId).put("step", c.step())
                                        .put("epoch", c.epoch()).put("sha256", c.sha256()).put("sizeBytes", c.bytes().length)
                                        .put("filename", c.filename()));
                        reply(ex, r, 200, JSON.createObjectNode().set("items", items).toString());
                    } else {
                        long id = Long.parseLong(rest.split("/")[1]);
                        StoredCheckpoint c = checkpoints.stream().filter(x -> x.id() == id).findFirst().orElseThrow();
                        replyBytes(ex, r, 200, c.bytes());
                    }
                }
                case "datasets-get" -> {
                    String sha = m.group(4).split("/")[1];
                    byte[] bytes = datasets.get(sha);
                    if (bytes == null) {
                        reply(ex, r, 404, "{\"title\":\"no such dataset\"}");
                    } else {
                        replyBytes(ex, r, 200, bytes);
                    }
                }
                default -> reply(ex, r, 404, "{}");
            }
            return;
        }
        switch (r.kind()) {
            case "register" -> {
                registrations.incrementAndGet();
                reply(ex, r, 201, "{\"id\":\"w" + registrations.get() + "\",\"leaseSeconds\":30,\"heartbeatSeconds\":10,\"status\":\"ACTIVE\"}");
            }
            case "deregister" -> reply(ex, r, 204, null);
            case "heartbeat" -> {
                ArrayNode stop = JSON.createArrayNode();
                for (JsonNode a : r.json().get("runs")) {
                    String reason = stopOrders.get(a.get("runId").asLong());
                    if (reason != null) {
                        stop.addObject().put("runId", a.get("runId").asLong()).put("attempt", a.get("attempt").asInt()).put("reason", reason);
                    }
                }
                ObjectNode answer = JSON.createObjectNode();
                answer.putArray("renewed");
                answer.set("stop", stop);
                reply(ex, r, 200, answer.toString());
            }
            case "lease" -> {
                int wait = r.json().path("waitSeconds").asInt(0);
                long until = System.nanoTime() + Math.min(wait, 1) * 1_000_000_000L;
                ObjectNode run = queue.poll();
                while (run == null && System.nanoTime() < until) {
                    sleep(20);
                    run = queue.poll();
                }
                ObjectNode answer = JSON.createObjectNode().put("leaseSeconds", 30).put("heartbeatSeconds", 10);
                ArrayNode runs = answer.putArray("runs");
                if (run != null) {
                    runs.add(run);
                }
                reply(ex, r, 200, answer.toString());
            }
            default -> reply(ex, r, 404, "{}");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] sha256(byte[] b) {
        MessageDigest d = Sha256.digest();
        return d.digest(b);
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q != null) {
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                out.put(java.net.URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private void reply(HttpExchange ex, Request r, int status, String body) throws IOException {
        handled.add(new Handled(r, status));
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private void replyBytes(HttpExchange ex, Request r, int status, byte[] b) throws IOException {
        handled.add(new Handled(r, status));
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
