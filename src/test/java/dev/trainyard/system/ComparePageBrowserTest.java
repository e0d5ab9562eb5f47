package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * The compare page's edges in Debian's headless chromium against the real platform: a URL naming a run that no
 * longer exists, the params charts on a phone (390 px) and a laptop (1280 px), removing and adding runs on the page,
 * the dashed lines of the runs beyond the palette's six colours and their square points in the scatter, in the light and
 * the dark theme. Screenshots under
 * system-tests/target/screenshots/compare-*.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComparePageBrowserTest {
    /** 14 params, so that the Axes list overflows its six rows and five axes overflow a phone */
    private static final int PARAMS = 14;

    private Dashboard dashboard;
    private long project;
    private final List<Long> runs = new ArrayList<>();
    /** five more runs: eight in all, two more than the palette has colours */
    private final List<Long> more = new ArrayList<>();
    private Browser browser;

    @BeforeAll
    void seed() {
        dashboard = Dashboard.get();
        Api api = dashboard.admin();
        // a project of its own: the other browser tests' key searches and listings stay as they expect
        project = api.post("/api/v1/projects", Map.of("name", "compare-edges")).expect(201).get("id").asLong();
        long experiment = dashboard.newExperiment(api, project, "compare-edges");
        for (int i = 0; i < 3; i++) {
            Map<String, Object> params = new LinkedHashMap<>();
            for (int p = 1; p <= PARAMS; p++) {
                params.put(String.format("layer%02d.width", p), 16 * (i + p));
            }
            params.put("optimizer.learning_rate_schedule", i == 0 ? "cosine" : "step");
            long id = dashboard.parkedRun(api, project, experiment, "edge-" + i, params, List.of()).get("id").asLong();
            dashboard.metric(api, project, id, "val/accuracy", 0.5, 0.6 + i / 10.0);
            runs.add(id);
        }
        for (int i = 3; i < 8; i++) {
            long id = dashboard.parkedRun(api, project, experiment, "more-" + i, Map.of("lr", 0.01 * i), List.of())
                    .get("id").asLong();
            dashboard.metric(api, project, id, "val/accuracy", 0.5, 0.55 + i / 40.0, 0.6 + i / 40.0);
            more.add(id);
        }
        browser = dashboard.adminBrowser();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeletedRunIsNamedOnceLeftOutOfEveryMetricQueryAndCanBeRemovedFromTheAddress() {
        Api api = dashboard.admin();
        long gone = dashboard.parkedRun(api, project, null, "deleted-later", Map.of("lr", 0.2), List.of())
                .get("id").asLong();
        dashboard.metric(api, project, gone, "val/accuracy", 0.9);
        api.delete("/api/v1/projects/" + project + "/runs/" + gone).expect(204);
        long a = runs.get(0);
        long b = runs.get(1);
        browser.resize(1280, 800);
        // a page load of its own: the keys are asked for with the session check, before the runs list answers
        browser.get(dashboard.baseUrl() + "/?load=" + System.nanoTime() + "#/projects/" + project + "/compare?runs="
                + a + "," + gone + "," + b);
        browser.await("the chart drawn or an error", d -> (Boolean) browser.js("return !!document.querySelector("
                + "'.compare-page .state-error, figure.metric-chart[data-chart-state=drawn]')"));
        browser.awaitLoaded();
        browser.screenshot("compare-missing-run");

        List<Executable> checks = new ArrayList<>();
        String heading = browser.find("h1").getText();
        checks.add(() -> assertEquals("Compare 2 runs", heading));
        String goneText = "#" + gone;
        List<Object> naming = (List<Object>) browser.js("return [...document.querySelectorAll("
                + "'.compare-page [role=status], .compare-page [role=alert], .compare-page .state')]"
                + ".filter(e => e.textContent.includes(arguments[0])).map(e => e.textContent.trim())", "" + gone);
        checks.add(() -> assertEquals(1, naming.size(), "one notice names run " + gone + ": " + naming));
        checks.add(() -> assertTrue(naming.size() == 1 && String.valueOf(naming.getFirst()).contains(goneText),
                String.valueOf(naming)));
        checks.add(() -> assertFalse(browser.present(".compare-page .state-error"),
                "an error shown: " + browser.bodyText()));
        List<String> listed = browser.all(".compare-runs li a").stream().map(WebElement::getText).toList();
        checks.add(() -> assertEquals(List.of("edge-0 (#" + a + ")", "edge-1 (#" + b + ")"), listed));
        List<Object> lines = (List<Object>) browser.js("return window.__trainyardCharts.byKey('val/accuracy')?.series()"
                + ".map(s => s.runId) ?? []");
        checks.add(() -> assertEquals(List.of(a, b), lines, "the chart's runs"));
        // metric queries: the series never name it; of the keys' queries only the first, sent before the runs list
        // could say the run is gone, does
        Map<String, Object> asked = (Map<String, Object>) browser.js("""
                const of = (part) => performance.getEntriesByType('resource').map((e) => new URL(e.name))
                    .filter((u) => u.pathname.endsWith(part)).map((u) => (u.searchParams.get('runs') ?? '').split(','));
                return { series: of('/metrics/query'), summaries: of('/metrics/summaries') };""");
        List<List<String>> series = (List<List<String>>) asked.get("series");
        List<List<String>> summaries = (List<List<String>>) asked.get("summaries");
        checks.add(() -> assertTrue(!series.isEmpty() && series.stream().noneMatch(r -> r.contains("" + gone)),
                "series queries: " + series));
        checks.add(() -> assertTrue(!summaries.isEmpty() && summaries.stream().skip(1).noneMatch(r -> r.contains("" + gone))
                && !summaries.getLast().contains("" + gone), "summaries queries: " + summaries));
        assertAll(checks);

        browser.button("Remove " + goneText + " from the address").click();
        browser.await("the run out of the address", d -> browser.route().endsWith("runs=" + a + "%2C" + b)
                || browser.route().endsWith("runs=" + a + "," + b));
        assertFalse(browser.bodyText().contains(goneText), browser.bodyText());
        assertEquals(List.of(), browser.seriousAccessibilityViolations(), "axe on the compare page");
    }

    @Test
    @SuppressWarnings("unchecked")
    void onAPhoneTheParallelCoordinatesKeepTheirTextSizeInAFrameThatScrollsAndTheAxesListShowsThereIsMore() {
        String route = "/projects/" + project + "/compare?runs=" + runs.get(0) + "," + runs.get(1) + "," + runs.get(2);
        // the runs' params, the spec's flattened ones included, as the API lists them
        java.util.Set<String> paramKeys = new java.util.TreeSet<>();
        for (long id : runs) {
            dashboard.admin().getJson("/api/v1/projects/" + project + "/runs/" + id).get("params").fieldNames()
                    .forEachRemaining(paramKeys::add);
        }
        List<Executable> checks = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            browser.resize(width, 900);
            browser.open(route);
            browser.awaitHeading("Compare 3 runs");
            browser.await("the parallel coordinates", d -> browser.present(".pcoords svg polyline"));
            browser.js("document.querySelector('.pcoords').scrollIntoView({block: 'center'})");
            Map<String, Object> pc = (Map<String, Object>) browser.js("""
                    const frame = document.querySelector('.pcoords');
                    const svg = frame.querySelector('svg');
                    const labels = [...svg.querySelectorAll('.pcoords__label')].map((t) => t.getBoundingClientRect());
                    const overlaps = labels.filter((r, i) => i > 0 && r.left < labels[i - 1].right).length;
                    const hint = document.querySelector('.pcoords__hint');
                    return { axes: labels.length, scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
                      scrolls: frame.scrollWidth > frame.clientWidth + 1, overlaps,
                      hint: hint && hint.offsetParent ? hint.textContent.trim() : null,
                      pageScrolls: document.documentElement.scrollWidth > innerWidth };""");
            browser.screenshot("compare-pcoords-" + width);
            String at = "at " + width + " px: " + pc;
            checks.add(() -> assertEquals(5, ((Number) pc.get("axes")).intValue(), at));
            checks.add(() -> assertEquals(1.0, ((Number) pc.get("scale")).doubleValue(), 0.01,
                    "drawn at its own size, not shrunk " + at));
            checks.add(() -> assertEquals(0L, pc.get("overlaps"), "axis labels overlap " + at));
            checks.add(() -> assertEquals(false, pc.get("pageScrolls"), "the page itself scrolls sideways " + at));
            checks.add(() -> assertEquals(width < 700, pc.get("scrolls"), "the frame scrolls sideways " + at));
            checks.add(() -> assertEquals(width < 700 ? "Scroll the chart sideways to see all 5 axes." : null,
                    pc.get("hint"), at));

            // the Axes list: six rows at most; the edge with more behind it is shaded
            browser.js("document.querySelector('.pc-axes').scrollIntoView({block: 'center'})");
            WebElement list = browser.find(".pc-axes__list");
            boolean overflows = (Boolean) browser.js("return arguments[0].scrollHeight > arguments[0].clientHeight + 1",
                    list);
            browser.js("arguments[0].scrollTop = 0", list);
            double[] atTop = edgeShades(list);
            browser.screenshot("compare-axes-list-" + width);
            browser.js("arguments[0].scrollTop = arguments[0].scrollHeight", list);
            double[] atEnd = edgeShades(list);
            String legend = browser.find(".pc-axes legend").getText();
            checks.add(() -> assertEquals("Axes (4 of " + paramKeys.size() + " params)", legend, at));
            if (width < 700) {
                checks.add(() -> assertTrue(overflows, "the list overflows at " + width));
            }
            if (overflows) {
                checks.add(() -> assertTrue(atTop[1] > atTop[0] + 8, "at the top, the bottom edge is shaded "
                        + "(luminance drop top, bottom): " + java.util.Arrays.toString(atTop) + " at " + width));
                checks.add(() -> assertTrue(atEnd[0] > atEnd[1] + 8, "at the end, the top edge is shaded: "
                        + java.util.Arrays.toString(atEnd) + " at " + width));
            }
        }
        browser.resize(1280, 800);
        assertAll(checks);
    }

    private static final String ACC_CHART = "figure.metric-chart[data-chart-key='val/accuracy']";

    /**
     * Waits until the val/accuracy chart has drawn exactly these runs, in this order, each with a legend entry. The
     * drawn series themselves, not only data-chart-runs: that names the runs asked for as the query leaves, while the
     * chart still shows its last draw (of the runs in their former order, with their former dashes).
     */
    private void awaitChartRuns(List<Long> expected) {
        String ids = String.join(",", expected.stream().map(String::valueOf).toList());
        browser.await("the chart drawn with runs " + ids, d -> browser.js("""
                const f = document.querySelector(arguments[0]);
                const drawn = window.__trainyardCharts.byKey('val/accuracy')?.series().map((s) => s.runId).join(',');
                return !!f && f.dataset.chartState === 'drawn' && f.dataset.chartRuns === arguments[1]
                  && drawn === arguments[1]
                  && f.querySelectorAll('.metric-chart__legend li').length === arguments[2];""",
                ACC_CHART, ids, expected.size()));
    }

    @SuppressWarnings("unchecked")
    private List<String> legendNames() {
        return (List<String>) browser.js("return [...document.querySelectorAll(arguments[0] + ' .metric-chart__legend "
                + ".metric-chart__run')].map(e => e.textContent)", ACC_CHART);
    }

    /** The swatch colour of each run in the list of runs compared, by run id. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> chipColours() {
        return (Map<String, Object>) browser.js("return Object.fromEntries([...document.querySelectorAll("
                + "'.compare-runs li')].map(li => { const s = li.querySelector('.metric-chart__swatch');"
                + " return [li.dataset.comparedRun, s.tagName === 'svg' ? getComputedStyle(s.querySelector('line')).stroke"
                + " : getComputedStyle(s).backgroundColor]; }))");
    }

    @Test
    void aRunRemovedByItsButtonLeavesTheAddressAndTheChartsWithoutAReloadAndBackBringsItBack() {
        long a = runs.get(0);
        long b = runs.get(1);
        long c = runs.get(2);
        browser.resize(1280, 800);
        browser.open("/projects/" + project + "/compare?runs=" + a + "," + b + "," + c);
        browser.awaitHeading("Compare 3 runs");
        awaitChartRuns(List.of(a, b, c));
        Map<String, Object> coloursBefore = chipColours();
        browser.js("window.__sameDocument = true");
        browser.screenshot("compare-remove-before-1280");

        WebElement remove = browser.find("button[aria-label='Remove edge-1 (#" + b + ") from the comparison']");
        assertEquals("×", remove.getText());
        remove.click();
        browser.await("the run out of the address", d -> browser.route().endsWith("runs=" + a + "," + c));
        browser.awaitHeading("Compare 2 runs");
        awaitChartRuns(List.of(a, c));
        browser.screenshot("compare-remove-after-1280");
        List<Executable> checks = new ArrayList<>();
        List<String> legend = legendNames();
        Map<String, Object> coloursAfter = chipColours();
        Object focused = browser.js("return document.activeElement.getAttribute('aria-label')");
        Object sameDocument = browser.js("return window.__sameDocument === true");
        checks.add(() -> assertEquals(List.of("edge-0 (#" + a + ")", "edge-2 (#" + c + ")"), legend, "the legend"));
        checks.add(() -> assertEquals(Boolean.TRUE, sameDocument, "redrawn in the page, not reloaded"));
        checks.add(() -> assertEquals(coloursBefore.get("" + a), coloursAfter.get("" + a), "run a keeps its colour"));
        checks.add(() -> assertEquals(coloursBefore.get("" + c), coloursAfter.get("" + c), "run c keeps its colour"));
        checks.add(() -> assertEquals("Remove edge-2 (#" + c + ") from the comparison", focused,
                "the focus goes to the next run's button"));
        assertAll(checks);

        browser.js("history.back()");
        browser.await("the run back in the address", d -> browser.route().endsWith("runs=" + a + "," + b + "," + c));
        awaitChartRuns(List.of(a, b, c));
        assertEquals(Boolean.TRUE, browser.js("return window.__sameDocument === true"), "back without a reload");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNewSelectionInTheAddressKeepsThePreviousRunsShownAsSuchUntilItsRunsLoadNeverAnEmptyPage() {
        long a = runs.get(0);
        long b = runs.get(1);
        long m = more.get(0);
        long n = more.get(1);
        browser.resize(1280, 800);
        browser.open("/projects/" + project + "/compare?runs=" + a + "," + b);
        browser.awaitHeading("Compare 2 runs");
        awaitChartRuns(List.of(a, b));
        // from here on, after every change to the page: how many charts, whether it says its runs have no params,
        // which selection the charts and tables show, and what the loading notice says
        browser.js("""
                window.__seen = [];
                const look = () => window.__seen.push({
                  charts: document.querySelectorAll('figure.metric-chart').length,
                  noParams: [...document.querySelectorAll('.compare-page .state-empty')]
                    .some((e) => e.textContent.includes('have no params')),
                  shows: document.querySelector('.compare-body')?.dataset.shows ?? null,
                  notice: document.querySelector('[data-testid=loading-runs]')?.textContent ?? null });
                window.__seenObserver = new MutationObserver(look);
                window.__seenObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
                look();""");
        String moreNames = "#" + m + ", #" + n;
        Object notice;
        try {
            browser.latency(1500);
            browser.js("location.hash = arguments[0]", "#/projects/" + project + "/compare?runs=" + m + "," + n);
            notice = browser.await("the loading notice", d -> browser.js(
                    "return document.querySelector('[data-testid=loading-runs]')?.textContent"));
            browser.screenshot("compare-previous-runs-while-loading");
        } finally {
            browser.latency(0);
        }
        awaitChartRuns(List.of(m, n));
        browser.await("the notice gone", d -> !browser.present("[data-testid=loading-runs]"));
        List<Map<String, Object>> seen = (List<Map<String, Object>>) browser.js(
                "window.__seenObserver.disconnect(); return window.__seen");
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertTrue(String.valueOf(notice).contains("Loading runs " + moreNames)
                && String.valueOf(notice).contains("the runs compared before (edge-0, edge-1)"), String.valueOf(notice)));
        checks.add(() -> assertTrue(seen.stream().allMatch(s -> ((Number) s.get("charts")).intValue() > 0),
                "the charts never all gone: " + seen));
        checks.add(() -> assertTrue(seen.stream().noneMatch(s -> Boolean.TRUE.equals(s.get("noParams"))),
                "never \"no params\": " + seen));
        checks.add(() -> assertTrue(seen.stream().filter(s -> "previous".equals(s.get("shows")))
                .allMatch(s -> String.valueOf(s.get("notice")).contains(moreNames)),
                "the previous runs only ever shown with the notice naming the runs loading: " + seen));
        checks.add(() -> assertTrue(seen.stream().anyMatch(s -> "previous".equals(s.get("shows"))), "seen: " + seen));
        checks.add(() -> assertEquals("current", seen.getLast().get("shows"), "at the end: " + seen));
        assertAll(checks);
    }

    @Test
    void aRunIsAddedBySearchingItsNameOrItsIdWithTheKeyboard() {
        long a = runs.get(0);
        long b = runs.get(1);
        long c = runs.get(2);
        long m = more.get(0);
        List<Executable> checks = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            browser.resize(width, 844);
            browser.open("/projects/" + project + "/compare?runs=" + a + "," + b);
            browser.awaitHeading("Compare 2 runs");
            awaitChartRuns(List.of(a, b));
            browser.js("window.__sameDocument = true");
            WebElement box = browser.find("#add-run-input");
            String label = (String) browser.js("return arguments[0].labels[0].textContent", box);
            checks.add(() -> assertEquals("Add run", label, "the box's label at " + width));

            box.sendKeys("edge-2");
            browser.await("the run found", d -> browser.all("#add-run-options [role=option]").size() == 1
                    && browser.find("#add-run-options").isDisplayed());
            String option = browser.find("#add-run-options [role=option]").getText();
            checks.add(() -> assertTrue(option.startsWith("edge-2 #" + c), option + " at " + width));
            List<String> axe = browser.seriousAccessibilityViolations();
            checks.add(() -> assertEquals(List.of(), axe, "axe with the list open at " + width));
            browser.js("document.querySelector('#add-run-input').scrollIntoView({block: 'center'})");
            browser.screenshot("compare-add-run-" + width);
            box.sendKeys(Keys.ARROW_DOWN);
            browser.await("the option active",
                    d -> ("add-run-option-" + c).equals(box.getAttribute("aria-activedescendant")));
            box.sendKeys(Keys.ENTER);
            browser.await("the run in the address", d -> browser.route().endsWith("runs=" + a + "," + b + "," + c));
            awaitChartRuns(List.of(a, b, c));
            String said = browser.find("#add-run-status").getText();
            Object focused = browser.js("return document.activeElement.id");
            checks.add(() -> assertEquals("Added edge-2 (#" + c + ").", said, "at " + width));
            checks.add(() -> assertEquals("add-run-input", focused, "the focus stays in the box at " + width));
            // the chip says "Loading run #c" until the runs list answers, which may come after the chart's data
            browser.await("the added run's chip named",
                    d -> browser.find(".compare-runs").getText().contains("edge-2 (#" + c + ")"));

            // by id: "#<id>" finds the run whatever its name; a run compared already is not offered
            box.sendKeys("#" + m);
            browser.await("the run of the id found", d -> browser.all("#add-run-options [role=option]").size() == 1);
            String byId = browser.find("#add-run-options [role=option]").getText();
            checks.add(() -> assertTrue(byId.startsWith("more-3 #" + m), byId));
            browser.find("#add-run-options [role=option]").click();
            browser.await("the second run in the address",
                    d -> browser.route().endsWith("runs=" + a + "," + b + "," + c + "," + m));
            awaitChartRuns(List.of(a, b, c, m));
            box.sendKeys("#" + a);
            browser.await("the run compared already", d -> browser.find("#add-run-status").getText()
                    .equals("Run #" + a + " is compared already."));
            int offered = browser.all("#add-run-options [role=option]").size();
            checks.add(() -> assertEquals(0, offered, "a run compared offered again at " + width));
            browser.js("document.querySelector('#add-run-input').scrollIntoView({block: 'center'})");
            browser.screenshot("compare-added-runs-" + width);
            Object sameDocument = browser.js("return window.__sameDocument === true");
            checks.add(() -> assertEquals(Boolean.TRUE, sameDocument, "added without a reload at " + width));
            // Escape closes the list, a second one empties the box
            box.sendKeys(Keys.ESCAPE, Keys.ESCAPE);
            String left = box.getAttribute("value");
            checks.add(() -> assertEquals("", left, "the box after Escape twice at " + width));
        }
        browser.resize(1280, 800);
        assertAll(checks);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRunsBeyondThePalettesSixColoursAreDrawnDashedAndTheirLegendShowsTheDash() {
        // in the URL newest first, as the runs table lists them: the dashes follow the URL's order, not the ids
        List<Long> all = new ArrayList<>(runs);
        all.addAll(more);
        all.sort(Comparator.reverseOrder());
        Map<Long, String> names = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            names.put(runs.get(i), "edge-" + i + " (#" + runs.get(i) + ")");
        }
        for (int i = 0; i < more.size(); i++) {
            names.put(more.get(i), "more-" + (3 + i) + " (#" + more.get(i) + ")");
        }
        List<Executable> checks = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            browser.resize(width, 844);
            browser.open("/projects/" + project + "/compare?runs="
                    + String.join(",", all.stream().map(String::valueOf).toList()));
            browser.awaitHeading("Compare 8 runs");
            awaitChartRuns(all);
            Map<String, Object> dashes = (Map<String, Object>) browser.js("return Object.fromEntries("
                    + "window.__trainyardCharts.byKey('val/accuracy').series().map(s => [s.runId, s.dash]))");
            Map<String, Object> legendDashes = (Map<String, Object>) browser.js("""
                    const rows = [...document.querySelectorAll(arguments[0] + ' .metric-chart__legend li')];
                    return Object.fromEntries(rows.map(li => [li.querySelector('.metric-chart__run').textContent,
                      li.querySelector('svg.metric-chart__swatch line')?.getAttribute('stroke-dasharray') ?? '']));""",
                    ACC_CHART);
            Map<String, Object> colours = chipColours();
            browser.js("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", ACC_CHART);
            browser.screenshot("compare-dashed-" + width);
            String at = " at " + width;
            for (int i = 0; i < all.size(); i++) {
                long id = all.get(i);
                boolean dashed = i >= 6;
                String nth = "run " + (i + 1) + " in the URL, " + names.get(id);
                List<Object> dash = (List<Object>) dashes.get("" + id);
                checks.add(() -> assertEquals(dashed, dash != null && !dash.isEmpty(),
                        nth + " drawn dashed: " + dashes + at));
                checks.add(() -> assertEquals(dashed, !String.valueOf(legendDashes.get(names.get(id))).isEmpty(),
                        nth + "'s legend key dashed: " + legendDashes + at));
            }
            // the seventh shares a colour with one of the first six: its dash tells them apart
            Object seventh = colours.get("" + all.get(6));
            checks.add(() -> assertTrue(all.subList(0, 6).stream().anyMatch(id -> seventh.equals(colours.get("" + id))),
                    "a repeated colour " + colours + at));
            checks.add(() -> assertEquals(6, all.subList(0, 6).stream().map(id -> colours.get("" + id)).distinct()
                    .count(), "six colours " + colours + at));
        }
        browser.resize(1280, 800);
        assertAll(checks);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theScattersPointsBeyondTheSixColoursHaveTheirRoundsMarkerInThePlotAndItsLegendInBothThemes() {
        // the edge runs first: the 7th and 8th of the URL are more-6 and more-7, which have an lr to plot
        List<Long> all = new ArrayList<>(runs);
        all.addAll(more);
        String route = "/projects/" + project + "/compare?runs=" + String.join(",", all.stream().map(String::valueOf)
                .toList()) + "&sx=lr&sy=val/accuracy";
        List<Executable> checks = new ArrayList<>();
        try {
            for (String scheme : new String[] {"light", "dark"}) {
                browser.resize(1280, 800);
                browser.colorScheme(scheme);
                browser.open(route);
                browser.awaitHeading("Compare 8 runs");
                browser.await("the scatter's five points and its legend of eight", d -> browser.all(
                        "svg.scatter .scatter__point").size() == 5 && browser.all(".scatter-legend li").size() == 8);
                browser.js("document.querySelector('svg.scatter').scrollIntoView({block: 'center'})");
                Map<String, Object> seen = (Map<String, Object>) browser.js("""
                        const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
                        const shape = (p) => ({ marker: p.dataset.marker, fill: getComputedStyle(p).fill, box: box(p) });
                        return {
                          dpr: devicePixelRatio,
                          bg: getComputedStyle(document.body).backgroundColor,
                          points: Object.fromEntries([...document.querySelectorAll('svg.scatter .scatter__point')]
                            .map((p) => [p.dataset.runId, shape(p)])),
                          keys: Object.fromEntries([...document.querySelectorAll('.scatter-legend li')]
                            .map((li) => [li.dataset.runId, shape(li.querySelector('path'))])),
                          chips: Object.fromEntries([...document.querySelectorAll('.compare-runs li')].map((li) => {
                            const s = li.querySelector('.metric-chart__swatch');
                            return [li.dataset.comparedRun, s.tagName === 'svg' ? getComputedStyle(s.querySelector('line')).stroke
                              : getComputedStyle(s).backgroundColor]; })) };""");
                BufferedImage shot = read(browser.screenshot("compare-scatter-markers-" + scheme));
                double dpr = ((Number) seen.get("dpr")).doubleValue();
                int[] bg = rgb((String) seen.get("bg"));
                Map<String, Map<String, Object>> points = (Map<String, Map<String, Object>>) seen.get("points");
                Map<String, Map<String, Object>> keys = (Map<String, Map<String, Object>>) seen.get("keys");
                Map<String, Object> chips = (Map<String, Object>) seen.get("chips");
                String at = " in the " + scheme + " theme: " + seen;
                for (int i = 0; i < all.size(); i++) {
                    String id = "" + all.get(i);
                    String expected = i < 6 ? "circle" : "square";
                    String nth = "run " + (i + 1) + " of the URL (#" + id + ")";
                    Map<String, Object> key = keys.get(id);
                    checks.add(() -> assertEquals(expected, key.get("marker"), nth + "'s legend key" + at));
                    checks.add(() -> assertEquals(chips.get(id), key.get("fill"), nth + "'s legend key's colour" + at));
                    double keyCover = coverage(shot, key, dpr, bg);
                    checks.add(() -> assertTrue(expected.equals("square") ? keyCover > 0.92 : keyCover > 0.68 && keyCover < 0.9,
                            nth + "'s legend key shows a " + expected + ": " + keyCover + " of its box painted" + at));
                    Map<String, Object> point = points.get(id);
                    if (i < 3) { // the edge runs have no lr
                        checks.add(() -> assertEquals(null, point, nth + " not plotted" + at));
                        continue;
                    }
                    checks.add(() -> assertEquals(expected, point.get("marker"), nth + "'s point" + at));
                    checks.add(() -> assertEquals(chips.get(id), point.get("fill"), nth + "'s point's colour" + at));
                    double cover = coverage(shot, point, dpr, bg);
                    checks.add(() -> assertTrue(expected.equals("square") ? cover > 0.92 : cover > 0.68 && cover < 0.9,
                            nth + "'s point shows a " + expected + ": " + cover + " of its box painted" + at));
                }
                // the 7th shares its colour with one of the first six: its marker tells them apart
                Object seventh = chips.get("" + all.get(6));
                checks.add(() -> assertTrue(all.subList(0, 6).stream().anyMatch(id -> seventh.equals(chips.get("" + id))),
                        "a repeated colour" + at));
            }
        } finally {
            browser.colorScheme("");
            browser.resize(1280, 800);
        }
        assertAll(checks);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLogAxisLabelsOneTwoAndFiveTimesPowersOfTenAndLeavesTheTicksBetweenUnlabelled() {
        Api api = dashboard.admin();
        long id = dashboard.parkedRun(api, project, null, "log-loss", Map.of("lr", 0.003), List.of()).get("id").asLong();
        dashboard.metric(api, project, id, "train/loss", 2.5, 0.9, 0.3, 0.1, 0.05, 0.025);
        String chart = "figure.metric-chart[data-chart-key='train/loss']";
        browser.resize(1280, 800);
        browser.open("/projects/" + project + "/compare?runs=" + id + "&log=1");
        browser.await("the loss chart drawn", d -> browser.js(
                "return document.querySelector(arguments[0])?.dataset.chartState === 'drawn'", chart));
        List<Object> labels = (List<Object>) browser.js(
                "return window.__trainyardCharts.list().find(c => c.key === 'train/loss').yLabels");
        browser.js("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", chart);
        browser.screenshot("compare-log-axis");
        List<String> shown = labels.stream().filter(java.util.Objects::nonNull).map(String::valueOf).toList();
        assertAll(
                () -> assertTrue(shown.size() >= 2, "labels: " + labels),
                () -> assertTrue(labels.size() > shown.size(), "minor ticks without a label: " + labels),
                () -> assertTrue(shown.stream().allMatch(l -> l.matches("0\\.0*[125]|[125]0*|[125]e[-+]\\d+")),
                        "every label 1, 2 or 5 x 10^k: " + labels));
    }

    private static BufferedImage read(java.nio.file.Path png) {
        try {
            return ImageIO.read(png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSS rgb()/rgba() colour as [r, g, b]. */
    private static int[] rgb(String css) {
        String[] parts = css.replaceAll("[^0-9.,]", "").split(",");
        return new int[] {(int) Double.parseDouble(parts[0]), (int) Double.parseDouble(parts[1]),
                (int) Double.parseDouble(parts[2])};
    }

    /**
     * The share of a shape's bounding box that the screenshot shows painted: every pixel the box touches counted by how
     * far its colour is from the page's background, against the colour at the shape's centre (so anti-aliased edges
     * count in part). About 0.79 (pi / 4) for a circle, 1 for a square, 0.5 for a triangle or a diamond.
     */
    @SuppressWarnings("unchecked")
    private static double coverage(BufferedImage shot, Map<String, Object> shape, double dpr, int[] bg) {
        List<Number> box = (List<Number>) shape.get("box");
        double left = box.get(0).doubleValue() * dpr;
        double top = box.get(1).doubleValue() * dpr;
        double w = box.get(2).doubleValue() * dpr;
        double h = box.get(3).doubleValue() * dpr;
        double full = distance(pixel(shot, (int) (left + w / 2), (int) (top + h / 2)), bg);
        double painted = 0;
        for (int y = (int) Math.floor(top); y < Math.ceil(top + h); y++) {
            for (int x = (int) Math.floor(left); x < Math.ceil(left + w); x++) {
                painted += Math.min(1, distance(pixel(shot, x, y), bg) / full);
            }
        }
        return painted / (w * h);
    }

    private static int[] pixel(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[] {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
    }

    private static double distance(int[] a, int[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    /**
     * How much darker than the page's white the list's top and bottom 3 pixel rows are, on average over their middle
     * half (0 to 255).
     */
    private double[] edgeShades(WebElement list) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(list.getScreenshotAs(OutputType.BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        double background = 255; // the page's white
        double top = 0;
        double bottom = 0;
        int n = 0;
        for (int x = w / 4; x < 3 * w / 4; x++) {
            for (int y = 0; y < 3; y++) {
                top += background - luminance(image.getRGB(x, y));
                bottom += background - luminance(image.getRGB(x, h - 1 - y));
                n++;
            }
        }
        return new double[] {top / n, bottom / n};
    }

    private static double luminance(int rgb) {
        return 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
    }
}
