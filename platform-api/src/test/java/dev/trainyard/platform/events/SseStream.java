package dev.trainyard.platform.events;

import dev.trainyard.platform.testing.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A real Server-Sent Events client for the tests: a GET with {@code Accept: text/event-stream} over
 * java.net.http, its body read line by line on a background thread and parsed into events (RFC 8895 framing:
 * {@code event:}, {@code data:} lines, a blank line ends an event, {@code :} lines are comments).
 */
public final class SseStream implements AutoCloseable {

    public record Event(String name, String data) {

        public JsonNode json() {
            return Api.JSON.readTree(data);
        }

        @Override
        public String toString() {
            return name + " " + data;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new ArrayList<>();
    private final Thread reader;
    private final String errorBody;

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            this.errorBody = null;
            this.reader = Thread.ofVirtual().start(this::read);
        } else {
            try (Stream<String> lines = response.body()) {
                this.errorBody = String.join("\n", lines.toList());
            }
            this.reader = null;
        }
    }

    /** Opens the stream; the response status and headers are available at once. */
    public static SseStream open(Api api, String path, String token) {
        return open(api, path, java.util.Map.of("Authorization", "Bearer " + token));
    }

    /** Opens the stream with the given headers instead of a bearer token (a session cookie, as a browser sends). */
    public static SseStream open(Api api, String path, java.util.Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(api.uri(path)).header("Accept", "text/event-stream");
        headers.forEach(builder::header);
        HttpRequest request = builder.GET().build();
        try {
            return new SseStream(HTTP.send(request, HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse(null);
    }

    /** The body of a response that is not a stream (an error), as an {@link Api.Response}. */
    public Api.Response error() {
        return new Api.Response(response.statusCode(), response.headers(), errorBody);
    }

    private void read() {
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0 || name != null) {
                        events.add(new Event(name == null ? "message" : name, data.toString()));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    synchronized (comments) {
                        comments.add(line);
                    }
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // closed
        }
    }

    /** The next event, waiting up to the timeout; fails when none comes. */
    public Event next(Duration timeout) {
        try {
            Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + timeout);
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips events until one matches, waiting up to the timeout in all; returns it. */
    public Event await(Duration timeout, Predicate<Event> match) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; saw " + skipped);
            }
            if (match.test(e)) {
                return e;
            }
            skipped.add(e);
        }
    }

    /** The events received so far and not yet taken. */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Waits up to the timeout for the server to end the stream; returns whether it did. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return reader != null && reader.join(timeout);
    }

    public List<String> comments() {
        synchronized (comments) {
            return List.copyOf(comments);
        }
    }

    @Override
    public void close() {
        if (reader == null) {
            return;
        }
        reader.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }
}
