package dev.trainyard.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.events.SseStream;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Run logs: append, read with a cursor, idempotency, attempts, follow over SSE. */
class LogsTest extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestUser alice;
    private long project;
    private long run;
    private String logs;

    @BeforeEach
    void run() {
        alice = newUser("alice");
        project = newProject(alice);
        run = submitRun(project, alice, runBody()).get("id").longValue();
        logs = "/api/v1/projects/" + project + "/runs/" + run + "/logs";
    }

    private static Map<String, Object> line(long seq, String text) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("seq", seq);
        l.put("text", text);
        return l;
    }

    private static List<Map<String, Object>> lines(long from, long to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(line(s, "line " + s));
        }
        return out;
    }

    private JsonNode append(List<Map<String, Object>> lines) {
        Api.Response r = api.post(logs, alice.token(), Map.of("lines", lines));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void linesAreAppendedAndReadInOrderWithACursor() {
        JsonNode first = append(lines(1, 2_500));
        assertThat(first.get("inserted").intValue()).isEqualTo(2_500);
        assertThat(first.get("attempt").intValue()).isZero();
        assertThat(first.get("lastSeq").longValue()).isEqualTo(2_500);

        JsonNode page = api.get(logs, alice.token()).json();
        assertThat(page.get("items")).hasSize(1_000);
        assertThat(page.get("items").get(0).get("text").stringValue()).isEqualTo("line 1");
        assertThat(page.get("items").get(0).get("stream").stringValue()).isEqualTo("stdout");
        assertThat(page.get("more").booleanValue()).isTrue();
        long cursor = page.get("lastSeq").longValue();
        assertThat(cursor).isEqualTo(1_000);

        List<Long> seen = new ArrayList<>();
        page.get("items").forEach(l -> seen.add(l.get("seq").longValue()));
        while (page.get("more").booleanValue()) {
            page = api.get(logs + "?after=" + cursor + "&limit=700", alice.token()).json();
            page.get("items").forEach(l -> seen.add(l.get("seq").longValue()));
            cursor = page.get("lastSeq").longValue();
        }
        assertThat(seen).hasSize(2_500).isSorted().doesNotHaveDuplicates();

        // tailing: nothing new yet, then the new lines
        JsonNode empty = api.get(logs + "?after=" + cursor, alice.token()).json();
        assertThat(empty.get("items")).isEmpty();
        assertThat(empty.get("lastSeq").longValue()).isEqualTo(cursor);
        append(lines(2_501, 2_503));
        assertThat(api.get(logs + "?after=" + cursor, alice.token()).json().get("items"))
                .extracting(l -> l.get("seq").longValue()).containsExactly(2_501L, 2_502L, 2_503L);
        assertThat(api.get(logs + "?tail=2", alice.token()).json().get("items"))
                .extracting(l -> l.get("text").stringValue()).containsExactly("line 2502", "line 2503");
    }

    @Test
    void aRetriedBatchStoresNothingTwiceAndTheFirstLineWins() {
        append(lines(1, 10));
        JsonNode again = append(lines(1, 10));
        assertThat(again.get("inserted").intValue()).isZero();
        assertThat(again.get("duplicates").intValue()).isEqualTo(10);
        List<Map<String, Object>> mixed = new ArrayList<>(lines(9, 12));
        mixed.set(0, line(9, "changed"));
        mixed.add(line(12, "repeated in the batch"));
        JsonNode third = append(mixed);
        assertThat(third.get("inserted").intValue()).isEqualTo(2);
        JsonNode page = api.get(logs, alice.token()).json();
        assertThat(page.get("items")).hasSize(12);
        assertThat(page.get("items").get(8).get("text").stringValue()).isEqualTo("line 9");
        assertThat(page.get("items").get(11).get("text").stringValue()).isEqualTo("line 12");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM run_logs WHERE run_id = ?").param(run).query(Long.class).single())
                .isEqualTo(12);
    }

    @Test
    void fieldsAreKeptAndChecked() {
        Map<String, Object> err = line(1, "Traceback (most recent call last):\twith a tab and a \u0000 NUL");
        err.put("stream", "stderr");
        err.put("time", "2026-03-01T12:00:00.5Z");
        append(List.of(err));
        JsonNode l = api.get(logs, alice.token()).json().get("items").get(0);
        assertThat(l.get("stream").stringValue()).isEqualTo("stderr");
        assertThat(l.get("time").stringValue()).isEqualTo("2026-03-01T12:00:00.500Z");
        assertThat(l.get("text").stringValue()).isEqualTo("Traceback (most recent call last):\twith a tab and a \uFFFD NUL");

        List<Object> bad = new ArrayList<>();
        bad.add(line(-1, "negative"));
        bad.add(Map.of("text", "no seq"));
        bad.add(Map.of("seq", 3));
        Map<String, Object> badStream = line(4, "x");
        badStream.put("stream", "STDOUT!");
        bad.add(badStream);
        bad.add(line(5, "x".repeat(16_385)));
        JsonNode problem = assertProblem(api.post(logs, alice.token(), Map.of("lines", bad)), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactly("/lines/0/seq", "/lines/1/seq", "/lines/2/text", "/lines/3/stream", "/lines/4/text");
        assertProblem(api.post(logs, alice.token(), Map.of()), 400);
        assertProblem(api.post(logs, alice.token(), Map.of("lines", List.of(Map.of("seq", 1, "text", "a",
                "colour", "red")))), 400);

        JsonNode tooMany = assertProblem(api.post(logs, alice.token(), Map.of("lines", lines(1, 5_001))), 413);
        assertThat(tooMany.get("detail").stringValue()).contains("at most 5000 lines");
        assertProblem(api.get(logs + "?after=1&tail=3", alice.token()), 400);
        assertProblem(api.get(logs + "?limit=0", alice.token()), 400);
    }

    @Test
    void attemptsKeepTheirOwnLines() {
        append(lines(1, 3));
        // a worker's write names its attempt: refused while the attempt does not hold the run
        Api.Response fenced = api.send("POST", logs, alice.token(), Map.of("X-Run-Attempt", "2", "X-Worker-Id", "w"),
                Map.of("lines", lines(1, 3)));
        assertProblem(fenced, 409);
        // attempt 2 numbering from 1 again does not collide with attempt 0 (written as the scheduler would)
        jdbc.sql("INSERT INTO run_logs (run_id, attempt, seq, logged_at, stream, line)"
                + " VALUES (?, 2, 1, CURRENT_TIMESTAMP, 'stdout', 'attempt two')").params(run).update();
        JsonNode latest = api.get(logs, alice.token()).json();
        assertThat(latest.get("attempt").intValue()).isEqualTo(2);
        assertThat(latest.get("items")).extracting(l -> l.get("text").stringValue()).containsExactly("attempt two");
        assertThat(api.get(logs + "?attempt=0", alice.token()).json().get("items")).hasSize(3);
    }

    @Test
    void rolesAreChecked() {
        TestUser viewer = newUser("viewer");
        addMember(project, alice, viewer, "viewer");
        assertProblem(api.post(logs, viewer.token(), Map.of("lines", lines(1, 1))), 403);
        assertThat(api.get(logs, viewer.token()).status()).isEqualTo(200);
        TestUser outsider = newUser("outsider");
        assertProblem(api.get(logs, outsider.token()), 404);
        assertProblem(api.post(logs, outsider.token(), Map.of("lines", lines(1, 1))), 404);
        assertProblem(api.get("/api/v1/projects/" + project + "/runs/999999999/logs", alice.token()), 404);
        try (SseStream stream = SseStream.open(api, logs + "/follow", outsider.token())) {
            assertProblem(stream.error(), 404);
        }
    }

    @Test
    void followReplaysTheBacklogThenSendsNewLinesOnce() {
        append(lines(1, 2_345));
        try (SseStream stream = SseStream.open(api, logs + "/follow?after=100", alice.token())) {
            assertThat(stream.status()).isEqualTo(200);
            JsonNode snapshot = stream.next(WAIT).json();
            assertThat(snapshot.get("attempt").intValue()).isZero();
            assertThat(snapshot.get("run").get("status").stringValue()).isEqualTo("QUEUED");
            List<Long> seqs = new ArrayList<>();
            while (seqs.size() < 2_245) {
                JsonNode e = stream.await(WAIT, ev -> ev.name().equals("logs")).json();
                e.get("lines").forEach(l -> seqs.add(l.get("seq").longValue()));
            }
            append(lines(2_340, 2_350)); // five old lines again, five new
            while (seqs.size() < 2_250) {
                JsonNode e = stream.await(WAIT, ev -> ev.name().equals("logs")).json();
                e.get("lines").forEach(l -> seqs.add(l.get("seq").longValue()));
            }
            assertThat(seqs).hasSize(2_250).isSorted().doesNotHaveDuplicates();
            assertThat(seqs.getFirst()).isEqualTo(101);
            assertThat(seqs.getLast()).isEqualTo(2_350);

            api.post("/api/v1/projects/" + project + "/runs/" + run + "/cancel", alice.token(), null);
            assertThat(stream.await(WAIT, ev -> ev.name().equals("status")).json().get("to").stringValue())
                    .isEqualTo("CANCELLED");
        }
        // without a cursor, a follow starts with the last 100 lines
        try (SseStream stream = SseStream.open(api, logs + "/follow", alice.token())) {
            stream.next(WAIT);
            JsonNode e = stream.await(WAIT, ev -> ev.name().equals("logs")).json();
            assertThat(e.get("lines")).hasSize(100);
            assertThat(e.get("lines").get(0).get("seq").longValue()).isEqualTo(2_251);
        }
    }
}
