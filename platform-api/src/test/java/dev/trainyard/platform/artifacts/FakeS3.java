package dev.trainyard.platform.artifacts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of the S3 REST API, path-style, on a loopback port, to check what {@link S3ArtifactStore} sends: object
 * PUT (plain or aws-chunked), GET with Range, HEAD, DELETE, and multipart uploads. Not a conformance test of S3
 * itself; it has no auth and one bucket.
 */
final class FakeS3 implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers) {}

    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final String bucket;
    private final HttpServer server;
    private final AtomicInteger uploadIds = new AtomicInteger();

    FakeS3(String bucket) throws IOException {
        this.bucket = bucket;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            requests.add(new Request(ex.getRequestMethod(), path, query, new TreeMap<>(ex.getRequestHeaders())));
            String prefix = "/" + bucket + "/";
            if (!path.startsWith(prefix)) {
                error(ex, 404, "NoSuchBucket");
                return;
            }
            String key = java.net.URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
            Map<String, String> q = query(query);
            switch (ex.getRequestMethod()) {
                case "PUT" -> {
                    byte[] body = body(ex);
                    if (q.containsKey("partNumber")) {
                        uploads.get(q.get("uploadId")).put(Integer.parseInt(q.get("partNumber")), body);
                        ex.getResponseHeaders().add("ETag", "\"part" + q.get("partNumber") + "\"");
                    } else {
                        objects.put(key, body);
                        ex.getResponseHeaders().add("ETag", "\"x\"");
                    }
                    ex.sendResponseHeaders(200, -1);
                }
                case "POST" -> {
                    body(ex);
                    if (q.containsKey("uploads")) {
                        String id = "upload-" + uploadIds.incrementAndGet();
                        uploads.put(id, new TreeMap<>());
                        xml(ex, 200, "<InitiateMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + key
                                + "</Key><UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>");
                    } else {
                        Map<Integer, byte[]> parts = uploads.remove(q.get("uploadId"));
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        parts.values().forEach(all::writeBytes);
                        objects.put(key, all.toByteArray());
                        xml(ex, 200, "<CompleteMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + key
                                + "</Key><ETag>\"x-" + parts.size() + "\"</ETag></CompleteMultipartUploadResult>");
                    }
                }
                case "DELETE" -> {
                    if (q.containsKey("uploadId")) {
                        uploads.remove(q.get("uploadId"));
                    } else {
                        objects.remove(key);
                    }
                    ex.sendResponseHeaders(204, -1);
                }
                case "HEAD" -> {
                    byte[] o = objects.get(key);
                    if (o == null) {
                        ex.sendResponseHeaders(404, -1);
                    } else {
                        ex.getResponseHeaders().add("Content-Length", String.valueOf(o.length));
                        ex.sendResponseHeaders(200, -1);
                    }
                }
                case "GET" -> {
                    byte[] o = objects.get(key);
                    if (o == null) {
                        error(ex, 404, "NoSuchKey");
                        return;
                    }
                    String range = ex.getRequestHeaders().getFirst("Range");
                    if (range == null) {
                        ex.sendResponseHeaders(200, o.length);
                        ex.getResponseBody().write(o);
                    } else {
                        String[] ab = range.substring("bytes=".length()).split("-", -1);
                        int a = Integer.parseInt(ab[0]);
                        int b = ab[1].isEmpty() ? o.length - 1 : Math.min(Integer.parseInt(ab[1]), o.length - 1);
                        ex.getResponseHeaders().add("Content-Range", "bytes " + a + "-" + b + "/" + o.length);
                        ex.sendResponseHeaders(206, b - a + 1);
                        ex.getResponseBody().write(Arrays.copyOfRange(o, a, b + 1));
                    }
                }
                default -> ex.sendResponseHeaders(405, -1);
            }
        }
    }

    /** The request body, with aws-chunked (SigV4 streaming) framing removed. */
    private static byte[] body(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        String sha = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.contains("aws-chunked"));
        if (!chunked) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(raw);
        while (true) {
            String line = line(in);
            int size = Integer.parseInt(line.split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static Map<String, String> query(String query) {
        Map<String, String> q = new TreeMap<>();
        for (String p : query.split("&")) {
            if (!p.isEmpty()) {
                int eq = p.indexOf('=');
                q.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
            }
        }
        return q;
    }

    private static void xml(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void error(HttpExchange ex, int status, String code) throws IOException {
        xml(ex, status, "<Error><Code>" + code + "</Code><Message>" + code + "</Message></Error>");
    }
}
