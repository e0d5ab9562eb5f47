package dev.trainyard.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The platform's REST API as a CI script uses it: JSON over HTTP with a bearer token. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status, content type and body. */
    record Response(String method, String path, int status, String contentType, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " answered " + status + " with a body that is not JSON: "
                        + text(), e);
            }
        }

        /** The JSON body, after checking the status is the one expected. */
        JsonNode expect(int expected) {
            if (status != expected) {
                throw new AssertionError(method + " " + path + ": expected " + expected + " but got " + status + ": " + text());
            }
            return json();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    Api(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    String token() {
        return token;
    }

    Response get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    Response post(String path, Object body) {
        return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(bytes(body)), "application/json");
    }

    Response put(String path, Object body) {
        return send("PUT", path, HttpRequest.BodyPublishers.ofByteArray(bytes(body)), "application/json");
    }

    Response delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** Sends a file as the request body (application/octet-stream), as dataset uploads take it. */
    Response postBytes(String path, byte[] body) {
        return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), "application/octet-stream");
    }

    JsonNode getJson(String path) {
        return get(path).expect(200);
    }

    private static byte[] bytes(Object body) {
        try {
            return body == null ? new byte[0] : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(method, path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }
}
