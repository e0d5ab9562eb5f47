package dev.trainyard.platform.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON payloads {@link RunEventRelay} sends with NOTIFY, which must stay under PostgreSQL's 8000 bytes. A status
 * change is one payload. A metrics event (the per-key summary) is split by keys, the point count riding on the first
 * part; receivers merge the parts as they merge any two batches. A log batch is split by lines; a line too long
 * for a payload of its own is sent as a "fetch" marker naming its seq, and receivers read it from {@code run_logs}.
 */
final class RelayPayloads {

    /** PostgreSQL refuses payloads of 8000 bytes or more; this leaves room for rounding in the estimates. */
    static final int MAX_BYTES = 7_900;

    /**
     * One payload: exactly one of the events is set.
     *
     * @param origin the instance that sent it (it delivered the event to its own streams already)
     * @param n the sender's sequence number, which also keeps PostgreSQL from folding identical payloads of one
     *     transaction into one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Relayed(String origin, long n, RunStatusChanged status, MetricsAppended metrics, LogsAppended logs,
            LogsToFetch fetch) {}

    /** Log lines to read from the database: they were too long to send. */
    record LogsToFetch(long projectId, Long experimentId, long runId, int attempt, List<Long> seqs) {}

    private final JsonMapper json;
    private final String origin;
    private long n;

    RelayPayloads(JsonMapper json, String origin) {
        this.json = json;
        this.origin = origin;
    }

    Relayed decode(String payload) {
        return json.readValue(payload, Relayed.class);
    }

    synchronized List<String> encode(RunStatusChanged e) {
        return List.of(write(new Relayed(origin, ++n, e, null, null, null)));
    }

    synchronized List<String> encode(MetricsAppended e) {
        List<String> out = new ArrayList<>();
        for (List<MetricsAppended.KeyState> part : split(e.keys(),
                keys -> new Relayed(origin, Long.MAX_VALUE, null, new MetricsAppended(e.projectId(), e.experimentId(),
                        e.runId(), e.points(), keys), null, null))) {
            int points = out.isEmpty() ? e.points() : 0;
            out.add(write(new Relayed(origin, ++n, null, new MetricsAppended(e.projectId(), e.experimentId(),
                    e.runId(), points, part), null, null)));
        }
        return out;
    }

    synchronized List<String> encode(LogsAppended e) {
        Function<List<LogLine>, Relayed> envelope = lines -> new Relayed(origin, Long.MAX_VALUE, null, null,
                new LogsAppended(e.projectId(), e.experimentId(), e.runId(), e.attempt(), lines), null);
        int base = bytes(envelope.apply(List.of()));
        List<LogLine> fitting = new ArrayList<>();
        List<Long> tooLong = new ArrayList<>();
        for (LogLine line : e.lines()) {
            if (base + bytes(line) + 1 > MAX_BYTES) {
                tooLong.add(line.seq());
            } else {
                fitting.add(line);
            }
        }
        List<String> out = new ArrayList<>();
        for (List<LogLine> part : split(fitting, envelope)) {
            out.add(write(new Relayed(origin, ++n, null, null,
                    new LogsAppended(e.projectId(), e.experimentId(), e.runId(), e.attempt(), part), null)));
        }
        for (List<Long> part : split(tooLong, seqs -> new Relayed(origin, Long.MAX_VALUE, null, null, null,
                new LogsToFetch(e.projectId(), e.experimentId(), e.runId(), e.attempt(), seqs)))) {
            out.add(write(new Relayed(origin, ++n, null, null, null,
                    new LogsToFetch(e.projectId(), e.experimentId(), e.runId(), e.attempt(), part))));
        }
        return out;
    }

    /**
     * Splits the items into lists whose payloads stay under {@link #MAX_BYTES}: the payload of no items, plus each
     * item's JSON and a comma. Every item is assumed to fit alone.
     */
    private <T> List<List<T>> split(List<T> items, Function<List<T>, Relayed> envelope) {
        int base = bytes(envelope.apply(List.of()));
        ToIntFunction<T> size = this::bytes;
        List<List<T>> parts = new ArrayList<>();
        List<T> part = new ArrayList<>();
        int used = base;
        for (T item : items) {
            int b = size.applyAsInt(item) + 1;
            if (!part.isEmpty() && used + b > MAX_BYTES) {
                parts.add(part);
                part = new ArrayList<>();
                used = base;
            }
            part.add(item);
            used += b;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    private String write(Relayed r) {
        String payload = json.writeValueAsString(r);
        if (payload.getBytes(StandardCharsets.UTF_8).length >= 8_000) {
            throw new IllegalStateException("a relayed event's payload has " + payload.length()
                    + " characters, more than NOTIFY takes: " + payload.substring(0, 200));
        }
        return payload;
    }

    private int bytes(Object value) {
        return json.writeValueAsBytes(value).length;
    }
}
