package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's chromium, headless) against the real platform on PostgreSQL: signing
 * in, the runs table against the API's own answers, what outsiders and viewers see, accessibility (axe-core) and a
 * screenshot of every page under system-tests/target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {
    private static final double[] LR = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3};
    private static final int RUNS = 24;

    private Dashboard dashboard;
    private long project;
    private long experiment;
    private final List<Long> runIds = new ArrayList<>();
    private Browser admin;

    @BeforeAll
    void seed() {
        dashboard = Dashboard.get();
        project = dashboard.projectId();
        experiment = dashboard.experimentId();
        Api api = dashboard.admin();
        for (int i = 0; i < RUNS; i++) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("lr", LR[i % LR.length]);
            params.put("optimizer", i % 2 == 0 ? "adam" : "sgd");
            params.put("width", 32 * (1 + i % 3));
            List<String> tags = i % 3 == 0 ? List.of("sweep", "baseline") : List.of("sweep");
            long id = dashboard.parkedRun(api, project, experiment, String.format("sweep-%02d", i), params, tags)
                    .get("id").asLong();
            runIds.add(id);
            // a distinct last value per run (7 is prime to 24), each exact in 3 decimals
            dashboard.metric(api, project, id, "acc", 0.01, 0.02, ((i * 7) % RUNS + 1) / 40.0);
            if (i % 4 == 3) {
                dashboard.cancel(api, project, id);
            }
        }
        long other = dashboard.newExperiment(api, project, "other");
        dashboard.parkedRun(api, project, other, "elsewhere", Map.of("lr", 0.5), List.of("other"));
        admin = dashboard.adminBrowser();
    }

    @AfterAll
    void closeBrowser() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    @Order(1)
    void signingInThroughTheOneTimeLinkWorksOnceAndLeavesNoCodeOrTokenBehind() {
        String link = dashboard.signInLink();
        try (Browser b = new Browser(dashboard.baseUrl())) {
            b.get(link);
            b.awaitHeading("Projects");
            assertFalse(b.route().contains("code"), "the spent code is taken out of the address: " + b.route());
            assertFalse(((String) b.js("return document.cookie")).contains("trainyard_session"),
                    "the session cookie is HttpOnly");
            assertEquals(0L, b.js("return localStorage.length + sessionStorage.length"), "nothing kept in storage");
            b.awaitText("system-test"); // the admin's project

            b.button("Sign out").click();
            b.await("the sign-in form after signing out", d -> b.present("#token"));
            assertEquals(401L, b.asyncJs("const done = arguments[0];"
                    + "fetch('/api/v1/session').then(r => done(r.status))"), "the session ended on the server");
        }
        try (Browser reused = new Browser(dashboard.baseUrl())) {
            reused.get(link);
            reused.awaitText("This sign-in link does not work");
            assertFalse(reused.present("nav[aria-label=Main]"), "a reused code signs nobody in");
            reused.screenshot("login-refused");
            assertEquals(List.of(), reused.seriousAccessibilityViolations(), "axe on the sign-in page");
        }
        try (Browser bad = new Browser(dashboard.baseUrl())) {
            bad.get(dashboard.baseUrl() + "/#/login?code=not-a-code");
            bad.awaitText("This sign-in link does not work");
            assertFalse(bad.present("nav[aria-label=Main]"), "a made-up code signs nobody in");
        }
    }

    @Test
    @Order(2)
    void theRunsTableListsTheRunsTheApiListsSortedAndFilteredAsAsked() {
        String filter = "param.lr<0.05";
        admin.open("/projects/" + project + "/experiments/" + experiment + "/runs?filter=" + enc(filter)
                + "&sort=metric.acc,asc&cols=param.lr,metric.acc");
        List<JsonNode> expected = dashboard.listRuns(dashboard.admin(), project,
                "experimentId=" + experiment + "&filter=" + enc(filter) + "&sort=" + enc("metric.acc,asc"));
        assertEquals(16, expected.size(), "4 of the 6 learning rates are below 0.05");
        assertTableShows(expected);
        admin.screenshot("runs-experiment");

        // a status filter, through its checkbox
        admin.find(".status-filter label.status-CANCELLED input").click();
        admin.await("the status in the URL", d -> admin.route().contains("status=CANCELLED"));
        assertTableShows(dashboard.listRuns(dashboard.admin(), project, "experimentId=" + experiment
                + "&status=CANCELLED&filter=" + enc(filter) + "&sort=" + enc("metric.acc,asc")));

        // a name search, typed
        admin.find(".filters input[type=search]").sendKeys("sweep-1");
        admin.await("the name search in the URL", d -> admin.route().contains("q=sweep-1"));
        assertTableShows(dashboard.listRuns(dashboard.admin(), project, "experimentId=" + experiment
                + "&status=CANCELLED&name=sweep-1&filter=" + enc(filter) + "&sort=" + enc("metric.acc,asc")));

        // sorting by clicking the column header flips the direction
        admin.open("/projects/" + project + "/runs?tag=baseline&cols=param.lr,metric.acc&sort=metric.acc,asc");
        admin.find("[role=columnheader][title='metric.acc'] button").click();
        admin.await("the sort in the URL", d -> admin.route().contains("sort=metric.acc,desc"));
        List<JsonNode> baselineDesc = dashboard.listRuns(dashboard.admin(), project,
                "tag=baseline&sort=" + enc("metric.acc,desc"));
        assertEquals(RUNS / 3, baselineDesc.size());
        assertTableShows(baselineDesc);

        // the view is its URL: a reload shows the same rows
        admin.driver().navigate().refresh();
        assertTableShows(baselineDesc);

        // selecting two runs offers to compare exactly them
        List<WebElement> boxes = admin.all("[data-run-id] input[type=checkbox]");
        boxes.get(0).click();
        admin.all("[data-run-id] input[type=checkbox]").get(1).click();
        String first = baselineDesc.get(0).get("id").asText();
        String second = baselineDesc.get(1).get("id").asText();
        admin.await("both runs selected in the URL", d -> admin.route().contains("sel=" + first + "," + second));
        WebElement compare = admin.find("a.button.primary[href*='compare']");
        assertTrue(compare.getAttribute("href").endsWith("/compare?runs=" + first + "%2C" + second),
                compare.getAttribute("href"));
        admin.screenshot("runs-project");
    }

    @Test
    @Order(3)
    void aUserOfAnotherProjectSeesNeitherItsRunsNorItsCharts() throws InterruptedException {
        Dashboard.User outsider = dashboard.newUser("outsider");
        dashboard.newProject(outsider, "theirs");
        assertEquals(404, outsider.api().get("/api/v1/projects/" + project + "/runs").status());
        long run = runIds.getFirst();
        try (Browser b = dashboard.browserAs(outsider)) {
            b.awaitText("theirs");
            assertFalse(b.bodyText().contains("system-test"), "another project is not listed:\n" + b.bodyText());
            for (String route : List.of("/projects/" + project + "/runs",
                    "/projects/" + project + "/experiments/" + experiment + "/runs",
                    "/projects/" + project + "/runs/" + run,
                    "/projects/" + project + "/compare?runs=" + runIds.get(0) + "," + runIds.get(1))) {
                b.open(route);
                if (route.endsWith("/runs")) {
                    b.await("an error instead of " + route, d -> b.present("[role=alert]"));
                }
                b.await("the page's content", d -> b.present("h1"));
                b.awaitLoaded();
                Thread.sleep(500); // whatever the page asked for has been answered
                assertFalse(b.bodyText().contains("sweep-"), route + " shows no run:\n" + b.bodyText());
                assertFalse(b.present("[data-run-id]"), route + " has no run rows");
                assertEquals(0L, b.js("return document.querySelectorAll('canvas').length"), route + " draws no chart");
            }
        }
    }

    @Test
    @Order(4)
    void aViewerSeesNoWriteActionsWhereAnEditorDoes() {
        Dashboard.User viewer = dashboard.newUser("viewer");
        dashboard.addMember(dashboard.admin(), project, viewer, "viewer");
        String[] writes = {"New run", "New experiment", "Add a member", "Cancel", "Retry", "Tag runs", "Remove",
                "Role of", "Submit run", "Clone"};
        List<String> pages = List.of("/projects/" + project, "/projects/" + project + "/runs",
                "/projects/" + project + "/new-run");
        // the admin sees them (so their absence below means something)
        admin.open(pages.get(0));
        admin.awaitLoaded();
        assertFalse(admin.controlsNamed(writes).isEmpty(), "the project admin sees write actions");
        try (Browser b = dashboard.browserAs(viewer)) {
            for (String route : pages) {
                b.open(route);
                b.awaitLoaded();
                b.await("the page's content", d -> b.present("h1"));
                if (route.endsWith("/runs")) {
                    b.await("the viewer's rows", d -> b.present("[data-run-id]"));
                }
                assertEquals(List.of(), b.controlsNamed(writes), "a viewer's " + route + " offers no writes");
            }
            b.open("/projects/" + project + "/new-run");
            b.awaitText("needs the editor role");
            b.screenshot("new-run-viewer");
        }
    }

    @Test
    @Order(5)
    void cookieWritesCarryTheCsrfTokenBulkCancelAndNewRunWithItsSpecCheckedAsYouType() {
        // bulk cancel through the session cookie (a write needs X-CSRF-Token, or the API answers 403)
        long queued = runIds.get(0);
        assertEquals("QUEUED", dashboard.admin().getJson(runPath(queued)).get("status").asText());
        admin.open("/projects/" + project + "/experiments/" + experiment + "/runs?q=sweep-00");
        admin.await("the one run", d -> admin.all("[data-run-id]").size() == 1);
        admin.find("[data-run-id='" + queued + "'] input[type=checkbox]").click();
        admin.button("Cancel runs").click();
        admin.awaitText("Cancelled 1 of 1 runs.");
        assertEquals("CANCELLED", dashboard.admin().getJson(runPath(queued)).get("status").asText());

        // the new-run editor: the API's problems appear at their lines, and a good spec submits
        admin.open("/projects/" + project + "/new-run");
        WebElement editor = admin.find("#spec-yaml");
        String yaml = """
                name: from the dashboard
                dataset:
                  name: fashion-mnist
                  trainSubset: 640
                  testSubset: 200
                model:
                  builtin: mlp
                optimizer:
                  type: adam
                  lr: -0.5
                batchSize: 64
                epochs: 1
                """;
        setEditor(editor, yaml);
        admin.awaitText("/spec/optimizer/lr");
        WebElement problem = admin.find(".spec-status .problems li");
        String shown = problem.getText().replaceAll("\\s+", " ");
        assertTrue(shown.startsWith("line 10 /spec/optimizer/lr: must be > 0"), shown);
        assertEquals("10", admin.find(".spec-editor .gutter .bad").getText(), "the gutter marks line 10");
        admin.screenshot("new-run-problem");

        setEditor(editor, yaml.replace("lr: -0.5", "lr: 0.001"));
        admin.awaitText("The platform accepts this spec.");
        admin.find("input[placeholder^='run-']").sendKeys("made-in-the-browser");
        admin.button("Submit run").click();
        admin.await("the new run's page", d -> admin.route().matches("/projects/" + project + "/runs/\\d+"));
        long id = Long.parseLong(admin.route().replaceAll(".*/runs/", ""));
        JsonNode run = dashboard.admin().getJson(runPath(id));
        assertEquals("made-in-the-browser", run.get("name").asText());
        assertEquals(0.001, run.get("spec").get("optimizer").get("lr").asDouble());
    }

    @Test
    @Order(6)
    void everyPageHasNoSeriousAccessibilityViolationsAndIsScreenshotted() {
        long run = runIds.getFirst();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("projects", "/projects");
        pages.put("project", "/projects/" + project);
        pages.put("runs", "/projects/" + project + "/experiments/" + experiment + "/runs?cols=param.lr,metric.acc");
        pages.put("run", "/projects/" + project + "/runs/" + run);
        pages.put("compare", "/projects/" + project + "/compare?runs=" + runIds.get(0) + "," + runIds.get(1));
        pages.put("queue", "/queue");
        pages.put("new-run", "/projects/" + project + "/new-run");
        Map<String, List<String>> violations = new LinkedHashMap<>();
        for (var page : pages.entrySet()) {
            admin.resize(1280, 800);
            admin.open(page.getValue());
            admin.await("the " + page.getKey() + " page", d -> admin.present("h1"));
            admin.awaitLoaded();
            admin.await("the " + page.getKey() + " page's charts in view to be drawn",
                    d -> d.findElements(By.xpath("//p[@class='metric-chart__status' and text()='Loading…']")).isEmpty());
            admin.screenshot(page.getKey());
            List<String> found = admin.seriousAccessibilityViolations();
            if (!found.isEmpty()) {
                violations.put(page.getKey(), found);
            }
            admin.resize(390, 844);
            admin.screenshot(page.getKey() + "-390");
        }
        admin.resize(1280, 800);
        try (Browser signedOut = new Browser(dashboard.baseUrl())) {
            signedOut.open("/login");
            signedOut.find("#token");
            signedOut.screenshot("login");
            List<String> found = signedOut.seriousAccessibilityViolations();
            if (!found.isEmpty()) {
                violations.put("login", found);
            }
        }
        assertEquals(Map.of(), violations, "axe-core's serious and critical violations, by page");
    }

    @Test
    @Order(7)
    void theProjectWideTableShowsStatusChangesAndMetricValuesLive() {
        Api api = dashboard.admin();
        long live = dashboard.newExperiment(api, project, "live");
        long id = dashboard.parkedRun(api, project, live, "live-one", Map.of("lr", 0.2), List.of()).get("id").asLong();
        dashboard.metric(api, project, id, "acc", 0.125);
        admin.open("/projects/" + project + "/runs?q=live-one&cols=param.lr,metric.acc");
        assertEquals(List.of(id + " live-one QUEUED lr=0.2 acc=0.125"), tableRows());
        admin.js("window.notReloaded = true"); // a reload or a re-render from scratch would lose it

        // the status arrives by the stream's snapshot or its event, either way through the project's stream
        dashboard.cancel(api, project, id);
        admin.await("the cancel shown live", d -> tableRows().equals(List.of(id + " live-one CANCELLED lr=0.2 acc=0.125")));
        // the stream is open now, so the new point can only come as its metrics event
        dashboard.metric(api, project, id, "acc", 0.125, 0.5);
        admin.await("the new acc shown live", d -> tableRows().equals(List.of(id + " live-one CANCELLED lr=0.2 acc=0.5")));
        assertEquals(true, admin.js("return window.notReloaded === true"), "the page was not reloaded");
        assertTableShows(dashboard.listRuns(api, project, "name=live-one"));
    }

    @Test
    @Order(8)
    void theColumnPickerSearchesKeysOfRunsTheViewHasNotLoaded() {
        // only "elsewhere" is loaded; "width" is a param of the sweep runs alone, found by the API's key search
        admin.open("/projects/" + project + "/runs?q=elsewhere");
        admin.awaitLoaded();
        admin.button("Columns").click();
        admin.find("#column-picker-panel input[type=search]").sendKeys("WIDT");
        admin.await("the API's match for 'WIDT'", d -> admin.find("#column-picker-panel .key-list").getText()
                .replaceAll("\\s+", " ").strip().equals("param width"));
        admin.find("#column-picker-panel .key-list input[type=checkbox]").click();
        admin.await("the column in the URL", d -> admin.route().contains("cols=param.width"));
    }

    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void theRunsTableRowsFillItsWidthAndAFocusedCheckboxStaysWithItsRunWhileScrolledAway() {
        openRunsTableAt1280();
        Map<String, Object> wide = (Map<String, Object>) admin.js("""
                const t = document.querySelector('.runs-table');
                const row = t.querySelector('.rt-body [data-index]');
                const cells = row.querySelectorAll('[role=cell]');
                return { table: t.clientWidth, row: row.getBoundingClientRect().width,
                  header: t.querySelector('.rt-header .rt-row').getBoundingClientRect().width,
                  lastCellRight: cells[cells.length - 1].getBoundingClientRect().right - row.getBoundingClientRect().left,
                  scrolls: t.scrollWidth > t.clientWidth };""");
        double table = ((Number) wide.get("table")).doubleValue();
        assertEquals(table, ((Number) wide.get("row")).doubleValue(), 1, "a row is as wide as the table: " + wide);
        assertEquals(table, ((Number) wide.get("header")).doubleValue(), 1, "the header too: " + wide);
        assertEquals(table, ((Number) wide.get("lastCellRight")).doubleValue(), 1, "the columns end at the table's edge: " + wide);
        assertEquals(false, wide.get("scrolls"), "no sideways scroll when the columns fit: " + wide);
        assertColumns(table);

        // the first row's checkbox holds focus while the table scrolls to its end: the focus stays on that run's row
        Map<String, Object> focus = (Map<String, Object>) admin.asyncJs("""
                const done = arguments[0];
                const t = document.querySelector('.runs-table');
                const box = t.querySelector(".rt-body [data-index='0'] input[type=checkbox]");
                const runId = box.closest('[data-run-id]').dataset.runId;
                box.focus();
                t.scrollTop = t.scrollHeight;
                requestAnimationFrame(() => requestAnimationFrame(() => {
                  const row = document.activeElement.closest('[data-run-id]');
                  done({ runId, focusedRun: row && row.dataset.runId, focusedIndex: row && row.dataset.index,
                    rowsShown: [...t.querySelectorAll('.rt-body [data-index]')].map(r => Number(r.dataset.index)),
                    scrolled: t.scrollTop });
                }));""");
        assertTrue(((Number) focus.get("scrolled")).doubleValue() > 200, "the table scrolled: " + focus);
        assertFalse(((List<Object>) focus.get("rowsShown")).contains(1L), "row 1 left the view: " + focus);
        assertEquals(focus.get("runId"), focus.get("focusedRun"), "the focus is still in its own run's row: " + focus);
        assertEquals("0", focus.get("focusedIndex"), "at its own index: " + focus);

        // a phone's width: the columns keep their widths and the table scrolls sideways
        admin.resize(390, 844);
        Map<String, Object> narrow = (Map<String, Object>) admin.js("""
                const t = document.querySelector('.runs-table');
                const row = t.querySelector('.rt-body [data-index]');
                return { table: t.clientWidth, scrollWidth: t.scrollWidth, row: row.getBoundingClientRect().width };""");
        assertTrue(((Number) narrow.get("scrollWidth")).doubleValue() > ((Number) narrow.get("table")).doubleValue() + 300,
                "scrolls sideways at 390 px: " + narrow);
        assertEquals(((Number) narrow.get("scrollWidth")).doubleValue(), ((Number) narrow.get("row")).doubleValue(), 1,
                "the row spans the scrolled width: " + narrow);
        assertColumns(((Number) narrow.get("scrollWidth")).doubleValue());
        // scrolled sideways to the end, the run's name is still at the left edge: the row stays identifiable
        Map<String, Object> edge = admin.leftEdgeScrolledToEnd(".runs-table", null);
        assertTrue(((Number) edge.get("scrolled")).doubleValue() > 300, "scrolled sideways: " + edge);
        Object edgeKey = admin.js("const s = document.querySelector('.runs-table'); const b = s.getBoundingClientRect();"
                + " return document.elementFromPoint(b.left + 8, b.top + b.height / 2)?.closest('[data-key]')?.dataset.key;");
        assertEquals("name", edgeKey, "the cell at the left edge scrolled sideways: " + edge);
        admin.screenshot("runs-390-scrolled");
        admin.resize(1280, 800);
    }

    @Test
    @Order(10)
    @SuppressWarnings("unchecked")
    void theComparePageChartsEveryKeyAnyRunHasWithALineOnlyForTheRunsThatHaveIt() {
        Api api = dashboard.admin();
        long a = runIds.get(0);
        long b = runIds.get(1);
        dashboard.metric(api, project, b, "val/only-b", 0.5, 0.25);
        admin.open("/projects/" + project + "/compare?runs=" + a + "," + b);
        admin.await("both charts drawn", d -> {
            List<Object> states = (List<Object>) admin.js("return [...document.querySelectorAll('figure.metric-chart')]"
                    + ".map(f => f.dataset.chartKey + ':' + f.dataset.chartState)");
            return states.equals(List.of("acc:drawn", "val/only-b:drawn"));
        });
        List<Object> lines = (List<Object>) admin.js("return window.__trainyardCharts.byKey('val/only-b').series()"
                + ".filter(s => s.x.length > 0).map(s => [s.runId, s.y])");
        assertEquals(List.of(List.of(b, List.of(0.5, 0.25))), lines, "only run " + b + " has a line, with its points");
        admin.screenshot("compare-union-keys");
    }

    @Test
    @Order(11)
    @SuppressWarnings("unchecked")
    void aRunningRunsDurationTicksWithoutARenderAndARecycledRowShowsItsOwnRunsDuration() {
        openRunsTableAt1280();
        // The page's clock stands still until the test moves it, and the listing's answers are rewritten: the first
        // run has run for 65 s and still runs, every other one ran for 65 s (so their Duration reads as the running
        // one's did when it was rendered). No worker needed, and the times are exact.
        admin.js("""
                const realNow = Date.now.bind(Date);
                window.__clock = realNow();
                Date.now = () => window.__clock;
                const realFetch = window.fetch;
                window.fetch = async (...args) => {
                  const response = await realFetch(...args);
                  if (!/\\/runs\\?/.test(String(args[0]))) return response;
                  const page = await response.json();
                  const iso = (ms) => new Date(ms).toISOString();
                  (page.items ?? []).forEach((r, i) => {
                    r.startedAt = iso(window.__clock - (i === 0 ? 65000 : 300000));
                    r.finishedAt = i === 0 ? null : iso(window.__clock - 300000 + 65000);
                    r.status = i === 0 ? 'RUNNING' : 'SUCCEEDED';
                  });
                  return new Response(JSON.stringify(page), { status: response.status, headers: response.headers });
                };
                location.hash = '#/projects/%d/experiments/%d/runs?sort=createdAt,asc';""".formatted(project, experiment));
        try {
            admin.await("the rewritten listing", d -> "1 min 5 s".equals(admin.js(
                    "return document.querySelector(\".rt-body [data-index='0'] [data-key=duration]\")?.textContent")));
            String running = (String) admin.js("return document.querySelector(\".rt-body [data-index='0']\").dataset.runId");

            // ten seconds pass: the running run's cell ticks, and nothing else in the table changes (no row re-rendered)
            admin.js("""
                    window.__mutations = [];
                    window.__lastChildListAt = performance.now();
                    new MutationObserver((ms) => ms.forEach((m) => {
                        if (m.type === 'childList') window.__lastChildListAt = performance.now();
                        window.__mutations.push({ type: m.type,
                          row: m.target.parentElement?.closest('[data-run-id]')?.dataset.runId ?? null,
                          cell: m.target.parentElement?.closest('[data-key]')?.dataset.key ?? null });
                      }))
                      .observe(document.querySelector('.runs-table'), { subtree: true, childList: true, attributes: true,
                        characterData: true });""");
            // the first row's text can be there while the virtualised table still adds the rows below it (CI saw
            // those insertions in the ten seconds once): the clock moves only once no row has come or gone for 0.5 s
            admin.await("the table settled", d -> Boolean.TRUE.equals(admin.js(
                    "return performance.now() - window.__lastChildListAt > 500")));
            admin.js("window.__mutations = []; window.__clock += 10000;");
            admin.await("the running run's Duration to tick", d -> "1 min 15 s".equals(admin.js(
                    "return document.querySelector(\".rt-body [data-index='0'] [data-key=duration]\").textContent")));
            admin.screenshot("runs-running-ticked");
            List<Object> mutations = (List<Object>) admin.js("return window.__mutations");
            assertEquals(List.of(Map.of("type", "characterData", "row", running, "cell", "duration")),
                    mutations.stream().distinct().toList(), "only the running run's Duration text changed: " + mutations);

            // scrolled to the end, the running run's row is recycled for another run: it shows that run's 65 s
            Map<String, Object> scrolled = (Map<String, Object>) admin.asyncJs("""
                    const done = arguments[0];
                    const t = document.querySelector('.runs-table');
                    t.scrollTop = t.scrollHeight;
                    requestAnimationFrame(() => requestAnimationFrame(() => done(Object.fromEntries(
                      [...t.querySelectorAll('.rt-body [data-run-id]')].map((r) => [r.dataset.runId,
                        r.querySelector('[data-key=duration]').textContent])))));""");
            admin.screenshot("runs-running-scrolled-away");
            assertFalse(scrolled.containsKey(running), "the running run scrolled away: " + scrolled);
            assertTrue(scrolled.size() > 5, "rows in view: " + scrolled);
            scrolled.forEach((run, shown) -> assertEquals("1 min 5 s", shown, "run " + run + "'s Duration: " + scrolled));
        } finally {
            admin.driver().navigate().refresh(); // the real clock and fetch again
            admin.resize(1280, 800);
        }
    }

    @Test
    @Order(12)
    @SuppressWarnings("unchecked")
    void aCheckedRunsSelectionAndFocusStayWithItsRunWhileRowsAreRecycledOrTheListingChanges() {
        admin.resize(1280, 600);
        String route = "/projects/" + project + "/experiments/" + experiment + "/runs";
        admin.open(route + "?sort=createdAt,desc");
        admin.awaitLoaded();
        admin.await("rows", d -> admin.present(".rt-body [data-index='0']"));
        WebElement box = admin.find(".rt-body [data-index='0'] input[type=checkbox]");
        String run = (String) admin.js("return arguments[0].closest('[data-run-id]').dataset.runId", box);
        box.click(); // selects the run and focuses its checkbox
        admin.await("the run selected in the URL", d -> admin.route().contains("sel=" + run));

        // scrolled to the end, every row shown is checked and aria-selected exactly when its own run is selected,
        // and the focus is still in the selected run's row
        Map<String, Object> scrolled = (Map<String, Object>) admin.asyncJs("""
                const done = arguments[0];
                const t = document.querySelector('.runs-table');
                t.scrollTop = t.scrollHeight;
                requestAnimationFrame(() => requestAnimationFrame(() => done({
                  rows: Object.fromEntries([...t.querySelectorAll('.rt-body [data-run-id]')].map((r) => [r.dataset.runId,
                    r.querySelector('input[type=checkbox]').checked + ' ' + r.getAttribute('aria-selected')])),
                  focused: document.activeElement.closest('[data-run-id]')?.dataset.runId ?? null })));""");
        Map<String, Object> rows = (Map<String, Object>) scrolled.get("rows");
        assertTrue(rows.size() > 5, "rows in view: " + scrolled);
        rows.forEach((id, state) -> assertEquals(id.equals(run) ? "true true" : "false false", state,
                "run " + id + "'s checkbox and aria-selected: " + scrolled));
        assertEquals(run, scrolled.get("focused"), "the focus stayed with the run: " + scrolled);

        // Space on the focused checkbox, scrolled away, unselects that same run
        new org.openqa.selenium.interactions.Actions(admin.driver()).sendKeys(org.openqa.selenium.Keys.SPACE).perform();
        admin.await("the run unselected", d -> !admin.route().contains("sel="));
        assertEquals(0L, admin.js("return document.querySelectorAll('.rt-body input[type=checkbox]:checked').length"));

        // the listing changes while the first row's checkbox holds focus (the sort reversed, as the Back button
        // would): the focus must not stay in a row that now shows another run
        admin.js("""
                const t = document.querySelector('.runs-table');
                t.scrollTop = 0;
                t.querySelector(".rt-body [data-index='0'] input[type=checkbox]").focus();""");
        String first = (String) admin.js("return document.activeElement.closest('[data-run-id]').dataset.runId");
        admin.js("location.hash = arguments[0]", "#" + route + "?sort=createdAt,asc");
        admin.await("the reversed listing", d -> !first.equals(admin.js(
                "return document.querySelector(\".rt-body [data-index='0']\")?.dataset.runId")));
        Object focusedRun = admin.js("return document.activeElement.closest('[data-run-id]')?.dataset.runId ?? null");
        assertTrue(focusedRun == null || focusedRun.equals(first),
                "the focus is not in a row of another run (" + focusedRun + ", focused was " + first + ")");
        admin.resize(1280, 800);
    }

    @Test
    @Order(13)
    @SuppressWarnings("unchecked")
    void comparingTwentyRunsNamesTheProjectLoadsTheRunsInOneRequestAndKeepsTheAxesInsideTheirFieldset() {
        String projectName = dashboard.admin().getJson("/api/v1/projects/" + project).get("name").asText();
        List<Long> twenty = runIds.subList(0, 20);
        admin.resize(1280, 800);
        admin.open("/projects/" + project);
        admin.awaitLoaded();
        // a navigation inside the app, so that the resource timings cleared here are the compare page's alone
        admin.js("performance.clearResourceTimings(); location.hash = arguments[0]", "#/projects/" + project
                + "/compare?runs=" + String.join(",", twenty.stream().map(String::valueOf).toList()));
        admin.awaitHeading("Compare 20 runs");
        admin.awaitLoaded();
        admin.await("the Axes fieldset", d -> admin.present(".pc-controls fieldset label"));

        // every check is made and reported, so that one run shows each of the page's flaws
        List<Executable> checks = new ArrayList<>();
        String breadcrumbs = admin.find("nav.breadcrumbs").getText().strip();
        checks.add(() -> assertEquals(projectName + " / Runs / Compare", breadcrumbs));
        List<Object> runRequests = (List<Object>) admin.js("return performance.getEntriesByType('resource')"
                + ".map(e => new URL(e.name).pathname + new URL(e.name).search)"
                + ".filter(p => p.startsWith('/api/v1/projects/" + project + "/runs'))");
        checks.add(() -> assertEquals(1, runRequests.size(), "requests for the compared runs: " + runRequests));
        checks.add(() -> assertTrue(String.valueOf(runRequests.getFirst()).contains("id=" + twenty.getFirst() + "%2C"),
                String.valueOf(runRequests.getFirst())));
        Api api = dashboard.admin();
        List<String> names = twenty.stream().map(id -> api.getJson(runPath(id)).get("name").asText() + " (#" + id + ")")
                .toList();
        List<String> shown = admin.all(".compare-runs li a").stream().map(WebElement::getText).toList();
        checks.add(() -> assertEquals(names, shown));

        for (int width : new int[] {1280, 390}) {
            admin.resize(width, 800);
            admin.js("document.querySelector('.pc-controls fieldset').scrollIntoView({block: 'center'})");
            // No row of checkboxes is cut by the fieldset's border, its legend or a scroller inside it, as the page
            // opens and scrolled to the end; scrolled to the end, the last one is whole and in view.
            Map<String, Object> boxes = (Map<String, Object>) admin.js("""
                    const f = document.querySelector('.pc-controls fieldset');
                    const box = f.getBoundingClientRect();
                    const inner = [f.querySelector('legend').getBoundingClientRect().bottom,
                        box.bottom - parseFloat(getComputedStyle(f).borderBottomWidth)];
                    const labels = [...f.querySelectorAll('label')];
                    const shown = (l) => {
                      const r = l.getBoundingClientRect();
                      let [top, bottom] = inner;
                      for (let e = l.parentElement; e !== f.parentElement; e = e.parentElement) {
                        if (getComputedStyle(e).overflowY === 'visible') continue;
                        const c = e.getBoundingClientRect();
                        top = Math.max(top, c.top + e.clientTop);
                        bottom = Math.min(bottom, c.top + e.clientTop + e.clientHeight);
                      }
                      return Math.max(0, Math.min(r.bottom, bottom) - Math.max(r.top, top)) / r.height;
                    };
                    const cut = () => labels.filter((l) => shown(l) > 0.01 && shown(l) < 0.99)
                        .map((l) => l.textContent.trim() + ' ' + Math.round(shown(l) * 100) + '%');
                    for (const e of [f, ...f.querySelectorAll('*')]) e.scrollTop = 0;
                    const opened = cut();
                    for (const e of [f, ...f.querySelectorAll('*')]) e.scrollTop = e.scrollHeight;
                    const last = labels.at(-1).getBoundingClientRect();
                    const hit = document.elementFromPoint(last.left + 4, last.top + last.height / 2);
                    return {count: labels.length, cutAsOpened: opened, cutAtTheEnd: cut(),
                        lastShown: shown(labels.at(-1)), lastInView: labels.at(-1).contains(hit),
                        lastRight: last.right, right: box.right};""");
            admin.screenshot("compare-axes-" + width);
            String at = "at " + width + " px, " + boxes.get("count") + " axes: ";
            checks.add(() -> assertEquals(List.of(), boxes.get("cutAsOpened"), at + "rows cut as the page opens"));
            checks.add(() -> assertEquals(List.of(), boxes.get("cutAtTheEnd"), at + "rows cut, scrolled to the end"));
            checks.add(() -> assertTrue(((Number) boxes.get("lastShown")).doubleValue() > 0.99
                    && Boolean.TRUE.equals(boxes.get("lastInView")), at + "the last axis is not whole in view: "
                    + boxes));
            checks.add(() -> assertTrue(((Number) boxes.get("lastRight")).doubleValue()
                    <= ((Number) boxes.get("right")).doubleValue(), at + boxes));
        }
        // the scatter: each round of the palette its own marker, in the URL's order, in the plot and in its legend
        admin.resize(1280, 800);
        admin.open("/projects/" + project + "/compare?runs=" + String.join(",", twenty.stream().map(String::valueOf)
                .toList()) + "&sx=lr&sy=acc");
        admin.await("the scatter's 20 points", d -> admin.all("svg.scatter .scatter__point").size() == 20);
        List<String> rounds = List.of("circle", "square", "triangle", "diamond");
        List<String> expected = twenty.stream().map(id -> rounds.get(twenty.indexOf(id) / 6)).toList();
        try {
            for (String scheme : new String[] {"light", "dark"}) {
                admin.colorScheme(scheme);
                admin.js("document.querySelector('svg.scatter').scrollIntoView({block: 'center'})");
                admin.screenshot("compare-scatter-20-" + scheme);
            }
        } finally {
            admin.colorScheme("");
        }
        for (String where : new String[] {"svg.scatter .scatter__point", ".scatter-legend li"}) {
            List<Object> markers = (List<Object>) admin.js("return [...document.querySelectorAll(arguments[0])]"
                    + ".map(e => [Number(e.dataset.runId), (e.dataset.marker ? e : e.querySelector('[data-marker]'))"
                    + ".dataset.marker])", where);
            List<Object> want = twenty.stream().map(id -> (Object) List.of(id, expected.get(twenty.indexOf(id)))).toList();
            checks.add(() -> assertEquals(want, markers, "the markers by the URL's order in " + where));
        }
        assertAll(checks);
    }

    @Test
    @Order(14)
    void theRunPageSummarisesEveryMetricAboveItsChartsWithTheLastValueAndTheBestOfLossesAndAccuracies() {
        Api api = dashboard.admin();
        long run = runIds.get(2); // acc 0.01, 0.02, 0.375 from the seeding
        dashboard.metric(api, project, run, "val/loss", 0.9, 0.4, 0.6);
        dashboard.metric(api, project, run, "lr", 0.1, 0.05);
        dashboard.metric(api, project, run, "system/cpu", 10, 20);
        admin.resize(1280, 800);
        admin.open("/projects/" + project + "/runs/" + run);
        admin.await("the summary", d -> admin.all("table.metric-summary tbody tr").size() == 4);
        List<String> rows = admin.all("table.metric-summary tbody tr").stream()
                .map(r -> r.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList()
                        .toString())
                .toList();
        assertEquals(List.of(
                "[acc, 0.375, 3, 0.375 (max)]",
                "[lr, 0.05, 2, ]",
                "[val/loss, 0.6, 3, 0.4 (min)]",
                "[system/cpu, 20, 2, ]"), rows, "key, last, step, best");
        double summaryTop = ((Number) admin.js(
                "return document.querySelector('table.metric-summary').getBoundingClientRect().top")).doubleValue();
        double firstChartTop = ((Number) admin.js(
                "return document.querySelector('figure.metric-chart').getBoundingClientRect().top")).doubleValue();
        assertTrue(summaryTop < firstChartTop, "the summary is above the charts: " + summaryTop + " vs "
                + firstChartTop);
        // the numbers' columns (Last, Step, Best) right-aligned in figures of one width, the metric names left
        @SuppressWarnings("unchecked")
        List<String> aligns = (List<String>) admin.js("return [...document.querySelectorAll('table.metric-summary "
                + "thead tr > *')].map(c => { const s = getComputedStyle(c); return s.textAlign + ' '"
                + " + s.fontVariantNumeric; })");
        assertEquals(List.of("left normal", "right tabular-nums", "right tabular-nums", "right tabular-nums"), aligns,
                "the header's cells: Metric, Last, Step, Best");
        @SuppressWarnings("unchecked")
        List<Number> gaps = (List<Number>) admin.js("return [...document.querySelectorAll('table.metric-summary "
                + "tbody tr td:nth-of-type(1)')].map(td => { const r = document.createRange(); r.selectNodeContents(td);"
                + " return td.getBoundingClientRect().right - r.getBoundingClientRect().right; })");
        double firstGap = gaps.getFirst().doubleValue();
        assertTrue(gaps.stream().allMatch(g -> Math.abs(g.doubleValue() - firstGap) < 0.5 && g.doubleValue() < 15),
                "the Last values end at the cell's right padding: " + gaps);
        admin.screenshot("run-summary");
        admin.resize(390, 844);
        admin.js("document.querySelector('table.metric-summary').scrollIntoView({block: 'start'})");
        admin.screenshot("run-summary-390");
        admin.resize(1280, 800);
    }

    /**
     * Okabe and Ito's colour-blind-safe palette without its black (which a dark page would hide) and its yellow (too
     * faint a line on a light page), as the light theme draws it: its orange, sky blue and reddish purple darker (3:1
     * for graphics), its vermillion a little darker to stay apart from the orange (colors.ts).
     */
    private static final List<String> OKABE_ITO = List.of("rgb(0, 114, 178)", "rgb(201, 123, 0)", "rgb(0, 158, 115)",
            "rgb(194, 85, 0)", "rgb(24, 147, 215)", "rgb(192, 115, 152)");

    @Test
    @Order(15)
    @SuppressWarnings("unchecked")
    void runsOnOnePageGetDistinctColourBlindSafeColoursAndARunKeepsItsColourFromItsOwnPage() {
        long a = runIds.get(0);
        assertEquals(a + 14, runIds.get(14), "the seeding's runs have consecutive ids");
        // a + 1 and a + 7 share a slot of today's palette of 6, a and a + 14 one of 7 and of 14 (the ones before)
        List<Long> compared = List.of(a, a + 1, a + 7, a + 14);
        admin.resize(1280, 800);
        admin.open("/projects/" + project + "/runs/" + a);
        admin.await("the run's legend", d -> admin.present(".metric-chart__legend .metric-chart__swatch"));
        String ownPage = (String) admin.js("return getComputedStyle(document.querySelector("
                + "'.metric-chart__legend .metric-chart__swatch')).backgroundColor");

        admin.open("/projects/" + project + "/compare?runs="
                + String.join(",", compared.stream().map(String::valueOf).toList()));
        admin.await("the compared runs", d -> admin.all(".compare-runs li .metric-chart__swatch").size() == 4);
        String accLegend = "figure.metric-chart[data-chart-key='acc'] .metric-chart__legend li";
        admin.await("the acc chart's legend", d -> admin.all(accLegend).size() == 4);
        List<String> listed = (List<String>) admin.js("return [...document.querySelectorAll('.compare-runs li "
                + ".metric-chart__swatch')].map(s => getComputedStyle(s).backgroundColor)");
        List<String> legend = (List<String>) admin.js("return [...document.querySelectorAll(arguments[0] + ' "
                + ".metric-chart__swatch')].map(s => getComputedStyle(s).backgroundColor)", accLegend);
        admin.screenshot("compare-colours");
        assertAll(
                () -> assertEquals(4, listed.stream().distinct().count(), "distinct colours: " + listed),
                () -> assertTrue(OKABE_ITO.containsAll(listed), "colour-blind-safe colours: " + listed),
                () -> assertEquals(ownPage, listed.getFirst(), "run " + a + " keeps its own page's colour"),
                () -> assertEquals(Set.copyOf(listed), Set.copyOf(legend), "the chart's legend: " + legend));
    }

    @Test
    @Order(16)
    void theMembersTableOffersNoRemoveOnTheOnlyAdminsOwnRowAndSaysWhy() {
        String me = dashboard.admin().getJson("/api/v1/users/me").get("user").get("username").asText();
        Dashboard.User editor = dashboard.newUser("member");
        dashboard.addMember(dashboard.admin(), project, editor, "editor");
        admin.resize(1280, 800);
        admin.open("/projects/" + project);
        admin.await("the members", d -> admin.present("table.members tbody tr"));
        List<WebElement> rows = admin.all("table.members tbody tr");
        WebElement own = rows.stream().filter(r -> r.findElement(By.cssSelector("td")).getText().equals(me))
                .findFirst().orElseThrow();
        List<WebElement> removes = own.findElements(By.xpath(".//button[normalize-space()='Remove']"));
        assertTrue(removes.stream().noneMatch(WebElement::isEnabled), "no Remove to click on " + me + "'s own row");
        assertTrue(own.getText().contains("Can’t leave"), "the row says the admin cannot leave: " + own.getText());
        String note = admin.find("p#members-only-admin").getText();
        assertEquals("You are the only admin: make someone else admin to leave.", note, "the note says why");
        assertEquals("members-only-admin", own.findElement(By.cssSelector("select")).getAttribute("aria-describedby"),
                "the role select is described by the note");
        WebElement other = rows.stream().filter(r -> r.findElement(By.cssSelector("td")).getText()
                .equals(editor.username())).findFirst().orElseThrow();
        assertTrue(other.findElement(By.xpath(".//button[normalize-space()='Remove']")).isEnabled(),
                "other members can still be removed");
        admin.screenshot("project-members");
        admin.resize(390, 844);
        admin.js("document.querySelector('table.members').scrollIntoView({block: 'start'})");
        admin.screenshot("project-members-390");
        // on a phone: the note in at most two lines, the row's text in one
        @SuppressWarnings("unchecked")
        Map<String, Object> lines = (Map<String, Object>) admin.js("const lines = (e) => { const s = getComputedStyle(e);"
                + " const h = s.lineHeight === 'normal' ? 1.2 * parseFloat(s.fontSize) : parseFloat(s.lineHeight);"
                + " return Math.round(e.getBoundingClientRect().height / h); };"
                + " return { note: lines(document.querySelector('#members-only-admin')),"
                + " cell: lines(document.querySelector('.members__locked')) };");
        assertTrue(((Number) lines.get("note")).intValue() <= 2 && ((Number) lines.get("cell")).intValue() == 1,
                "lines at 390 px: " + lines);
        admin.resize(1280, 800);
    }

    @Test
    @Order(17)
    void addingARunWithASmallerIdToTheComparePageChangesNoShownRunsColourAndTheAddressKeepsTheColours() {
        long a = runIds.get(0);
        // a + 7 has a + 1's colour of the palette's 6 as its own: a + 1, a smaller id, is added after it
        long first = a + 7;
        long second = a + 3;
        long added = a + 1;
        admin.resize(1280, 800);
        admin.open("/projects/" + project + "/compare?runs=" + first + "," + second);
        awaitCompared(2);
        Map<String, String> before = chipColours();
        WebElement box = admin.find("#add-run-input");
        box.sendKeys("#" + added);
        admin.await("the run of the id found", d -> admin.all("#add-run-options [role=option]").size() == 1
                && admin.find("#add-run-options").isDisplayed());
        box.sendKeys(Keys.ENTER);
        admin.await("the run added last in the address",
                d -> admin.route().endsWith("runs=" + first + "," + second + "," + added));
        awaitCompared(3);
        Map<String, String> after = chipColours();
        Map<String, String> legend = legendColours();
        admin.screenshot("compare-added-smaller-id");
        admin.driver().navigate().refresh();
        awaitCompared(3);
        Map<String, String> reloaded = chipColours();
        assertAll(
                () -> assertEquals(before.get("" + first), after.get("" + first), "run " + first + " keeps its colour: "
                        + before + " -> " + after),
                () -> assertEquals(before.get("" + second), after.get("" + second), "run " + second
                        + " keeps its colour: " + before + " -> " + after),
                () -> assertEquals(3, Set.copyOf(after.values()).size(), "three colours: " + after),
                () -> assertEquals(after, legend, "the acc chart's legend has the runs' colours"),
                () -> assertEquals(after, reloaded, "the same address, the same colours"));
    }

    @Test
    @Order(18)
    @SuppressWarnings("unchecked")
    void theAddRunBoxsOpenListLeavesItsStatusLineInView() {
        long a = runIds.get(0);
        List<Executable> checks = new ArrayList<>();
        for (int width : new int[] {390, 700, 1280}) {
            admin.resize(width, 844);
            admin.open("/projects/" + project + "/compare?runs=" + a + "," + (a + 1));
            awaitCompared(2);
            WebElement box = admin.find("#add-run-input");
            box.sendKeys("sweep-1"); // sweep-10 to sweep-19: the list shows 8
            admin.await("the list open and its status", d -> admin.find("#add-run-options").isDisplayed()
                    && admin.find("#add-run-status").getText().matches("\\d+ runs? found\\."));
            admin.js("document.querySelector('#add-run-input').scrollIntoView({block: 'center'})");
            Map<String, Object> seen = (Map<String, Object>) admin.js("""
                    const box = (e) => { const r = e.getBoundingClientRect();
                      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
                    const status = document.querySelector('#add-run-status');
                    const list = box(document.querySelector('#add-run-options'));
                    const s = box(status);
                    const overlap = s.left < list.right && list.left < s.right && s.top < list.bottom && list.top < s.bottom;
                    const atCentre = document.elementFromPoint((s.left + s.right) / 2, (s.top + s.bottom) / 2);
                    return { status: s, list, overlap, onTop: status.contains(atCentre),
                      inViewport: s.left >= 0 && s.right <= innerWidth && s.top >= 0 && s.bottom <= innerHeight };""");
            admin.screenshot("compare-add-run-status-" + width);
            String at = "at " + width + " px: " + seen;
            checks.add(() -> assertEquals(false, seen.get("overlap"), "the list leaves the status uncovered " + at));
            checks.add(() -> assertEquals(true, seen.get("onTop"), "the status is what shows at its place " + at));
            checks.add(() -> assertEquals(true, seen.get("inViewport"), "the status in the viewport " + at));
            box.sendKeys(Keys.ESCAPE, Keys.ESCAPE);
        }
        admin.resize(1280, 800);
        assertAll(checks);
    }

    @Test
    @Order(19)
    @SuppressWarnings("unchecked")
    void theDarkThemeIsDarkWithLegibleTextAxesAndLinesOnTheRunsRunAndComparePages() throws InterruptedException {
        long a = runIds.get(0);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("runs", "/projects/" + project + "/experiments/" + experiment + "/runs?cols=param.lr,metric.acc");
        pages.put("run", "/projects/" + project + "/runs/" + runIds.get(2)); // four charts (test 14)
        // eight runs: the seventh and eighth dashed
        pages.put("compare", "/projects/" + project + "/compare?runs="
                + String.join(",", runIds.subList(0, 8).stream().map(String::valueOf).toList()));
        List<Executable> checks = new ArrayList<>();
        try {
            for (var page : pages.entrySet()) {
                String name = page.getKey();
                admin.resize(1280, 800);
                admin.colorScheme("light");
                openDrawn(name, page.getValue());
                Map<String, Object> light = themeColours();
                admin.screenshot("light-" + name);
                admin.colorScheme("dark");
                admin.driver().navigate().refresh();
                openDrawn(name, page.getValue());
                Map<String, Object> dark = themeColours();
                admin.screenshot("dark-" + name);
                if (name.equals("compare")) {
                    admin.js("document.querySelector('.pcoords').scrollIntoView({block: 'start'})");
                    admin.screenshot("dark-compare-params");
                }
                List<String> axe = admin.seriousAccessibilityViolations();
                admin.resize(390, 844);
                Thread.sleep(300); // the charts' resize
                admin.screenshot("dark-" + name + "-390");
                String at = " on the " + name + " page: light " + light + ", dark " + dark;
                checks.add(() -> assertTrue(((Number) dark.get("bgLuminance")).doubleValue() < 0.05
                        && ((Number) light.get("bgLuminance")).doubleValue() > 0.8, "a dark page, a light one" + at));
                checks.add(() -> assertTrue(((Number) dark.get("text")).doubleValue() >= 4.5, "body text" + at));
                checks.add(() -> assertTrue(((Number) dark.get("muted")).doubleValue() >= 4.5, "muted text" + at));
                checks.add(() -> assertEquals(List.of(), axe, "axe (colour contrast included) in the dark" + at));
                System.out.println("theme colours on the " + name + " page: placeholders light " + light.get("placeholder")
                        + ", dark " + dark.get("placeholder") + "; disabled Compare light " + light.get("disabled")
                        + ", dark " + dark.get("disabled"));
                for (Map<String, Object> theme : List.of(light, dark)) {
                    // placeholders: WCAG's 4.5:1 for text (axe leaves them out)
                    checks.add(() -> assertTrue(((Number) theme.get("placeholder")).doubleValue() >= 4.5,
                            "placeholder text against its field" + at));
                    if (!name.equals("run")) {
                        checks.add(() -> assertTrue(((Number) theme.get("placeholders")).intValue() > 0,
                                "fields with a placeholder measured" + at));
                    }
                }
                if (name.equals("runs")) {
                    // no run selected: Compare disabled, and plainly so in both themes: no fill standing out from the
                    // page (a faded accent looked half-active on the dark one), a dashed border, still readable
                    for (Map<String, Object> theme : List.of(light, dark)) {
                        Map<String, Object> off = (Map<String, Object>) theme.get("disabled");
                        checks.add(() -> assertTrue(off != null && Boolean.TRUE.equals(off.get("ariaDisabled")),
                                "a disabled Compare button" + at));
                        if (off != null) {
                            checks.add(() -> assertTrue(((Number) off.get("fill")).doubleValue() < 1.15,
                                    "the disabled Compare without a fill" + at));
                            checks.add(() -> assertEquals("dashed", off.get("border"), "the disabled Compare's border" + at));
                            checks.add(() -> assertTrue(((Number) off.get("text")).doubleValue() >= 3,
                                    "the disabled Compare's label readable" + at));
                        }
                    }
                }
                List<Map<String, Object>> charts = (List<Map<String, Object>>) dark.get("charts");
                if (!name.equals("runs")) {
                    checks.add(() -> assertFalse(charts.isEmpty(), "charts" + at));
                }
                // the light theme's run colours (darker variants of the orange, sky blue and reddish purple): WCAG's
                // 3:1 for graphics there too
                for (Map<String, Object> c : (List<Map<String, Object>>) light.get("charts")) {
                    checks.add(() -> assertTrue(((Number) c.get("minLine")).doubleValue() >= 3,
                            "every run's line against the chart's background, light" + at));
                }
                if (!name.equals("runs")) {
                    checks.add(() -> assertFalse(((List<Object>) light.get("charts")).isEmpty(), "charts, light" + at));
                }
                for (Map<String, Object> c : charts) {
                    checks.add(() -> assertTrue(((Number) c.get("ink")).doubleValue() >= 4.5,
                            "a chart's axis labels against its background" + at));
                    checks.add(() -> assertTrue(((Number) c.get("grid")).doubleValue() >= 1.1,
                            "a chart's grid against its background" + at));
                    // WCAG's 3:1 for graphics (colors.test.ts)
                    checks.add(() -> assertTrue(((Number) c.get("minLine")).doubleValue() >= 3,
                            "every run's line against the chart's background" + at));
                    checks.add(() -> assertTrue(((Number) c.get("selection")).doubleValue() >= 1.15,
                            "the drag-zoom selection against the chart's background" + at));
                }
                if (!name.equals("runs")) {
                    checks.add(() -> assertFalse(((List<Object>) light.get("inks")).equals(dark.get("inks")),
                            "the axes drawn in other colours than in the light theme" + at));
                }
            }
            // switching theme with the page open: the charts draw their axes again in the new theme's colours
            admin.resize(1280, 800);
            admin.colorScheme("light");
            admin.driver().navigate().refresh();
            openDrawn("run", pages.get("run"));
            admin.js("window.__sameDocument = true");
            admin.colorScheme("dark");
            admin.await("the charts' axes in the dark theme's colours", d -> {
                Map<String, Object> now = themeColours();
                List<Map<String, Object>> charts = (List<Map<String, Object>>) now.get("charts");
                return !charts.isEmpty() && charts.stream().allMatch(c -> ((Number) c.get("ink")).doubleValue() >= 4.5);
            });
            admin.screenshot("dark-run-switched");
            assertEquals(Boolean.TRUE, admin.js("return window.__sameDocument === true"), "without a reload");
        } finally {
            admin.colorScheme("");
            admin.resize(1280, 800);
        }
        assertAll(checks);
    }

    @Test
    @Order(20)
    void theRunsPagesCompareStaysOffUntilTwoRunsAreSelectedAndSaysWhyThenLinksToThem() {
        String route = "/projects/" + project + "/experiments/" + experiment + "/runs?cols=param.lr,metric.acc";
        List<Executable> checks = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            admin.resize(width, 800);
            admin.open(route);
            admin.awaitLoaded();
            admin.await("rows", d -> admin.present(".rt-body [data-index='1']"));
            String at = " at " + width + " px";
            // a param and a metric column say which they are (a run may have a param lr and a metric lr)
            Object heads = admin.js("return [...document.querySelectorAll('.rt-header [title^=\"param.\"], "
                    + ".rt-header [title^=\"metric.\"]')].map(h => h.textContent.trim())");
            checks.add(() -> assertEquals(List.of("param lr", "metric acc"), heads, "the added columns' headers" + at));
            Map<String, Object> none = compareState();
            checks.add(() -> assertEquals("Select two or more to compare", none.get("hint"),
                    "with no run selected" + at + ": " + none));
            checks.add(() -> assertEquals(Boolean.TRUE, none.get("off"), "Compare disabled" + at + ": " + none));
            String first = selectRow(0);
            admin.await("one run selected", d -> admin.route().endsWith("sel=" + first));
            Map<String, Object> one = compareState();
            admin.screenshot("runs-compare-one-selected" + (width == 1280 ? "" : "-390"));
            // comparing needs two runs: still off, and the hint beside it says what is missing, read out with it
            checks.add(() -> assertEquals("Select one more to compare", one.get("hint"), "one selected" + at + ": " + one));
            checks.add(() -> assertEquals(Boolean.TRUE, one.get("off"), "Compare with one run selected" + at + ": " + one));
            checks.add(() -> assertEquals(one.get("hintId"), one.get("describedBy"), "the button described by the hint" + at));
            checks.add(() -> assertEquals(null, one.get("link"), "no Compare link" + at + ": " + one));
            checks.add(() -> assertEquals(Boolean.TRUE, one.get("inView"), "the hint and the button in the window" + at
                    + ": " + one));
            if (width == 1280) {
                checks.add(() -> assertEquals(1L, ((Number) one.get("lines")).longValue(),
                        "the toolbar on one line with the hint" + at + ": " + one));
            }
            String second = selectRow(1);
            admin.await("two runs selected", d -> admin.route().endsWith("sel=" + first + "," + second));
            Map<String, Object> two = compareState();
            checks.add(() -> assertEquals("Compare 2", two.get("link"), "two selected" + at + ": " + two));
            checks.add(() -> assertEquals("#/projects/" + project + "/compare?runs=" + first + "," + second,
                    two.get("href"), "the link names the two runs" + at));
            checks.add(() -> assertEquals(null, two.get("hint"), "no hint once Compare works" + at + ": " + two));
        }
        admin.resize(1280, 800);
        admin.find("a.button.primary[href*='/compare?runs=']").click();
        admin.awaitHeading("Compare 2 runs");
        assertAll(checks);
    }

    /** Clicks the checkbox of the runs table's row at this index; returns its run's id. */
    private String selectRow(int index) {
        WebElement box = admin.find(".rt-body [data-index='" + index + "'] input[type=checkbox]");
        box.click();
        return (String) admin.js("return arguments[0].closest('[data-run-id]').dataset.runId", box);
    }

    /** The runs page's Compare as shown: its hint, whether it is a disabled button or a link (text, href). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> compareState() {
        return (Map<String, Object>) admin.js("""
                const hint = document.querySelector('.compare-hint');
                const off = [...document.querySelectorAll('.runs-toolbar button')].find((b) => b.textContent.trim() === 'Compare');
                const link = document.querySelector(".runs-toolbar a.button[href*='/compare']");
                const inView = (e) => { const r = e.getBoundingClientRect();
                  return r.width > 0 && r.left >= 0 && r.right <= innerWidth; };
                return { hint: hint && hint.offsetParent ? hint.textContent.trim() : null, hintId: hint ? hint.id : null,
                  off: !!off && off.disabled, describedBy: off ? off.getAttribute('aria-describedby') : null,
                  link: link ? link.textContent.trim() : null,
                  href: link ? decodeURIComponent(link.getAttribute('href')) : null,
                  inView: !!hint && !!off && inView(hint) && inView(off),
                  lines: (() => { const r = [...document.querySelector('.runs-toolbar').children]
                      .filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect()).filter((x) => x.height > 0);
                    return Math.max(...r.map((x) => x.top)) < Math.min(...r.map((x) => x.bottom)) ? 1 : 2; })() };""");
    }

    @Test
    @Order(21)
    @SuppressWarnings("unchecked")
    void theComparePageTabulatesEachRunsLastValuePerMetricAndMarksTheBestLossAndAccuracyInWords() {
        Api api = dashboard.admin();
        List<Long> three = runIds.subList(0, 3); // run 2 has val/loss, lr and system/cpu from test 14
        dashboard.metric(api, project, three.get(0), "val/loss", 0.8, 0.5, 0.55);
        // what the API says: each run's last value per key
        List<JsonNode> runs = three.stream().map(id -> api.getJson(runPath(id))).toList();
        // every key any of them has (acc, lr, val/loss, val/only-b, system/cpu), the worker's system/* last
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        runs.forEach(r -> r.get("metrics").fieldNames().forEachRemaining(all::add));
        List<String> keys = new ArrayList<>(all.stream().filter(k -> !k.startsWith("system/")).toList());
        keys.addAll(all.stream().filter(k -> k.startsWith("system/")).toList());
        List<String> expected = new ArrayList<>();
        for (String key : keys) {
            List<Double> last = runs.stream().map(r -> r.get("metrics").has(key)
                    ? r.get("metrics").get(key).get("last").asDouble() : Double.NaN).toList();
            List<Double> present = last.stream().filter(v -> !v.isNaN()).toList();
            // losses lowest, accuracies highest; a leader only among two or more values
            boolean loss = key.endsWith("loss");
            boolean acc = key.equals("acc");
            Double best = present.size() < 2 ? null : acc ? present.stream().max(Double::compare).get()
                    : loss ? present.stream().min(Double::compare).get() : null;
            List<String> cells = new ArrayList<>();
            cells.add(key + (acc ? " higher is better" : loss ? " lower is better" : ""));
            for (double v : last) {
                cells.add(Double.isNaN(v) ? "—" : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() + (Double.valueOf(v).equals(best) ? " best" : ""));
            }
            expected.add(String.join(" | ", cells));
        }
        String ids = String.join(",", three.stream().map(String::valueOf).toList());
        List<Executable> checks = new ArrayList<>();
        try {
            for (String scheme : new String[] {"light", "dark"}) {
                admin.colorScheme(scheme);
                for (int width : new int[] {1280, 390}) {
                    admin.resize(width, 844);
                    admin.open("/projects/" + project + "/compare?runs=" + ids);
                    admin.awaitHeading("Compare 3 runs");
                    admin.await("the metric values' " + keys.size() + " rows",
                            d -> admin.all("table.metric-table tbody tr").size() == keys.size()
                                    && admin.all("table.metric-table thead th").size() == 1 + three.size());
                    Map<String, Object> shown = (Map<String, Object>) admin.js("""
                            const t = document.querySelector('table.metric-table');
                            const text = (c) => c.innerText.replace(/\\s+/g, ' ').trim();
                            const rows = [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map(text).join(' | '));
                            const head = [...t.querySelectorAll('thead th')].slice(1).map(text);
                            const best = [...t.querySelectorAll('td.is-best')].map((c) => getComputedStyle(c).fontWeight);
                            // the badge's text against the cell behind it (WCAG's 4.5:1 for text)
                            const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
                            const rgb = (css) => { probe.clearRect(0, 0, 1, 1); probe.fillStyle = css; probe.fillRect(0, 0, 1, 1);
                              return [...probe.getImageData(0, 0, 1, 1).data].slice(0, 3); };
                            const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255;
                              return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                              return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                            const behind = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
                              if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'white'; };
                            const badges = [...t.querySelectorAll('.best-badge')].map((b) => {
                              const [x, y] = [lum(rgb(getComputedStyle(b).color)), lum(rgb(behind(b)))].sort((p, q) => q - p);
                              return (x + 0.05) / (y + 0.05); });
                            const h2s = [...document.querySelectorAll('h2')].map((h) => h.textContent.trim());
                            // run colours are for lines, swatches and markers (3:1), never for text (4.5:1: the
                            // palette's blue has 3.56:1 on the dark page)
                            const palette = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#C97B00',
                              '#C25500', '#1893D7', '#C07398'].map((c) => rgb(c).join());
                            const inRunColour = [...document.querySelectorAll('body *')].filter((e) => e.offsetParent
                                && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
                                && palette.includes(rgb(getComputedStyle(e).color).join())).map((e) => e.textContent.trim());
                            return { rows, head, best, badges, h2s, inRunColour, pageWidth: document.documentElement.scrollWidth };""");
                    String at = " (" + scheme + ", " + width + " px): " + shown;
                    checks.add(() -> assertEquals(expected, shown.get("rows"), "key | each run's last value" + at));
                    List<String> heads = runs.stream().map(r -> r.get("name").asText() + " #" + r.get("id").asText()).toList();
                    checks.add(() -> assertEquals(heads, shown.get("head"), "the runs in the URL's order" + at));
                    long bests = expected.stream().filter(r -> r.contains(" best")).count();
                    checks.add(() -> assertEquals(java.util.Collections.nCopies((int) bests, "700"), shown.get("best"),
                            "the best cells bold" + at));
                    checks.add(() -> assertTrue(((List<Number>) shown.get("badges")).stream()
                            .allMatch(c -> c.doubleValue() >= 4.5), "the best badges' contrast" + at));
                    List<String> h2s = (List<String>) shown.get("h2s");
                    checks.add(() -> assertTrue(h2s.indexOf("Metrics") < h2s.indexOf("Metric values")
                            && h2s.indexOf("Metric values") < h2s.indexOf("Params"), "after the charts, before the params" + at));
                    checks.add(() -> assertEquals(List.of(), shown.get("inRunColour"), "text drawn in a run's colour" + at));
                    checks.add(() -> assertTrue(((Number) shown.get("pageWidth")).intValue() <= width,
                            "the table scrolls inside its frame, the page not sideways" + at));
                    admin.js("document.querySelector('table.metric-table').scrollIntoView({block: 'center'})");
                    admin.screenshot("compare-metric-values-" + scheme + (width == 1280 ? "" : "-390"));
                    if (width == 390) {
                        // scrolled sideways to the last run, each row still says which metric it is
                        String firstKey = keys.getFirst();
                        Map<String, Object> edge = admin.leftEdgeScrolledToEnd(".table-scroll:has(> table.metric-table)",
                                "tbody tr");
                        checks.add(() -> assertTrue(String.valueOf(edge.get("text")).startsWith(firstKey),
                                "the key column stays" + at + edge));
                        admin.screenshot("compare-metric-values-" + scheme + "-390-scrolled");
                    }
                }
            }
        } finally {
            admin.colorScheme("");
            admin.resize(1280, 800);
        }
        // one run (a run page's Compare…): the page says what to do next
        admin.open("/projects/" + project + "/compare?runs=" + three.get(0));
        admin.awaitHeading("Compare 1 run");
        String one = admin.find("[data-testid=one-run]").getText();
        checks.add(() -> assertTrue(one.startsWith("One run so far: add another with Add run"), one));
        // its params, every one (there is nothing for them to differ from), and no switch to all params
        java.util.List<String> ownParams = new ArrayList<>();
        runs.getFirst().get("params").fieldNames().forEachRemaining(ownParams::add);
        admin.await("the run's params", d -> admin.all("table.params-table tbody tr").size() == ownParams.size());
        List<Object> paramRows = (List<Object>) admin.js("return [...document.querySelectorAll('table.params-table tbody tr')]"
                + ".map(r => r.dataset.param)");
        String paramsLabel = admin.find("table.params-table").getAttribute("aria-label");
        String body = admin.bodyText();
        checks.add(() -> assertEquals(ownParams.stream().sorted().toList(), paramRows, "one run's params"));
        checks.add(() -> assertEquals("Params", paramsLabel));
        checks.add(() -> assertFalse(body.contains("Every param is the same") || body.contains("Show all params"), body));
        // no parallel coordinates of one line, no scatter of one point
        boolean plots = admin.present(".pcoords") || admin.present("svg.scatter");
        checks.add(() -> assertFalse(plots, "parallel coordinates or a scatter for one run"));
        admin.js("window.scrollTo(0, 0)");
        admin.screenshot("compare-one-run");
        admin.js("document.querySelector('table.params-table').scrollIntoView({block: 'center'})");
        admin.screenshot("compare-one-run-params");
        assertAll(checks);
    }

    @Test
    @Order(22)
    @SuppressWarnings("unchecked")
    void theScatterNamesBothAxesAndSaysWhenOneIsLogScale() {
        // lr spans 0.001 to 0.3 over these six runs: a log axis; acc 0.025 to 0.55 (22x): a log axis as well
        String ids = String.join(",", runIds.subList(0, 6).stream().map(String::valueOf).toList());
        List<Executable> checks = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            admin.resize(width, 844);
            admin.open("/projects/" + project + "/compare?runs=" + ids + "&sx=lr&sy=acc");
            admin.await("the scatter's points", d -> admin.all("svg.scatter .scatter__point").size() == 6);
            admin.js("document.querySelector('svg.scatter').scrollIntoView({block: 'center'})");
            Map<String, Object> titles = (Map<String, Object>) admin.js("""
                    const svg = document.querySelector('svg.scatter');
                    const box = svg.getBoundingClientRect();
                    const title = (a) => svg.querySelector(`.scatter__title[data-axis='${a}']`);
                    const y = title('y').getBoundingClientRect();
                    const ticks = [...svg.querySelectorAll('.pcoords__tick')].map((t) => t.getBoundingClientRect());
                    return { x: title('x').textContent, y: title('y').textContent,
                      yUpright: y.height > y.width, yInside: y.left >= box.left && y.right <= box.right,
                      yClearOfTicks: ticks.every((t) => t.right <= y.left || t.left >= y.right
                          || t.bottom <= y.top || t.top >= y.bottom) };""");
            admin.screenshot("compare-scatter-titles" + (width == 1280 ? "" : "-390"));
            String at = " at " + width + " px: " + titles;
            checks.add(() -> assertEquals("lr (log scale)", titles.get("x"), "the x axis's title" + at));
            checks.add(() -> assertEquals("acc (log scale)", titles.get("y"), "the y axis's title" + at));
            checks.add(() -> assertEquals(Boolean.TRUE, titles.get("yUpright"), "the y title along its axis" + at));
            checks.add(() -> assertEquals(Boolean.TRUE, titles.get("yInside"), "the y title inside the plot" + at));
            checks.add(() -> assertEquals(Boolean.TRUE, titles.get("yClearOfTicks"), "the y title off the ticks" + at));
        }
        admin.resize(1280, 800);
        assertAll(checks);
    }

    /** Opens a page and waits for it and every chart in view to be drawn. */
    private void openDrawn(String name, String route) {
        admin.open(route);
        admin.await("the " + name + " page", d -> admin.present("h1"));
        admin.awaitLoaded();
        admin.await("the " + name + " page's charts in view to be drawn", d -> (Boolean) admin.js(
                "return [...document.querySelectorAll('figure.metric-chart')].every(f => f.getBoundingClientRect().top"
                        + " > innerHeight || ['drawn', 'empty'].includes(f.dataset.chartState))"));
    }

    /**
     * The page's background luminance, WCAG contrast ratios against it of the body text and the muted text, the lowest
     * of the shown placeholders against their fields (and how many), the disabled Compare button's fill, label and
     * border (the runs page with no run selected), and for
     * every chart drawn: the contrast of its axes' ink, its grid, its faintest run line (legend keys) and its drag-zoom
     * selection against the chart's own background, and the inks themselves.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> themeColours() {
        return (Map<String, Object>) admin.js("""
                const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
                // any CSS colour, alpha included, composed over an opaque background, as [r, g, b] 0..255
                const rgb = (css, over) => {
                  probe.clearRect(0, 0, 1, 1);
                  probe.fillStyle = over ? `rgb(${over.join(',')})` : '#000';
                  probe.fillRect(0, 0, 1, 1);
                  probe.fillStyle = css;
                  probe.fillRect(0, 0, 1, 1);
                  return [...probe.getImageData(0, 0, 1, 1).data].slice(0, 3);
                };
                const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255;
                  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                const ratio = (x, y) => { const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
                  return (hi + 0.05) / (lo + 0.05); };
                const bg = rgb(getComputedStyle(document.body).backgroundColor);
                const muted = document.querySelector('.muted');
                // an element's colour as shown: composed over what is behind it, then faded by its opacity
                const shown = (css, over, opacity) => rgb(css, over).map((v, i) => opacity * v + (1 - opacity) * over[i]);
                const fields = [...document.querySelectorAll('input[placeholder]')].filter((i) => i.offsetParent)
                  .map((i) => { const ibg = rgb(getComputedStyle(i).backgroundColor, bg);
                    const ph = getComputedStyle(i, '::placeholder');
                    return ratio(shown(ph.color, ibg, Number(ph.opacity)), ibg); });
                const off = [...document.querySelectorAll('button:disabled')]
                  .find((b) => b.offsetParent && b.textContent.trim() === 'Compare');
                const offStyle = off && getComputedStyle(off);
                const disabled = off ? { fill: ratio(shown(offStyle.backgroundColor, bg, Number(offStyle.opacity)), bg),
                  text: ratio(shown(offStyle.color, shown(offStyle.backgroundColor, bg, 1), Number(offStyle.opacity)),
                    shown(offStyle.backgroundColor, bg, Number(offStyle.opacity))),
                  border: offStyle.borderTopStyle, ariaDisabled: off.disabled || off.getAttribute('aria-disabled') === 'true' } : null;
                const entries = window.__trainyardCharts ? window.__trainyardCharts.list() : [];
                const charts = [...document.querySelectorAll("figure.metric-chart[data-chart-state='drawn']")].map((f) => {
                  const e = entries.find((x) => x.id === f.dataset.chartId);
                  const cbg = rgb(getComputedStyle(f).backgroundColor, bg);
                  const lines = [...f.querySelectorAll('.metric-chart__swatch')].map((s) => s.tagName === 'svg'
                    ? getComputedStyle(s.querySelector('line')).stroke : getComputedStyle(s).backgroundColor);
                  const select = f.querySelector('.u-select');
                  return { ink: ratio(rgb(e.ink, cbg), cbg), grid: ratio(rgb(e.grid, cbg), cbg),
                    selection: select ? ratio(rgb(getComputedStyle(select).backgroundColor, cbg), cbg) : 21,
                    minLine: Math.min(21, ...lines.map((l) => ratio(rgb(l, cbg), cbg))), inkColour: e.ink };
                });
                return { bgLuminance: lum(bg), text: ratio(rgb(getComputedStyle(document.body).color), bg),
                  muted: muted ? ratio(rgb(getComputedStyle(muted).color, bg), bg) : 21,
                  placeholders: fields.length, placeholder: Math.min(21, ...fields), disabled,
                  charts, inks: charts.map((c) => c.inkColour) };""");
    }

    /** The swatch colour of each compared run (the list above the charts), by run id. */
    @SuppressWarnings("unchecked")
    private Map<String, String> chipColours() {
        return (Map<String, String>) admin.js("return Object.fromEntries([...document.querySelectorAll("
                + "'.compare-runs li')].map(li => { const s = li.querySelector('.metric-chart__swatch');"
                + " return [li.dataset.comparedRun, s.tagName === 'svg' ? getComputedStyle(s.querySelector('line')).stroke"
                + " : getComputedStyle(s).backgroundColor]; }))");
    }

    /** The swatch colour of each run in the acc chart's legend, by run id (from its "name (#id)"). */
    @SuppressWarnings("unchecked")
    private Map<String, String> legendColours() {
        return (Map<String, String>) admin.js("return Object.fromEntries([...document.querySelectorAll("
                + "\"figure.metric-chart[data-chart-key='acc'] .metric-chart__legend li\")].map(li => {"
                + " const s = li.querySelector('.metric-chart__swatch');"
                + " return [li.querySelector('.metric-chart__run').textContent.replace(/.*#(\\d+)\\)$/, '$1'),"
                + " s.tagName === 'svg' ? getComputedStyle(s.querySelector('line')).stroke"
                + " : getComputedStyle(s).backgroundColor]; }))");
    }

    /** Waits for the compare page's n runs: their chips and the acc chart drawn with them. */
    private void awaitCompared(int n) {
        admin.await(n + " runs compared", d -> admin.all(".compare-runs li .metric-chart__swatch").size() == n
                && (Boolean) admin.js("const f = document.querySelector(\"figure.metric-chart[data-chart-key='acc']\");"
                        + " return !!f && f.dataset.chartState === 'drawn' && f.querySelectorAll('.metric-chart__legend li')"
                        + ".length === arguments[0]", n));
    }

    /**
     * The runs table's columns across {@code width}: the header's cells over the rows' cells, every column its set
     * width but the run's name, which takes what is left (the figures stay beside each other), never less than 200.
     */
    @SuppressWarnings("unchecked")
    private void assertColumns(double width) {
        Map<String, Object> columns = (Map<String, Object>) admin.js("""
                const t = document.querySelector('.runs-table');
                const edges = (row) => [...row.querySelectorAll('[role=cell],[role=columnheader]')].map((c) => {
                  const r = c.getBoundingClientRect();
                  return [Math.round(r.left - row.getBoundingClientRect().left), Math.round(r.width)];
                });
                return { header: edges(t.querySelector('.rt-header .rt-row')),
                  rows: [...t.querySelectorAll('.rt-body [data-run-id]')].map(edges),
                  keys: [...t.querySelector('.rt-body [data-run-id]').querySelectorAll('[role=cell]')]
                    .map((c) => c.dataset.key ?? 'select') };""");
        List<Object> header = (List<Object>) columns.get("header");
        for (Object row : (List<Object>) columns.get("rows")) {
            assertEquals(header, row, "a row's cells under the header's: " + columns);
        }
        List<Object> keys = (List<Object>) columns.get("keys");
        Map<String, Long> widths = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            widths.put((String) keys.get(i), (Long) ((List<Object>) header.get(i)).get(1));
        }
        long others = widths.entrySet().stream().filter(e -> !e.getKey().equals("name")).mapToLong(Map.Entry::getValue).sum();
        assertEquals(Map.of("select", 44L, "id", 72L, "status", 110L, "createdAt", 150L, "duration", 90L, "tags", 150L),
                Map.of("select", widths.get("select"), "id", widths.get("id"), "status", widths.get("status"),
                        "createdAt", widths.get("createdAt"), "duration", widths.get("duration"), "tags", widths.get("tags")),
                "the set widths: " + widths);
        assertEquals(Math.max(200, width - others), widths.get("name"), 1, "the name takes what is left: " + widths);
    }

    /** The table's rows (scrolled through, in order) hold exactly the runs, and their shown values. */
    private void assertTableShows(List<JsonNode> expected) {
        admin.await(expected.size() + " runs counted", d -> admin.find(".runs-toolbar").getText()
                .startsWith(expected.size() + " runs"));
        List<String> shown = tableRows();
        List<String> wanted = new ArrayList<>();
        for (JsonNode r : expected) {
            wanted.add(r.get("id").asText() + " " + r.get("name").asText() + " " + r.get("status").asText()
                    + " lr=" + plain(r.get("params").get("lr")) + " acc=" + plain(r.get("metrics").get("acc").get("last")));
        }
        assertEquals(wanted, shown, "the table's rows against the API's list");
    }

    /** Every row of the runs table as "id name STATUS lr=.. acc=..", scrolling the virtualised table through. */
    @SuppressWarnings("unchecked")
    private List<String> tableRows() {
        admin.awaitLoaded();
        List<Object> rows = (List<Object>) admin.asyncJs("""
                const done = arguments[0];
                const table = document.querySelector('.runs-table');
                const seen = new Map();
                const collect = () => table.querySelectorAll('[data-run-id]').forEach(r => {
                  const cell = k => (r.querySelector(`[data-key="${k}"]`)?.textContent ?? '').trim();
                  seen.set(Number(r.dataset.index), `${r.dataset.runId} ${cell('name')} ${cell('status').toUpperCase()}`
                    + ` lr=${cell('param.lr')} acc=${cell('metric.acc')}`);
                });
                table.scrollTop = 0;
                const step = () => {
                  collect();
                  if (table.scrollTop + table.clientHeight >= table.scrollHeight - 1) {
                    done([...seen.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]));
                  } else {
                    table.scrollTop += table.clientHeight / 2;
                    requestAnimationFrame(() => requestAnimationFrame(step));
                  }
                };
                requestAnimationFrame(step);
                """);
        return rows.stream().map(String::valueOf).toList();
    }

    /** Replaces the editor's text as typing would, so the page hears an input event. */
    private void setEditor(WebElement editor, String text) {
        admin.js("const t = arguments[0]; t.value = arguments[1]; t.dispatchEvent(new Event('input', {bubbles: true}))",
                editor, text);
    }

    private String runPath(long runId) {
        return "/api/v1/projects/" + project + "/runs/" + runId;
    }

    private static String plain(JsonNode n) {
        return n.isNumber() ? BigDecimal.valueOf(n.asDouble()).stripTrailingZeros().toPlainString() : n.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The experiment's runs table at 1280 x 600, its first row rendered. */
    private void openRunsTableAt1280() {
        admin.resize(1280, 600);
        admin.open("/projects/" + project + "/experiments/" + experiment + "/runs");
        admin.awaitLoaded();
        admin.await("rows", d -> admin.present(".rt-body [data-index='0']"));
    }
}
