package dev.trainyard.platform.metrics;

import static dev.trainyard.platform.metrics.MetricIngestionTest.batch;
import static dev.trainyard.platform.metrics.MetricIngestionTest.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * GET .../metrics/query: every bucket checked against a brute-force computation over the points the test sent,
 * for whole ranges and zooms, with spikes, NaN and infinities, points sent out of order and retried.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricQueryTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private long runA;
    private long runB;
    /** What was sent: run -> key -> step -> value (the first value sent for a step). */
    private final Map<Long, Map<String, NavigableMap<Long, Double>>> sent = new java.util.HashMap<>();
    private long spikeStep;
    private long dipStep;

    private void seed() {
        if (alice != null) {
            return;
        }
        alice = newUser("alice");
        project = newProject(alice);
        runA = submitRun(project, alice, runBody()).get("id").longValue();
        runB = submitRun(project, alice, runBody()).get("id").longValue();
        Random random = new Random(42);

        // run A, loss: 120,000 points on irregular steps (gaps of 1 to 5), a random walk with NaN, infinities and
        // two spikes, sent in shuffled batches of 10,000 with one batch retried
        List<Map<String, Object>> loss = new ArrayList<>();
        long step = 17;
        double v = 2.0;
        for (int i = 0; i < 120_000; i++) {
            step += 1 + random.nextInt(5);
            v += random.nextGaussian() * 0.01;
            Object value = v;
            if (i % 997 == 500) {
                value = "NaN";
            } else if (i == 33_333) {
                value = "Infinity";
            } else if (i == 66_666) {
                value = "-Infinity";
            } else if (i == 45_678) {
                value = 1e6;
                spikeStep = step;
            } else if (i == 98_765) {
                value = -1e6;
                dipStep = step;
            }
            loss.add(point("loss", step, value));
        }
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int i = 0; i < loss.size(); i += 10_000) {
            List<Map<String, Object>> b = new ArrayList<>(loss.subList(i, i + 10_000));
            Collections.shuffle(b, random);
            batches.add(b);
        }
        Collections.shuffle(batches, random);
        batches.add(batches.get(3));
        for (List<Map<String, Object>> b : batches) {
            post(runA, b);
        }

        // run A, acc: dense steps 0 .. 19,999; run B, loss: steps 50,000 .. 89,999 in one order
        List<Map<String, Object>> acc = new ArrayList<>();
        for (int s = 0; s < 20_000; s++) {
            acc.add(point("acc", s, Math.tanh(s / 5000.0) + random.nextGaussian() * 0.001));
        }
        List<Map<String, Object>> lossB = new ArrayList<>();
        for (int s = 50_000; s < 90_000; s++) {
            lossB.add(point("loss", s, Math.exp(-s / 30000.0)));
        }
        for (int i = 0; i < acc.size(); i += 10_000) {
            post(runA, acc.subList(i, i + 10_000));
        }
        for (int i = 0; i < lossB.size(); i += 10_000) {
            post(runB, lossB.subList(i, i + 10_000));
        }
        // run B, extremes: values a 32-bit float cannot hold, and ordinary ones between them
        List<Map<String, Object>> extremes = new ArrayList<>();
        double[] values = {0.1, 1e300, -1e-300, 1e-40, 0.0, -2.5e38, 3.5e38, 123456.789, 7.25};
        for (int s = 0; s < 1000; s++) {
            extremes.add(point("extremes", s, values[s % values.length] * (1 + s / 1e4)));
        }
        post(runB, extremes);
    }

    private void post(long run, List<Map<String, Object>> points) {
        Api.Response r = api.post("/api/v1/projects/" + project + "/runs/" + run + "/metrics", alice.token(),
                batch(points));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (Map<String, Object> p : points) {
            Object value = p.get("value");
            double d = value instanceof String s ? Double.parseDouble(s) : ((Number) value).doubleValue();
            sent.computeIfAbsent(run, r2 -> new java.util.HashMap<>())
                    .computeIfAbsent((String) p.get("key"), k -> new TreeMap<>())
                    .putIfAbsent(((Number) p.get("step")).longValue(), d);
        }
    }

    private JsonNode query(String params) {
        Api.Response r = api.get("/api/v1/projects/" + project + "/metrics/query?" + params, alice.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void bucketsOfTheWholeRangeMatchABruteForceComputation() {
        seed();
        for (int n : new int[] {1500, 1000, 97, 8, 1}) {
            JsonNode answer = query("runs=" + runA + "&keys=loss&buckets=" + n);
            NavigableMap<Long, Double> points = sent.get(runA).get("loss");
            assertThat(answer.get("fromStep").longValue()).isEqualTo(points.firstKey());
            assertThat(answer.get("toStep").longValue()).isEqualTo(points.lastKey());
            check(answer, answer.get("series").get(0), points, n);
        }
    }

    @Test
    void zoomedRangesMatchToo() {
        seed();
        NavigableMap<Long, Double> points = sent.get(runA).get("loss");
        long[][] ranges = {{12_345, 54_321}, {spikeStep - 1000, spikeStep + 999}, {0, 100}, {200_001, 200_001},
                {points.lastKey() - 50, points.lastKey() + 1_000_000}, {1, 3}};
        for (long[] range : ranges) {
            for (int n : new int[] {1500, 333, 10}) {
                JsonNode answer = query("runs=" + runA + "&keys=loss&buckets=" + n + "&fromStep=" + range[0]
                        + "&toStep=" + range[1]);
                assertThat(answer.get("fromStep").longValue()).isEqualTo(range[0]);
                assertThat(answer.get("bucketWidth").longValue()).isEqualTo(Math.ceilDiv(range[1] - range[0] + 1, n));
                check(answer, answer.get("series").get(0), points, n);
            }
        }
    }

    /**
     * Every rollup level a query can choose gives exact buckets: widths of half each level (the first it is read
     * at, where its cells are twice as wide as a bucket) and of one step under twice it (the last), from an
     * unaligned first step. Where the cells are wider than the buckets some stay empty, but at most half.
     */
    @Test
    void everyLevelGivesExactBuckets() {
        seed();
        NavigableMap<Long, Double> points = sent.get(runA).get("loss");
        long from = points.firstKey() + 7;
        long span = points.lastKey() - from + 1;
        java.util.Set<Integer> levels = new java.util.TreeSet<>();
        for (int level : Rollups.WIDTHS) {
            for (long width : new long[] {level / 2, 2L * level - 1}) {
                int n = (int) Math.min(1500, span / width);
                if (n == 0) {
                    continue;
                }
                JsonNode answer = query("runs=" + runA + "&keys=loss&buckets=" + n + "&fromStep=" + from
                        + "&toStep=" + (from + n * width - 1));
                assertThat(answer.get("bucketWidth").longValue()).isEqualTo(width);
                assertThat(Rollups.levelFor(width)).isEqualTo(level);
                levels.add(level);
                check(answer, answer.get("series").get(0), points, n);
                // each cell lies in a bucket of its own, and about n / 2 cells of twice a bucket's width fit
                assertThat(answer.get("series").get(0).get("buckets").size()).as("width " + width)
                        .isGreaterThanOrEqualTo(n / 2 - 1);
            }
        }
        assertThat(levels).contains(16, 64, 256, 1_024, 4_096, 16_384, 65_536);
    }

    @Test
    void spikesAreNeverHidden() {
        seed();
        for (int n : new int[] {1500, 50, 1}) {
            JsonNode buckets = query("runs=" + runA + "&keys=loss&buckets=" + n).get("series").get(0).get("buckets");
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (JsonNode b : buckets) {
                max = Math.max(max, value(b.get("max")));
                min = Math.min(min, value(b.get("min")));
                if (b.get("stepStart").longValue() <= spikeStep && spikeStep <= b.get("stepEnd").longValue()) {
                    assertThat(value(b.get("max"))).as("the bucket holding the spike at " + spikeStep)
                            .isIn(1e6, Double.POSITIVE_INFINITY);
                }
            }
            assertThat(max).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(min).isEqualTo(Double.NEGATIVE_INFINITY);
        }
        // zoomed in next to the infinities, the finite spikes show as they are
        JsonNode around = query("runs=" + runA + "&keys=loss&buckets=20&fromStep=" + (dipStep - 100) + "&toStep="
                + (dipStep + 100)).get("series").get(0);
        assertThat(around.get("buckets")).anySatisfy(b -> assertThat(value(b.get("min"))).isEqualTo(-1e6));
        assertThat(around.get("points")).isNull(); // ~70 points > 20 buckets
    }

    @Test
    void smallRangesComeWithTheirPoints() {
        seed();
        NavigableMap<Long, Double> points = sent.get(runA).get("loss");
        long from = spikeStep - 20;
        long to = spikeStep + 20;
        JsonNode series = query("runs=" + runA + "&keys=loss&buckets=1500&fromStep=" + from + "&toStep=" + to)
                .get("series").get(0);
        NavigableMap<Long, Double> expected = points.subMap(from, true, to, true);
        assertThat(series.get("count").longValue()).isEqualTo(expected.size());
        assertThat(series.get("points")).hasSize(expected.size());
        int i = 0;
        for (Map.Entry<Long, Double> e : expected.entrySet()) {
            JsonNode p = series.get("points").get(i++);
            assertThat(p.get("step").longValue()).isEqualTo(e.getKey());
            assertThat(value(p.get("value"))).isEqualTo(e.getValue());
            assertThat(p.get("time").stringValue()).isNotBlank();
        }
    }

    @Test
    void manyRunsAndKeysShareOneGrid() {
        seed();
        JsonNode answer = query("runs=" + runA + "," + runB + "&keys=loss,acc,never_logged&buckets=200");
        JsonNode series = answer.get("series");
        assertThat(series).extracting(s -> s.get("runId").longValue() + "/" + s.get("key").stringValue())
                .containsExactly(runA + "/loss", runA + "/acc", runA + "/never_logged", runB + "/loss",
                        runB + "/acc", runB + "/never_logged");
        // the common range spans all series: acc starts at 0
        assertThat(answer.get("fromStep").longValue()).isZero();
        assertThat(answer.get("toStep").longValue()).isEqualTo(sent.get(runA).get("loss").lastKey());
        check(answer, series.get(0), sent.get(runA).get("loss"), 200);
        check(answer, series.get(1), sent.get(runA).get("acc"), 200);
        check(answer, series.get(3), sent.get(runB).get("loss"), 200);
        assertThat(series.get(2).get("count").longValue()).isZero();
        assertThat(series.get(4).get("buckets")).isEmpty();
        assertThat(series.get(5).get("buckets")).isEmpty();

        JsonNode summaries = api.get("/api/v1/projects/" + project + "/metrics/summaries?runs=" + runB + "," + runA
                + "&keys=loss", alice.token()).json().get("items");
        assertThat(summaries).extracting(s -> s.get("runId").longValue()).containsExactly(runB, runA);
        assertThat(summaries.get(0).get("metrics").get("loss").get("step").longValue()).isEqualTo(89_999);
        assertThat(summaries.get(1).get("metrics").get("loss").get("min").stringValue()).isEqualTo("-Infinity");
        assertThat(summaries.get(1).get("metrics").has("acc")).isFalse();
    }

    @Test
    void theColumnsFormatHoldsTheSameBucketsAndPointsAsTheObjects() {
        seed();
        String both = "runs=" + runA + "," + runB + "&keys=loss,acc,never_logged";
        String[] queries = {both + "&buckets=1500", both + "&buckets=97",
            "runs=" + runA + "&keys=loss&buckets=333&fromStep=" + (spikeStep - 1000) + "&toStep=" + (spikeStep + 999),
            "runs=" + runA + "&keys=loss&buckets=1500&fromStep=" + (spikeStep - 20) + "&toStep=" + (spikeStep + 20),
            "runs=" + runA + "&keys=loss&buckets=50&fromStep=" + (dipStep - 100) + "&toStep=" + (dipStep + 100)};
        int buckets = 0;
        int points = 0;
        for (String q : queries) {
            JsonNode objects = query(q);
            JsonNode columns = query(q + "&format=columns");
            assertThat(query(q + "&format=objects")).as(q).isEqualTo(objects);
            for (String field : List.of("fromStep", "toStep", "bucketWidth")) {
                assertThat(columns.get(field)).as(q + " " + field).isEqualTo(objects.get(field));
            }
            assertThat(columns.get("series")).as(q).hasSameSizeAs(objects.get("series"));
            for (int s = 0; s < objects.get("series").size(); s++) {
                JsonNode o = objects.get("series").get(s);
                JsonNode c = columns.get("series").get(s);
                String where = q + " series " + s;
                assertThat(c.get("runId")).as(where).isEqualTo(o.get("runId"));
                assertThat(c.get("key")).as(where).isEqualTo(o.get("key"));
                assertThat(c.get("count")).as(where).isEqualTo(o.get("count"));
                assertThat(c.has("buckets")).as(where).isFalse();
                assertThat(c.has("points")).as(where).isFalse();
                JsonNode cols = c.get("bucketColumns");
                for (String field : List.of("stepStart", "stepEnd", "count", "nanCount", "min", "max", "last")) {
                    assertThat(cols.get(field)).as(where + " " + field).hasSameSizeAs(o.get("buckets"));
                    for (int i = 0; i < o.get("buckets").size(); i++) {
                        assertThat(cols.get(field).get(i)).as(where + " bucket " + i + " " + field)
                                .isEqualTo(o.get("buckets").get(i).get(field));
                    }
                }
                buckets += o.get("buckets").size();
                JsonNode p = o.get("points");
                if (p == null || p.isEmpty()) {
                    JsonNode pc = c.get("pointColumns");
                    assertThat(pc == null || pc.get("step").isEmpty()).as(where + " no points").isTrue();
                    continue;
                }
                JsonNode pc = c.get("pointColumns");
                for (int i = 0; i < p.size(); i++) {
                    assertThat(pc.get("step").get(i)).as(where + " point " + i).isEqualTo(p.get(i).get("step"));
                    assertThat(pc.get("value").get(i)).as(where + " point " + i).isEqualTo(p.get(i).get("value"));
                    java.time.Instant time = java.time.Instant.parse(p.get(i).get("time").stringValue());
                    assertThat(pc.get("timeMicros").get(i).longValue()).as(where + " point " + i + " time")
                            .isEqualTo(time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000);
                }
                assertThat(pc.get("step")).hasSize(p.size());
                points += p.size();
            }
        }
        // the queries cover the infinities (as strings), several series, and a series sent as points
        assertThat(buckets).isGreaterThan(2000);
        assertThat(points).isGreaterThan(5);
        assertThat(query(queries[0] + "&format=columns").toString()).contains("\"-Infinity\"").contains("\"Infinity\"");
        // what it is for: the same answer in far fewer bytes
        String url = "/api/v1/projects/" + project + "/metrics/query?" + queries[0];
        int objectBytes = api.get(url, alice.token()).body().length();
        int columnBytes = api.get(url + "&format=columns", alice.token()).body().length();
        assertThat(columnBytes).as("bytes as columns vs %d as objects", objectBytes).isLessThan(objectBytes * 6 / 10);
        JsonNode problem = assertProblem(api.get("/api/v1/projects/" + project + "/metrics/query?" + queries[0]
                + "&format=csv", alice.token()), 400);
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("format");
    }

    /**
     * Format chart: the columns format's stepEnd, min, max and last (points: step, value, timeMicros), nothing else,
     * each value the exact one rounded to a 32-bit float (its shortest digits), or the exact one where a float
     * cannot hold it.
     */
    @Test
    void theChartFormatHoldsWhatAChartDrawsAtFloatPrecision() {
        seed();
        String both = "runs=" + runA + "," + runB + "&keys=loss,acc,extremes";
        String[] queries = {both + "&buckets=1500", both + "&buckets=97",
            "runs=" + runB + "&keys=extremes&buckets=1000",
            "runs=" + runA + "&keys=loss&buckets=333&fromStep=" + (spikeStep - 1000) + "&toStep=" + (spikeStep + 999),
            "runs=" + runA + "&keys=loss&buckets=1500&fromStep=" + (spikeStep - 20) + "&toStep=" + (spikeStep + 20)};
        int values = 0;
        int narrowed = 0;
        int exact = 0;
        for (String q : queries) {
            JsonNode columns = query(q + "&format=columns");
            JsonNode chart = query(q + "&format=chart");
            for (String field : List.of("fromStep", "toStep", "bucketWidth")) {
                assertThat(chart.get(field)).as(q + " " + field).isEqualTo(columns.get(field));
            }
            for (int s = 0; s < columns.get("series").size(); s++) {
                JsonNode c = columns.get("series").get(s);
                JsonNode k = chart.get("series").get(s);
                String where = q + " series " + s;
                for (String field : List.of("runId", "key", "count")) {
                    assertThat(k.get(field)).as(where + " " + field).isEqualTo(c.get(field));
                }
                JsonNode kb = k.get("bucketColumns");
                assertThat(kb.propertyNames()).as(where).containsExactlyInAnyOrder("stepEnd", "min", "max", "last");
                assertThat(kb.get("stepEnd")).as(where).isEqualTo(c.get("bucketColumns").get("stepEnd"));
                for (String field : List.of("min", "max", "last")) {
                    JsonNode exactValues = c.get("bucketColumns").get(field);
                    assertThat(kb.get(field)).as(where + " " + field).hasSameSizeAs(exactValues);
                    for (int i = 0; i < exactValues.size(); i++) {
                        double v = value(exactValues.get(i));
                        double written = value(kb.get(field).get(i));
                        values++;
                        if (ValueColumn.fitsFloat32(v)) {
                            // the float's shortest digits, read back as a float
                            assertThat(Float.valueOf((float) written)).as(where + " " + field + " " + i)
                                    .isEqualTo(Float.valueOf((float) v));
                            narrowed += Double.isFinite(v) && (float) v != v ? 1 : 0;
                        } else {
                            assertThat(Double.valueOf(written)).as(where + " " + field + " " + i).isEqualTo(v);
                            exact++;
                        }
                    }
                }
                JsonNode cp = c.get("pointColumns");
                JsonNode kp = k.get("pointColumns");
                if (cp == null) {
                    assertThat(kp).as(where).isNull();
                    continue;
                }
                assertThat(kp.propertyNames()).as(where).containsExactlyInAnyOrder("step", "value", "timeMicros");
                assertThat(kp.get("step")).isEqualTo(cp.get("step"));
                assertThat(kp.get("timeMicros")).isEqualTo(cp.get("timeMicros"));
                for (int i = 0; i < cp.get("value").size(); i++) {
                    double v = value(cp.get("value").get(i));
                    double written = value(kp.get("value").get(i));
                    if (ValueColumn.fitsFloat32(v)) {
                        assertThat(Float.valueOf((float) written)).as(where + " point " + i)
                                .isEqualTo(Float.valueOf((float) v));
                    } else {
                        assertThat(written).as(where + " point " + i).isEqualTo(v);
                    }
                }
            }
        }
        // the queries hold values rounded, values too large or too small for a float, and the infinities
        assertThat(narrowed).isGreaterThan(1000);
        assertThat(exact).isGreaterThan(100);
        String chartText = query(queries[0] + "&format=chart").toString();
        assertThat(chartText).contains("\"-Infinity\"", "\"Infinity\"", "E300", "E-300", "E-40");
        // what it is for: far fewer bytes than columns
        String url = "/api/v1/projects/" + project + "/metrics/query?" + queries[0];
        int columnBytes = api.get(url + "&format=columns", alice.token()).body().length();
        int chartBytes = api.get(url + "&format=chart", alice.token()).body().length();
        assertThat(chartBytes).as("bytes as chart vs %d as columns", columnBytes).isLessThan(columnBytes * 6 / 10);
    }

    @Test
    void theAnswerSaysHowLongTheDatabaseTook() {
        seed();
        Api.Response r = api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + runA + "&keys=loss",
                alice.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Server-Timing")).matches("db;dur=\\d+\\.\\d, query;dur=\\d+\\.\\d");
    }

    @Test
    void badQueriesAre400AndForeignRuns404() {
        seed();
        String q = "/api/v1/projects/" + project + "/metrics/query?";
        assertThat(assertProblem(api.get(q + "keys=loss", alice.token()), 400).get("errors").get(0).get("parameter")
                .stringValue()).isEqualTo("runs");
        assertProblem(api.get(q + "runs=" + runA, alice.token()), 400);
        assertProblem(api.get(q + "runs=x&keys=loss", alice.token()), 400);
        assertProblem(api.get(q + "runs=" + runA + "&keys=bad key", alice.token()), 400);
        assertProblem(api.get(q + "runs=" + runA + "&keys=loss&buckets=0", alice.token()), 400);
        assertProblem(api.get(q + "runs=" + runA + "&keys=loss&buckets=10001", alice.token()), 400);
        assertProblem(api.get(q + "runs=" + runA + "&keys=loss&fromStep=10&toStep=5", alice.token()), 400);
        assertProblem(api.get(q + "runs=" + runA + "&keys=loss&fromStep=-1", alice.token()), 400);
        assertProblem(api.get(q + "runs=" + runA + "&keys=loss&buckets=abc", alice.token()), 400);
        long other = submitRun(newProject(alice), alice, runBody()).get("id").longValue();
        JsonNode problem = assertProblem(api.get(q + "runs=" + runA + "," + other + ",999999999&keys=loss",
                alice.token()), 404);
        assertThat(problem.get("detail").stringValue()).contains(other + ", 999999999");
    }

    /**
     * The bucket invariants, against the points: at most n buckets, in order, disjoint, inside the range, each
     * bucket's slot is the one its first step falls in, and count, NaN count, min, max and last are exact.
     */
    private static void check(JsonNode answer, JsonNode series, NavigableMap<Long, Double> all, int n) {
        long from = answer.get("fromStep").longValue();
        long to = answer.get("toStep").longValue();
        long width = answer.get("bucketWidth").longValue();
        NavigableMap<Long, Double> points = all.subMap(from, true, to, true);
        JsonNode buckets = series.get("buckets");
        String where = "series " + series.get("runId") + "/" + series.get("key") + " [" + from + ", " + to + "] n=" + n;
        assertThat(buckets.size()).as(where).isLessThanOrEqualTo(n);
        assertThat(series.get("count").longValue()).as(where).isEqualTo(points.size());
        long previousEnd = Long.MIN_VALUE;
        long previousSlot = -1;
        long total = 0;
        for (JsonNode b : buckets) {
            long start = b.get("stepStart").longValue();
            long end = b.get("stepEnd").longValue();
            String at = where + " bucket [" + start + ", " + end + "]";
            assertThat(start).as(at).isGreaterThan(previousEnd).isGreaterThanOrEqualTo(from);
            assertThat(end).as(at).isGreaterThanOrEqualTo(start).isLessThanOrEqualTo(to);
            long slot = (start - from) / width;
            assertThat(slot).as(at + " slot").isGreaterThan(previousSlot).isLessThan(n);
            assertThat(points).as(at).containsKeys(start, end);
            NavigableMap<Long, Double> in = points.subMap(start, true, end, true);
            long nans = in.values().stream().filter(d -> Double.isNaN(d)).count();
            double min = in.values().stream().filter(d -> !Double.isNaN(d)).mapToDouble(d -> d).min().orElse(Double.NaN);
            double max = in.values().stream().filter(d -> !Double.isNaN(d)).mapToDouble(d -> d).max().orElse(Double.NaN);
            assertThat(b.get("count").longValue()).as(at + " count").isEqualTo(in.size());
            assertThat(b.get("nanCount").longValue()).as(at + " nanCount").isEqualTo(nans);
            assertThat(value(b.get("min"))).as(at + " min").isEqualTo(Double.valueOf(min));
            assertThat(value(b.get("max"))).as(at + " max").isEqualTo(Double.valueOf(max));
            assertThat(value(b.get("last"))).as(at + " last").isEqualTo(in.lastEntry().getValue());
            // the next point after this bucket belongs to a later slot's bucket
            Long next = points.higherKey(end);
            if (next != null) {
                assertThat((next - from) / width).as(at + " next point's slot").isGreaterThanOrEqualTo(slot);
            }
            previousEnd = end;
            previousSlot = slot;
            total += in.size();
        }
        assertThat(total).as(where + " points in buckets").isEqualTo(points.size());
        if (points.size() <= n && !points.isEmpty()) {
            assertThat(series.get("points")).as(where + " points").hasSize(points.size());
        } else if (points.size() > n) {
            assertThat(series.get("points")).as(where + " points").isNull();
        }
    }

    private static Double value(JsonNode v) {
        return v.isString() ? Double.parseDouble(v.stringValue()) : v.doubleValue();
    }
}
