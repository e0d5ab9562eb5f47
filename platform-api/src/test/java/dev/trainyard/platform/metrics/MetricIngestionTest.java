package dev.trainyard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST .../runs/{runId}/metrics: what is stored, what is refused, and who may. */
class MetricIngestionTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private long run;
    private String metrics;

    @BeforeEach
    void run() {
        alice = newUser("alice");
        project = newProject(alice);
        run = submitRun(project, alice, runBody()).get("id").longValue();
        metrics = "/api/v1/projects/" + project + "/runs/" + run + "/metrics";
    }

    static Map<String, Object> point(String key, Object step, Object value) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("key", key);
        p.put("step", step);
        p.put("value", value);
        return p;
    }

    static Map<String, Object> batch(List<Map<String, Object>> points) {
        return Map.of("points", points);
    }

    private long storedPoints(long runId) {
        return jdbc.sql("SELECT COUNT(*) FROM metric_points WHERE run_id = ?").param(runId).query(Long.class).single();
    }

    @Test
    void aBatchIsStoredAndSummarised() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < 100; step++) {
            points.add(point("train/loss", step, 1.0 / (step + 1)));
            points.add(point("train/acc", step, step / 100.0));
        }
        points.add(point("test/acc", 99, 0.91));
        Api.Response r = api.post(metrics, alice.token(), batch(points));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("received").intValue()).isEqualTo(201);
        assertThat(r.json().get("inserted").intValue()).isEqualTo(201);
        assertThat(r.json().get("duplicates").intValue()).isZero();
        assertThat(storedPoints(run)).isEqualTo(201);

        JsonNode summaries = api.get(metrics, alice.token()).json().get("items");
        assertThat(summaries).extracting(s -> s.get("key").stringValue())
                .containsExactlyInAnyOrder("train/loss", "train/acc", "test/acc");
        JsonNode loss = find(summaries, "train/loss");
        assertThat(loss.get("last").doubleValue()).isEqualTo(0.01);
        assertThat(loss.get("step").longValue()).isEqualTo(99);
        assertThat(loss.get("min").doubleValue()).isEqualTo(0.01);
        assertThat(loss.get("max").doubleValue()).isEqualTo(1.0);

        // the run itself and the run list see the summaries (metric filters and sorts read them)
        JsonNode got = api.get("/api/v1/projects/" + project + "/runs/" + run, alice.token()).json();
        assertThat(got.get("metrics").get("test/acc").get("last").doubleValue()).isEqualTo(0.91);
        JsonNode list = api.get("/api/v1/projects/" + project + "/runs?metric.test/acc>0.9", alice.token()).json();
        assertThat(list.get("items")).extracting(i -> i.get("id").longValue()).containsExactly(run);
    }

    @Test
    void laterBatchesMoveTheSummaryAndOutOfOrderOnesDoNotMoveLast() {
        api.post(metrics, alice.token(), batch(List.of(point("loss", 10, 5.0), point("loss", 20, 3.0))));
        api.post(metrics, alice.token(), batch(List.of(point("loss", 30, 4.0))));
        // a backfill of earlier steps: a new minimum and maximum, but the latest step stays 30
        api.post(metrics, alice.token(), batch(List.of(point("loss", 5, 9.0), point("loss", 15, 1.0))));
        JsonNode loss = find(api.get(metrics, alice.token()).json().get("items"), "loss");
        assertThat(loss.get("last").doubleValue()).isEqualTo(4.0);
        assertThat(loss.get("step").longValue()).isEqualTo(30);
        assertThat(loss.get("min").doubleValue()).isEqualTo(1.0);
        assertThat(loss.get("max").doubleValue()).isEqualTo(9.0);
    }

    @Test
    void aRetriedBatchStoresNothingTwice() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < 500; step++) {
            points.add(point("loss", step, Math.sin(step)));
        }
        assertThat(api.post(metrics, alice.token(), batch(points)).json().get("inserted").intValue()).isEqualTo(500);
        JsonNode before = api.get(metrics, alice.token()).json();
        Object rollups = jdbc.sql("SELECT SUM(point_count) FROM metric_rollups WHERE run_id = ?").param(run)
                .query(Long.class).single();

        JsonNode again = api.post(metrics, alice.token(), batch(points)).json();
        assertThat(again.get("inserted").intValue()).isZero();
        assertThat(again.get("duplicates").intValue()).isEqualTo(500);
        assertThat(storedPoints(run)).isEqualTo(500);
        assertThat(jdbc.sql("SELECT SUM(point_count) FROM metric_rollups WHERE run_id = ?").param(run)
                .query(Long.class).single()).isEqualTo(rollups);

        // overlapping: half old, half new; and a step repeated within the batch keeps its first value
        List<Map<String, Object>> overlap = new ArrayList<>(points.subList(250, 500));
        overlap.add(point("loss", 500, 42.0));
        overlap.add(point("loss", 500, -42.0));
        JsonNode third = api.post(metrics, alice.token(), batch(overlap)).json();
        assertThat(third.get("inserted").intValue()).isEqualTo(1);
        assertThat(third.get("duplicates").intValue()).isEqualTo(251);
        assertThat(jdbc.sql("SELECT num_value FROM metric_points WHERE run_id = ? AND step = 500").param(run)
                .query(Double.class).single()).isEqualTo(42.0);
        JsonNode loss = find(api.get(metrics, alice.token()).json().get("items"), "loss");
        assertThat(loss.get("last").doubleValue()).isEqualTo(42.0);
        assertThat(loss.get("max").doubleValue()).isEqualTo(42.0);
        assertThat(before.get("items").get(0).get("min")).isEqualTo(loss.get("min"));
    }

    @Test
    void concurrentCopiesOfOneBatchStoreItOnce() throws Exception {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < 5_000; step++) {
            points.add(point("k" + step % 5, step, step * 0.5));
        }
        List<Thread> threads = new ArrayList<>();
        List<Integer> inserted = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                Api.Response r = api.post(metrics, alice.token(), batch(points));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                inserted.add(r.json().get("inserted").intValue());
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(inserted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5_000);
        assertThat(storedPoints(run)).isEqualTo(5_000);
        assertThat(jdbc.sql("SELECT SUM(point_count) FROM metric_rollups WHERE run_id = ? AND bucket_width = 16")
                .param(run).query(Long.class).single()).isEqualTo(5_000);
    }

    @Test
    void concurrentOverlappingBatchesAboveWhatIsStoredStoreEachStepOnce() throws Exception {
        // the first batch tells the writer how far the series goes; the next ones all start beyond it (the cheap
        // plain-insert path) and overlap each other, so all but one fall back on a unique violation
        api.post(metrics, alice.token(), batch(List.of(point("loss", 0, 0.0))));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int from = 1 + t * 500;
            threads.add(Thread.ofVirtual().start(() -> {
                List<Map<String, Object>> points = new ArrayList<>();
                for (int step = from; step < from + 1_000; step++) {
                    points.add(point("loss", step, (double) step));
                }
                Api.Response r = api.post(metrics, alice.token(), batch(points));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(storedPoints(run)).isEqualTo(1 + 2_500);
        assertThat(jdbc.sql("SELECT SUM(point_count) FROM metric_rollups WHERE run_id = ? AND bucket_width = 16")
                .param(run).query(Long.class).single()).isEqualTo(2_501);
        JsonNode loss = find(api.get(metrics, alice.token()).json().get("items"), "loss");
        assertThat(loss.get("step").longValue()).isEqualTo(2_500);
        assertThat(loss.get("last").doubleValue()).isEqualTo(2_500.0);
    }

    @Test
    void nanAndInfinitiesAreStoredAndComeBackAsStrings() {
        List<Map<String, Object>> points = List.of(point("x", 1, 1.5), point("x", 2, "NaN"), point("x", 3, "Infinity"),
                point("x", 4, "-Infinity"), point("x", 5, "NaN"), point("y", 1, "NaN"));
        assertThat(api.post(metrics, alice.token(), batch(points)).json().get("inserted").intValue()).isEqualTo(6);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metric_points WHERE run_id = ? AND num_value = 'NaN'").param(run)
                .query(Long.class).single()).isEqualTo(3);

        JsonNode series = api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + run + "&keys=x,y",
                alice.token()).json().get("series");
        JsonNode x = series.get(0);
        assertThat(x.get("points")).extracting(p -> p.get("value").toString())
                .containsExactly("1.5", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"NaN\"");
        // min and max leave NaN out; last is what it is
        JsonNode summaries = api.get(metrics, alice.token()).json().get("items");
        JsonNode sx = find(summaries, "x");
        assertThat(sx.get("min").stringValue()).isEqualTo("-Infinity");
        assertThat(sx.get("max").stringValue()).isEqualTo("Infinity");
        assertThat(sx.get("last").stringValue()).isEqualTo("NaN");
        JsonNode sy = find(summaries, "y");
        assertThat(sy.get("min").stringValue()).isEqualTo("NaN");
        assertThat(sy.get("max").stringValue()).isEqualTo("NaN");
        // and a later number becomes y's min and max
        api.post(metrics, alice.token(), batch(List.of(point("y", 2, 7.0))));
        sy = find(api.get(metrics, alice.token()).json().get("items"), "y");
        assertThat(sy.get("min").doubleValue()).isEqualTo(7.0);
        assertThat(sy.get("max").doubleValue()).isEqualTo(7.0);
    }

    @Test
    void timesAreKeptAsGivenOrDefaultToNow() {
        Map<String, Object> a = point("t", 1, 1);
        a.put("time", "2026-03-01T12:00:00.123456Z");
        Map<String, Object> b = point("t", 2, 2);
        b.put("time", 1767225600.5); // epoch seconds
        Map<String, Object> c = point("t", 3, 3);
        api.post(metrics, alice.token(), batch(List.of(a, b, c)));
        JsonNode points = api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + run + "&keys=t",
                alice.token()).json().get("series").get(0).get("points");
        assertThat(points.get(0).get("time").stringValue()).isEqualTo("2026-03-01T12:00:00.123456Z");
        assertThat(points.get(1).get("time").stringValue()).isEqualTo("2026-01-01T00:00:00.500Z");
        assertThat(java.time.Instant.parse(points.get(2).get("time").stringValue()))
                .isAfter(java.time.Instant.now().minusSeconds(60));
    }

    @Test
    void moreThanTenThousandPointsIs413NamingTheLimit() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step <= 10_000; step++) {
            points.add(point("loss", step, 1));
        }
        JsonNode problem = assertProblem(api.post(metrics, alice.token(), batch(points)), 413);
        assertThat(problem.get("detail").stringValue()).contains("at most 10000 points").contains("10001");
        assertThat(problem.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/points");
        assertThat(storedPoints(run)).isZero();

        // exactly 10,000, with long keys (a body well over the default 1 MB limit), is fine
        String longKey = "k".repeat(150) + "/";
        points.removeLast();
        List<Map<String, Object>> big = new ArrayList<>();
        for (Map<String, Object> p : points) {
            Map<String, Object> q = new LinkedHashMap<>(p);
            q.put("key", longKey + ((Integer) p.get("step") % 10));
            q.put("time", "2026-03-01T12:00:00.123456Z");
            big.add(q);
        }
        Api.Response ok = api.post(metrics, alice.token(), batch(big));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("inserted").intValue()).isEqualTo(10_000);
    }

    @Test
    void badPointsAre400NamingEachAndNothingIsStored() {
        List<Object> points = new ArrayList<>();
        points.add(point("ok", 1, 1.0));
        points.add(point("ok", 2, "lots"));                    // not a number
        points.add(point("ok", -1, 1.0));                      // negative step
        points.add(point("bad key!", 3, 1.0));                 // key pattern
        Map<String, Object> noValue = new LinkedHashMap<>();
        noValue.put("key", "ok");
        noValue.put("step", 4);
        points.add(noValue);                                   // value missing
        Map<String, Object> extra = point("ok", 5, 1.0);
        extra.put("colour", "red");
        points.add(extra);                                     // unknown field
        points.add(point("ok", 6, true));                      // a boolean
        points.add("not a point");
        Map<String, Object> badTime = point("ok", 7, 1.0);
        badTime.put("time", "yesterday");
        points.add(badTime);
        points.add(point("ok", 1.5, 1.0));                     // fractional step
        JsonNode problem = assertProblem(api.post(metrics, alice.token(), Map.of("points", points)), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue()).containsExactly(
                "/points/1/value", "/points/2/step", "/points/3/key", "/points/4/value", "/points/5/colour",
                "/points/6/value", "/points/7", "/points/8/time", "/points/9/step");
        assertThat(problem.get("detail").stringValue()).startsWith("/points/1/value: a value is a number")
                .endsWith("(and 8 more)");
        assertThat(problem.get("errors").get(1).get("rejectedValue").stringValue()).isEqualTo("-1");
        assertThat(storedPoints(run)).isZero();

        assertProblem(api.post(metrics, alice.token(), Map.of("points", "nope")), 400);
        assertProblem(api.post(metrics, alice.token(), Map.of("dots", List.of())), 400);
        assertProblem(api.post(metrics, alice.token(), "{\"points\": [ "), 400);
        assertProblem(api.post(metrics, alice.token(), point("ok", 1, (Object) 1)), 400);
        // an empty batch is fine
        assertThat(api.post(metrics, alice.token(), batch(List.of())).json().get("inserted").intValue()).isZero();
    }

    @Test
    void unknownRunsAre404AndRolesAreChecked() {
        Map<String, Object> body = batch(List.of(point("loss", 1, 1.0)));
        JsonNode problem = assertProblem(api.post("/api/v1/projects/" + project + "/runs/999999999/metrics",
                alice.token(), body), 404);
        assertThat(problem.get("detail").stringValue()).contains("no run 999999999");

        TestUser viewer = newUser("viewer");
        addMember(project, alice, viewer, "viewer");
        assertProblem(api.post(metrics, viewer.token(), body), 403);
        assertThat(api.get(metrics, viewer.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + run + "&keys=loss",
                viewer.token()).status()).isEqualTo(200);

        TestUser outsider = newUser("outsider");
        assertProblem(api.post(metrics, outsider.token(), body), 404);
        assertProblem(api.get(metrics, outsider.token()), 404);
        assertProblem(api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + run + "&keys=loss",
                outsider.token()), 404);
        assertProblem(api.get("/api/v1/projects/" + project + "/metrics/summaries?runs=" + run,
                outsider.token()), 404);

        // a run of another project is not found through this one
        long other = newProject(alice);
        long otherRun = submitRun(other, alice, runBody()).get("id").longValue();
        assertProblem(api.post("/api/v1/projects/" + project + "/runs/" + otherRun + "/metrics", alice.token(), body),
                404);

        // a read-scope token cannot write even as admin
        TestUser reader = newUser("reader", Scope.READ);
        addMember(project, alice, reader, "editor");
        assertProblem(api.post(metrics, reader.token(), body), 403);
        assertProblem(api.post(metrics, null, body), 401);
        assertThat(storedPoints(run)).isZero();
    }

    @Test
    void aWriteNamingAnAttemptThatDoesNotHoldTheRunIs409() {
        Api.Response r = api.send("POST", metrics, alice.token(), Map.of("X-Run-Attempt", "1", "X-Worker-Id", "w-1"),
                batch(List.of(point("loss", 1, 1.0))));
        JsonNode problem = assertProblem(r, 409);
        assertThat(problem.get("detail").stringValue()).contains("run " + run).contains("attempt 1");
        // the attempt alone is not enough to fence a write
        assertProblem(api.send("POST", metrics, alice.token(), Map.of("X-Run-Attempt", "1"),
                batch(List.of(point("loss", 1, 1.0)))), 400);
        assertThat(storedPoints(run)).isZero();
    }

    @Test
    void thousandsOfKeysPerProjectAreInternedAndListed() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int k = 0; k < 3_000; k++) {
            points.add(point(String.format("layer%04d/grad_norm", k), 1, k));
            points.add(point(String.format("layer%04d/grad_norm", k), 2, k + 1));
        }
        assertThat(api.post(metrics, alice.token(), batch(points)).json().get("inserted").intValue())
                .isEqualTo(6_000);
        long run2 = submitRun(project, alice, runBody()).get("id").longValue();
        api.post("/api/v1/projects/" + project + "/runs/" + run2 + "/metrics", alice.token(),
                batch(points.subList(0, 2_000)));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metric_keys WHERE project_id = ?").param(project)
                .query(Long.class).single()).isEqualTo(3_000);
        assertThat(api.get(metrics, alice.token()).json().get("items")).hasSize(3_000);

        String keys = "/api/v1/projects/" + project + "/metrics/keys";
        JsonNode page = api.get(keys + "?limit=1000", alice.token()).json();
        assertThat(page.get("items")).hasSize(1000);
        assertThat(page.get("items").get(0).stringValue()).isEqualTo("layer0000/grad_norm");
        JsonNode next = api.get(keys + "?limit=1000&cursor=" + page.get("nextCursor").stringValue(), alice.token())
                .json();
        assertThat(next.get("items").get(0).stringValue()).isEqualTo("layer1000/grad_norm");
        assertThat(api.get(keys + "?prefix=layer29", alice.token()).json().get("items")).hasSize(100);
        assertThat(api.get(keys + "?prefix=layer2999", alice.token()).json().get("items"))
                .extracting(JsonNode::stringValue).containsExactly("layer2999/grad_norm");
        // q finds the names containing it, ignoring case, in order and paged
        List<String> containing = new ArrayList<>();
        for (int k = 99; k < 3_000; k += 100) {
            containing.add(String.format("layer%04d/grad_norm", k));
        }
        JsonNode found = api.get(keys + "?q=99/GRAD&limit=20", alice.token()).json();
        assertThat(found.get("items")).extracting(JsonNode::stringValue).isEqualTo(containing.subList(0, 20));
        assertThat(api.get(keys + "?q=99/GRAD&limit=20&cursor=" + found.get("nextCursor").stringValue(),
                alice.token()).json().get("items")).extracting(JsonNode::stringValue)
                .isEqualTo(containing.subList(20, 30));
        assertThat(api.get(keys + "?q=NORM&prefix=layer29", alice.token()).json().get("items")).hasSize(100);
        assertProblem(api.get(keys + "?q=" + "x".repeat(201), alice.token()), 400);
    }

    @Test
    void deletedRunsLoseTheirPointsToTheJanitor() {
        api.post(metrics, alice.token(), batch(List.of(point("loss", 1, 1.0), point("loss", 2, 0.5))));
        api.post("/api/v1/projects/" + project + "/runs/" + run + "/cancel", alice.token(), null);
        assertThat(api.delete("/api/v1/projects/" + project + "/runs/" + run, alice.token()).status()).isEqualTo(204);
        janitor.sweep();
        assertThat(storedPoints(run)).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metric_rollups WHERE run_id = ?").param(run).query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metric_series WHERE run_id = ?").param(run).query(Long.class)
                .single()).isZero();
    }

    @org.springframework.beans.factory.annotation.Autowired
    private MetricJanitor janitor;

    static JsonNode find(JsonNode items, String key) {
        for (JsonNode i : items) {
            if (i.get("key").stringValue().equals(key)) {
                return i;
            }
        }
        throw new AssertionError("no " + key + " in " + items);
    }
}
