package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The run and compare pages in Debian's headless chromium against the real platform on PostgreSQL and a real
 * worker: the charts hold exactly the API's series, a live run's chart grows, the differing params show, drag-zoom
 * re-queries finer buckets, clone-with-edit trains, a downloaded checkpoint has the API's SHA-256, and axe-core
 * finds nothing serious. Screenshots go to system-tests/target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartPagesBrowserTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final String PROBE_KEY = "probe/value";
    private static final int PROBE_POINTS = 2000;

    private Dashboard dashboard;
    private Cluster cluster;
    private Runs runs;
    private Browser page;
    private ChromeDriver browser;
    private Path downloads;
    private long trained;
    private long probeA;
    private long probeB;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                shoot("failed-" + context.getRequiredTestMethod().getName());
                System.err.println("[" + context.getDisplayName() + " failed] the page: " + browser.getCurrentUrl()
                        + "\n" + page.bodyText());
            }
            if (cluster != null) {
                System.err.println("the processes' logs:\n" + cluster.describeAll());
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        dashboard = Dashboard.get();
        cluster = dashboard.cluster();
        runs = new Runs(cluster);
        downloads = Files.createTempDirectory("trainyard-browser-downloads-");
        page = new Browser(dashboard.baseUrl(), 1280, 1000);
        browser = (ChromeDriver) page.driver();
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        page.get(dashboard.signInLink());
        page.awaitHeading("Projects");
    }

    @AfterAll
    void stop() {
        if (page != null) {
            page.close();
        }
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    @Order(1)
    void aRunPageChartHoldsExactlyTheApiSeries() {
        probeA = submitProbe("probe-lr-0.001", 0.001);
        probeB = submitProbe("probe-lr-0.01", 0.01);
        writeProbeSeries(probeA, 1.0);
        writeProbeSeries(probeB, 2.0);

        open("/projects/" + cluster.projectId() + "/runs/" + probeA);
        Map<String, Object> chart = awaitChart(PROBE_KEY, c -> "drawn".equals(c.get("state")));
        List<DrawnSeries> drawn = drawnSeries((String) chart.get("id"));
        assertEquals(1, drawn.size(), "one run on its own page");
        DrawnSeries series = drawn.getFirst();
        assertEquals(probeA, series.runId());
        assertTrue(series.bucketed(), PROBE_POINTS + " points in a chart a few hundred pixels wide come as buckets");
        assertSameAsApi((String) chart.get("query"), series);
        // the spike at step 1000 and the NaN at step 1500 are kept: the buckets hold them, the chart drew them
        assertTrue(max(series.max()) >= 1000.0, "the spike's bucket max is drawn: " + max(series.max()));
        shoot("run-page");
    }

    @Test
    @Order(2)
    void comparingTwoRunsShowsTheDifferingLearningRateAndZoomRequeries() {
        open("/projects/" + cluster.projectId() + "/compare?runs=" + probeA + "," + probeB);
        Map<String, Object> chart = awaitChart(PROBE_KEY, c -> "drawn".equals(c.get("state")));
        List<DrawnSeries> before = drawnSeries((String) chart.get("id"));
        assertEquals(List.of(probeA, probeB), before.stream().map(DrawnSeries::runId).toList());
        for (DrawnSeries s : before) {
            assertSameAsApi((String) chart.get("query"), s);
        }

        WebElement table = await("the differing-params table", () -> first(By.cssSelector("table.params-table")));
        List<String> rows = table.findElements(By.cssSelector("tbody tr")).stream()
                .map(r -> r.getAttribute("data-param")).toList();
        assertTrue(rows.contains("optimizer.lr"), "optimizer.lr differs, so it is listed: " + rows);
        assertFalse(rows.contains("batchSize"), "batchSize is the same in both, so it is not listed: " + rows);
        WebElement lrRow = table.findElement(By.cssSelector("tr[data-param='optimizer.lr']"));
        assertEquals(List.of("0.001", "0.01"), lrRow.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
        shoot("compare-page");

        // drag across a fifth of the plot: the chart asks for that step range, which holds fewer points than buckets
        WebElement plot = browser.findElement(By.cssSelector("figure[data-chart-id='" + chart.get("id") + "'] .u-over"));
        int width = plot.getSize().getWidth();
        new Actions(browser).moveToElement(plot, -width / 10, 0).clickAndHold().moveByOffset(width / 5, 0).release().perform();
        Map<String, Object> zoomed = awaitChart(PROBE_KEY, c -> String.valueOf(c.get("query")).contains("fromStep=")
                && "drawn".equals(c.get("state")) && !c.get("points").equals(chart.get("points")));
        String query = (String) zoomed.get("query");
        assertTrue(browser.getCurrentUrl().contains("zoom="), "the zoom is in the URL: " + browser.getCurrentUrl());
        long requests = (Long) js("return performance.getEntriesByType('resource').filter(e => e.name.includes("
                + "'/metrics/query') && e.name.includes('fromStep=')).length");
        assertTrue(requests >= 1, "the zoom re-queried the API with fromStep/toStep");
        long fromStep = queryParam(query, "fromStep");
        long toStep = queryParam(query, "toStep");
        List<DrawnSeries> after = drawnSeries((String) zoomed.get("id"));
        for (DrawnSeries s : after) {
            assertSameAsApi(query, s);
            assertFalse(s.bucketed(), "zoomed to " + fromStep + ".." + toStep + ", the API sends the points themselves");
            long expected = java.util.stream.LongStream.rangeClosed(fromStep, toStep)
                    .filter(step -> step >= 0 && step < PROBE_POINTS).count();
            assertEquals(expected, s.step().length, "every point of steps " + fromStep + ".." + toStep + " drawn");
        }
        assertTrue((Long) js("return performance.getEntriesByName('ty:chart:zoom').length") >= 1,
                "the zoom's re-query and redraw were measured");
        shoot("compare-page-zoomed");
    }

    @Test
    @Order(3)
    void aLiveRunsChartGrowsWhileItTrains() {
        // long enough (1,500 steps of a 784-512-256-10 MLP) that the page sees it train
        Map<String, Object> spec = Specs.quick(48_000, 2, Specs.adam(0.001), List.of(512, 256), 11);
        dashboard.awaitWorker();
        trained = runs.submit("browser-live", spec);
        open("/projects/" + cluster.projectId() + "/runs/" + trained);
        runs.awaitStatus(trained, RUN_TIMEOUT, "RUNNING", "SUCCEEDED");
        Map<String, Object> first = awaitChart("train/loss", c -> "drawn".equals(c.get("state")), RUN_TIMEOUT);
        int firstCount = pointCount(first);
        String statusAtFirst = runs.get(trained).get("status").asText();
        Map<String, Object> grown = awaitChart("train/loss", c -> pointCount(c) > firstCount, RUN_TIMEOUT);
        assertEquals(first.get("id"), grown.get("id"), "the same chart grew, the page was not reloaded");
        assertEquals("RUNNING", statusAtFirst, "the chart was drawn while the run trained");
        assertTrue(pointCount(grown) > firstCount);
        runs.awaitStatus(trained, RUN_TIMEOUT, "SUCCEEDED");
        await("the page to show SUCCEEDED", () -> "SUCCEEDED".equals(browser.findElement(By.cssSelector(
                "[data-testid='run-status']")).getText()) ? true : null);
        // once it has ended, the chart holds exactly the API's series
        Map<String, Object> done = awaitChart("train/loss", c -> "drawn".equals(c.get("state")));
        browser.navigate().refresh();
        done = awaitChart("train/loss", c -> "drawn".equals(c.get("state")));
        assertSameAsApi((String) done.get("query"), drawnSeries((String) done.get("id")).getFirst());
        assertRunPageNamesAndOrders(trained);
        shoot("run-page-trained");
        assertWorkersTableShowsTheAttemptsWorker(trained);
    }

    /** The breadcrumbs name the project and the experiment; the worker's system metrics chart after the run's own. */
    @SuppressWarnings("unchecked")
    private void assertRunPageNamesAndOrders(long runId) {
        String expected = "system-test / fashion-mnist / Run #" + runId;
        await("the breadcrumbs to read '" + expected + "'", () -> expected.equals(
                browser.findElement(By.cssSelector("nav.breadcrumbs")).getText().trim()) ? true : null);
        List<String> keys = (List<String>) js(
                "return [...document.querySelectorAll('figure.metric-chart')].map(f => f.dataset.chartKey)");
        List<String> system = keys.stream().filter(k -> k.startsWith("system/")).toList();
        assertFalse(system.isEmpty(), "the worker recorded system metrics: " + keys);
        assertEquals(system, keys.subList(keys.size() - system.size(), keys.size()), "system metrics come last: " + keys);
        assertTrue(keys.contains("train/loss"), "train/loss is charted: " + keys);
        // the attempt's note ("completed ... steps") is marked in the colour of its outcome, not as an error
        List<String> colors = (List<String>) js("""
                const a = document.querySelector('.timeline__attempt.outcome-SUCCEEDED');
                return [getComputedStyle(a.querySelector('.timeline__reason')).borderLeftColor,
                        getComputedStyle(a.querySelector('.status')).color];
                """);
        assertEquals(colors.get(1), colors.get(0), "the succeeded attempt's note has the SUCCEEDED colour");
    }

    /** The queue page shows each worker's whole id, the one a run's attempt names. */
    private void assertWorkersTableShowsTheAttemptsWorker(long runId) {
        String workerId = runs.get(runId).get("attempts").get(0).get("workerId").asText();
        open("/queue");
        await("the workers table to show " + workerId, () -> browser.findElements(By.cssSelector("td .mono")).stream()
                .anyMatch(e -> e.getText().equals(workerId)) ? true : null);
    }

    @Test
    @Order(4)
    void aCheckpointDownloadedThroughThePageHasTheApiSha256() throws IOException {
        JsonNode checkpoint = runs.checkpoints(trained).stream()
                .max(java.util.Comparator.comparingLong(c -> c.get("step").asLong())).orElseThrow();
        open("/projects/" + cluster.projectId() + "/runs/" + trained);
        WebElement link = await("the checkpoint's download link", () -> first(By.cssSelector(
                "tr[data-checkpoint-id='" + checkpoint.get("id").asLong() + "'] a.checkpoint-download")));
        // the run's live stream opens with a snapshot of its status, which loads the checkpoints again: the table
        // stays in place meanwhile (it went back to "Loading checkpoints", and a link clicked then was gone)
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals(Boolean.TRUE, browser.executeScript("return arguments[0].isConnected", link),
                "the download link found as the page opened is still on it");
        // a fresh directory: whatever name the response gives the file, it is the only one there
        Path into = Files.createTempDirectory(downloads, "checkpoint-");
        Map<String, Object> allow = Map.of("behavior", "allow", "downloadPath", into.toString());
        browser.executeCdpCommand("Browser.setDownloadBehavior", allow);
        browser.executeCdpCommand("Page.setDownloadBehavior", allow);
        link.click();
        Path file = Poll.until("the checkpoint's download", PAGE_TIMEOUT, Duration.ofMillis(100), () -> {
            String[] names = into.toFile().list();
            return names != null && names.length == 1 && !names[0].endsWith(".crdownload") ? into.resolve(names[0]) : null;
        }, () -> "the download directory holds " + java.util.Arrays.toString(into.toFile().list()));
        assertEquals(checkpoint.get("sha256").asText(), sha256(Files.readAllBytes(file)));
        assertEquals(checkpoint.get("sizeBytes").asLong(), Files.size(file));
    }

    @Test
    @Order(5)
    void cloneWithAnEditedSpecShowsTheApisProblemsAtTheirLineThenTrains() {
        open("/projects/" + cluster.projectId() + "/runs/" + trained);
        clickButton("Clone with edits");
        WebElement editor = await("the spec editor", () -> first(By.id("clone-spec")));
        String yaml = await("the spec's YAML", () -> {
            String v = editor.getAttribute("value");
            return v != null && v.contains("lr: 0.001") ? v : null;
        });
        // a wrong optimizer: the API's problem comes back at /spec/optimizer/type, on that line of the YAML
        setTextarea(editor, yaml.replace("type: adam", "type: adamx"));
        WebElement problem = await("the API's problem in the editor", () -> first(By.cssSelector(
                ".problems li[data-pointer='/optimizer/type']")));
        int line = Integer.parseInt(problem.getAttribute("data-line"));
        String[] lines = editor.getAttribute("value").split("\n", -1);
        assertTrue(lines[line - 1].contains("type: adamx"), "the problem names line " + line + ": " + lines[line - 1]);
        // fixed, with another learning rate and one epoch: it submits and trains
        setTextarea(editor, yaml.replace("lr: 0.001", "lr: 0.002").replaceFirst("epochs: 2", "epochs: 1"));
        await("the problems to clear", () -> first(By.cssSelector(".problems li")) == null ? true : null);
        clickButton("Submit clone");
        long cloneId = await("the clone's run page", () -> {
            String url = browser.getCurrentUrl();
            String prefix = "/runs/";
            int at = url.lastIndexOf(prefix);
            long id = at < 0 ? -1 : Long.parseLong(url.substring(at + prefix.length()).replaceAll("[^0-9].*", ""));
            return id > 0 && id != trained ? id : null;
        });
        JsonNode clone = runs.awaitStatus(cloneId, RUN_TIMEOUT, "SUCCEEDED");
        assertEquals(trained, clone.get("clonedFrom").asLong());
        assertEquals(0.002, clone.get("spec").get("optimizer").get("lr").asDouble());
        assertEquals(1, clone.get("spec").get("epochs").asInt());
    }

    @Test
    @Order(6)
    void axeFindsNoSeriousProblemsOnTheRunAndComparePages() {
        List<String> pages = List.of(
                "/projects/" + cluster.projectId() + "/runs/" + trained,
                "/projects/" + cluster.projectId() + "/compare?runs=" + probeA + "," + probeB,
                "/projects/" + cluster.projectId() + "/compare?runs=" + probeA + "," + probeB + "&brush=param.optimizer.lr:0.5:1");
        List<String> problems = new ArrayList<>();
        for (String route : pages) {
            open(route);
            awaitChart(route.contains("compare") ? PROBE_KEY : "train/loss", c -> "drawn".equals(c.get("state")));
            List<String> serious = page.seriousAccessibilityViolations();
            if (!serious.isEmpty()) {
                problems.add(route + ": " + serious);
            }
        }
        assertEquals(List.of(), problems, "axe-core's serious and critical violations");
    }

    @Test
    @Order(7)
    void aLiveCompareChartRedrawsAtMostOnceASecondAndEndsWithTheApisSeries() throws InterruptedException {
        // the probes are parked (QUEUED) in one experiment, so the compare page listens to its event stream
        open("/projects/" + cluster.projectId() + "/compare?runs=" + probeA + "," + probeB);
        Map<String, Object> chart = awaitChart(PROBE_KEY, c -> "drawn".equals(c.get("state")));
        int before = pointCount(chart);
        LiveCounts countsBefore = liveCounts((String) chart.get("id"));
        // 40 small batches per run over about 4 s: 80 metrics events, each of which used to re-render the page
        long started = System.nanoTime();
        int batches = 40;
        for (int b = 0; b < batches; b++) {
            for (long run : List.of(probeA, probeB)) {
                List<Map<String, Object>> points = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int step = PROBE_POINTS + b * 5 + i;
                    points.add(Map.of("key", PROBE_KEY, "step", step, "value", 3.0 + Math.sin(step / 7.0)));
                }
                cluster.api().post(cluster.runPath(run, "/metrics"), Map.of("points", points)).expect(200);
            }
            Thread.sleep(100);
        }
        long wrote = PROBE_POINTS + batches * 5L;
        Map<String, Object> done = awaitChart(PROBE_KEY, c -> drawnSeries((String) c.get("id")).stream()
                .allMatch(s -> s.step().length > 0 && s.step()[s.step().length - 1] == wrote - 1));
        // the series the predicate saw may be queued for a frame not yet drawn: count draws and measures together
        LiveCounts countsAfter = liveCounts((String) done.get("id"));
        double seconds = (System.nanoTime() - started) / 1e9;
        long redraws = countsAfter.draws() - countsBefore.draws();
        assertTrue(redraws >= 2, "the chart redrew while points arrived: " + redraws + " redraws");
        assertTrue(redraws <= Math.ceil(seconds) + 1, redraws + " redraws in " + seconds
                + " s: at most one a second, and one after the last event");
        assertTrue(pointCount(done) >= before, "the chart still holds every run");
        // it ends with exactly what the API answers to the chart's own query
        for (DrawnSeries s : drawnSeries((String) done.get("id"))) {
            assertSameAsApi((String) done.get("query"), s);
        }
        long measured = countsAfter.liveMeasures() - countsBefore.liveMeasures();
        assertTrue(measured >= 1 && measured <= redraws,
                "each live redraw is measured once: " + measured + " measures, " + redraws + " redraws");

        // a key whose first points arrive while the page is open gets a chart of its own, with the API's series
        String lateKey = "probe/late";
        for (long run : List.of(probeA, probeB)) {
            cluster.api().post(cluster.runPath(run, "/metrics"), Map.of("points", List.of(
                    Map.of("key", lateKey, "step", 0, "value", 1.5),
                    Map.of("key", lateKey, "step", 1, "value", 2.5 + run)))).expect(200);
        }
        Map<String, Object> late = awaitChart(lateKey, c -> "drawn".equals(c.get("state")));
        List<DrawnSeries> lateSeries = drawnSeries((String) late.get("id"));
        assertEquals(2, lateSeries.size(), "both runs' series of the late key");
        for (DrawnSeries s : lateSeries) {
            assertEquals(2, s.step().length, "run " + s.runId() + "'s two points");
            assertSameAsApi((String) late.get("query"), s);
        }
    }

    // ------------------------------------------------------------------ the chart's data against the API's

    record DrawnSeries(long runId, boolean bucketed, long count, long[] step, double[] min, double[] max, double[] last) {}

    /** What the chart handed to uPlot, from window.__trainyardCharts (numbers as text, so NaN survives JSON). */
    @SuppressWarnings("unchecked")
    private List<DrawnSeries> drawnSeries(String chartId) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) js("""
                return window.__trainyardCharts.get(arguments[0]).series().map(s => ({
                  runId: s.runId, bucketed: s.bucketed, count: s.count, step: s.step.map(String),
                  min: s.min.map(String), max: s.max.map(String), last: s.last.map(String) }));
                """, chartId);
        List<DrawnSeries> out = new ArrayList<>();
        for (Map<String, Object> m : list) {
            out.add(new DrawnSeries(((Number) m.get("runId")).longValue(), (Boolean) m.get("bucketed"),
                    ((Number) m.get("count")).longValue(),
                    ((List<String>) m.get("step")).stream().mapToLong(Long::parseLong).toArray(),
                    doubles((List<String>) m.get("min")), doubles((List<String>) m.get("max")),
                    doubles((List<String>) m.get("last"))));
        }
        return out;
    }

    /** The chart's arrays are the API's answer to the chart's own query, value for value. */
    private void assertSameAsApi(String query, DrawnSeries drawn) {
        JsonNode answer = cluster.api().getJson(query);
        JsonNode series = null;
        for (JsonNode s : answer.get("series")) {
            if (s.get("runId").asLong() == drawn.runId()) {
                series = s;
            }
        }
        assertNotNull(series, "the API's answer to " + query + " has run " + drawn.runId());
        assertEquals(series.get("count").asLong(), drawn.count(), "count");
        if (series.has("bucketColumns")) {
            assertSameAsColumns(series, drawn);
            return;
        }
        JsonNode points = series.get("points");
        if (points != null && !points.isNull()) {
            assertFalse(drawn.bucketed(), "the API sent points, the chart drew points");
            assertEquals(points.size(), drawn.step().length, "points drawn of run " + drawn.runId());
            for (int i = 0; i < points.size(); i++) {
                JsonNode p = points.get(i);
                assertEquals(p.get("step").asLong(), drawn.step()[i], "step of point " + i);
                assertSameValue(number(p.get("value")), drawn.last()[i], "value of point " + i);
            }
            return;
        }
        JsonNode buckets = series.get("buckets");
        assertTrue(drawn.bucketed());
        assertEquals(buckets.size(), drawn.step().length, "buckets drawn of run " + drawn.runId());
        for (int i = 0; i < buckets.size(); i++) {
            JsonNode b = buckets.get(i);
            assertEquals(b.get("stepEnd").asLong(), drawn.step()[i], "bucket " + i + "'s last step");
            assertSameValue(number(b.get("min")), drawn.min()[i], "bucket " + i + " min");
            assertSameValue(number(b.get("max")), drawn.max()[i], "bucket " + i + " max");
            assertSameValue(number(b.get("last")), drawn.last()[i], "bucket " + i + " last");
        }
    }

    /** The same for the chart's format=columns answer: an array per field, element i being bucket (point) i. */
    private static void assertSameAsColumns(JsonNode series, DrawnSeries drawn) {
        JsonNode points = series.get("pointColumns");
        if (points != null && !points.isNull()) {
            assertFalse(drawn.bucketed(), "the API sent points, the chart drew points");
            assertEquals(points.get("step").size(), drawn.step().length, "points drawn of run " + drawn.runId());
            for (int i = 0; i < points.get("step").size(); i++) {
                assertEquals(points.get("step").get(i).asLong(), drawn.step()[i], "step of point " + i);
                assertSameValue(number(points.get("value").get(i)), drawn.last()[i], "value of point " + i);
            }
            return;
        }
        JsonNode buckets = series.get("bucketColumns");
        assertTrue(drawn.bucketed());
        assertEquals(buckets.get("stepEnd").size(), drawn.step().length, "buckets drawn of run " + drawn.runId());
        for (int i = 0; i < buckets.get("stepEnd").size(); i++) {
            assertEquals(buckets.get("stepEnd").get(i).asLong(), drawn.step()[i], "bucket " + i + "'s last step");
            assertSameValue(number(buckets.get("min").get(i)), drawn.min()[i], "bucket " + i + " min");
            assertSameValue(number(buckets.get("max").get(i)), drawn.max()[i], "bucket " + i + " max");
            assertSameValue(number(buckets.get("last").get(i)), drawn.last()[i], "bucket " + i + " last");
        }
    }

    private static void assertSameValue(double expected, double actual, String what) {
        assertEquals(0, Double.compare(expected, actual), what + ": API " + expected + ", chart " + actual);
    }

    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    private static double[] doubles(List<String> texts) {
        return texts.stream().mapToDouble(Double::parseDouble).toArray();
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (v > m) {
                m = v;
            }
        }
        return m;
    }

    private static long queryParam(String url, String name) {
        for (String part : url.substring(url.indexOf('?') + 1).split("&")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        throw new AssertionError(url + " has no " + name);
    }

    record LiveCounts(long draws, long liveMeasures) {}

    /** The chart's draws and its ty:chart:live measures, read in one script: both change in the same draw hook. */
    @SuppressWarnings("unchecked")
    private LiveCounts liveCounts(String chartId) {
        Map<String, Object> c = (Map<String, Object>) js("""
                const e = window.__trainyardCharts.list().find(c => c.id === arguments[0]);
                const live = performance.getEntriesByName('ty:chart:live')
                    .filter(m => m.detail && m.detail.key === e.key).length;
                return { draws: e.draws, live: live };
                """, chartId);
        return new LiveCounts(((Number) c.get("draws")).longValue(), ((Number) c.get("live")).longValue());
    }

    private static int pointCount(Map<String, Object> chart) {
        String points = String.valueOf(chart.get("points"));
        int total = 0;
        for (String part : points.split(",")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                total += Integer.parseInt(part.substring(colon + 1));
            }
        }
        return total;
    }

    // ------------------------------------------------------------------ data the test writes

    /** A run with the given lr that no worker leases: it holds the probe series. */
    private long submitProbe(String name, double lr) {
        // the same keys the platform captures from the spec (user-given params win on a key)
        return dashboard.parkedRun(cluster.api(), cluster.projectId(), cluster.experimentId(), name,
                Map.of("optimizer.lr", lr, "batchSize", Specs.BATCH), List.of("charts")).get("id").asLong();
    }

    /** PROBE_POINTS points at steps 0..N-1: a slow curve, a spike at step 1000, a NaN at step 1500. */
    private void writeProbeSeries(long runId, double scale) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < PROBE_POINTS; step++) {
            Object value = step == 1500 ? "NaN" : step == 1000 ? 1000.0 * scale
                    : scale * (1.0 + Math.sin(step / 50.0) * 0.25 + step / (double) PROBE_POINTS);
            points.add(Map.of("key", PROBE_KEY, "step", step, "value", value));
        }
        cluster.api().post(cluster.runPath(runId, "/metrics"), Map.of("points", points)).expect(200);
    }

    // ------------------------------------------------------------------ the browser

    private void open(String route) {
        browser.get(cluster.baseUrl() + "/#" + route);
        // a hash change alone does not reload: make sure the page's charts are the new route's
        browser.navigate().refresh();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void setTextarea(WebElement area, String text) {
        js("const t = arguments[0]; t.value = arguments[1]; t.dispatchEvent(new Event('input', { bubbles: true }));",
                area, text);
    }

    private void clickButton(String textStart) {
        WebElement button = await("a button '" + textStart + "'", () -> browser.findElements(By.tagName("button"))
                .stream().filter(b -> b.getText().startsWith(textStart) && b.isEnabled()).findFirst().orElse(null));
        button.click();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitChart(String key, java.util.function.Predicate<Map<String, Object>> ready) {
        return awaitChart(key, ready, PAGE_TIMEOUT);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitChart(String key, java.util.function.Predicate<Map<String, Object>> ready,
            Duration timeout) {
        return Poll.until("the chart of " + key, timeout, Duration.ofMillis(100), () -> {
            Map<String, Object> c = (Map<String, Object>) js("""
                    const f = [...document.querySelectorAll('figure.metric-chart')]
                        .find(f => f.dataset.chartKey === arguments[0]);
                    if (!f) return null;
                    f.scrollIntoView({ block: 'center' });
                    return { id: f.dataset.chartId, state: f.dataset.chartState, points: f.dataset.chartPoints || '',
                             query: f.dataset.chartQuery || '', draws: f.dataset.chartDraws };
                    """, key);
            return c != null && ready.test(c) ? c : null;
        }, () -> "the page " + browser.getCurrentUrl() + ": charts " + js(
                "return JSON.stringify(window.__trainyardCharts && window.__trainyardCharts.list())"));
    }

    private <T> T await(String what, Supplier<T> probe) {
        return Poll.until(what, PAGE_TIMEOUT, Duration.ofMillis(100), probe, () -> "the page " + browser.getCurrentUrl());
    }

    private WebElement first(By by) {
        List<WebElement> found = browser.findElements(by);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** A screenshot of the whole page (target/screenshots/<name>.png): the viewport grows to the page for it. */
    private void shoot(String name) {
        try {
            js("window.scrollTo(0, 0)");
            long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
            page.resize(1280, (int) Math.min(5000, Math.max(1000, height)));
            page.screenshot(name);
            page.resize(1280, 1000);
        } catch (RuntimeException e) {
            System.err.println("no screenshot " + name + ": " + e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
