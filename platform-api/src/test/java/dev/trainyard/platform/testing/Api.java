package dev.trainyard.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the tests: real requests to the running server, responses as status, headers and JSON. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Api(int port) {
        this.base = "http://localhost:" + port;
    }

    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, token, Map.of(), null);
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, Map.of(), body);
    }

    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, Map.of(), body);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, Map.of(), null);
    }

    /** {@code body} is sent as is if it is a String, else as JSON; JSON content type unless headers say otherwise. */
    public Response send(String method, String path, String token, Map<String, String> headers, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        return send(b.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            ObservedStatuses.record(request.method(), request.uri().getRawPath(), r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(""));
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Percent-encodes the characters java.net.URI refuses, so tests can write {@code ?param.lr<0.01}. */
    public URI uri(String path) {
        return URI.create(base + path.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20"));
    }

    public String base() {
        return base;
    }
}
