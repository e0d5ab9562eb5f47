package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * The queue page in Debian's headless chromium against the real platform on PostgreSQL and the dashboard's real
 * worker (which offers no labels): a queued run asking for a label no live worker offers says which, one needing
 * more CPUs than the worker has in total says how many it has, a queued run any live worker could take says
 * nothing; a label hint sits under the run's labels, a resource hint under what it needs, and memory reads the same
 * in both tables. Screenshot: system-tests/target/screenshots/queue-label-hints.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueuePageBrowserTest {

    private Dashboard dashboard;
    private Browser page;
    private long projectId;
    private String workerId;

    @BeforeAll
    void start() {
        dashboard = Dashboard.get();
        workerId = dashboard.awaitWorker();
        page = dashboard.adminBrowser();
        // paused (a run limit of 0), so the run the worker could take stays QUEUED too
        projectId = dashboard.admin().post("/api/v1/projects", Map.of("name", "queue-hints")).expect(201)
                .get("id").asLong();
        dashboard.admin().put("/api/v1/projects/" + projectId + "/run-limit", Map.of("maxRunning", 0)).expect(200);
    }

    @AfterAll
    void stop() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void aQueuedRunNoLiveWorkerOffersTheLabelsOfSaysWhichAndAMatchedOneDoesNot() {
        Api admin = dashboard.admin();
        long matched = submit(admin, "matched-run", Map.of());
        JsonNode worker = null;
        for (JsonNode w : admin.getJson("/api/v1/cluster/workers").get("items")) {
            if (w.get("id").asText().equals(workerId)) {
                worker = w;
            }
        }
        assertTrue(worker != null && "ACTIVE".equals(worker.get("status").asText()), "the worker is live: " + worker);
        int cpus = worker.get("devices").get("cpus").asInt();
        long big = submit(admin, "big-run", Map.of(), cpus + 2);
        long parked = dashboard.parkedRun(admin, projectId, null, "parked-run", Map.of(), List.of()).get("id").asLong();
        try {
            page.open("/queue");
            String hint = page.await("the parked run's hint", d -> {
                var found = d.findElements(By.cssSelector("tr[data-run-id='" + parked + "'] td.queue-labels .queue-hint"));
                return found.isEmpty() ? null : found.getFirst().getText();
            });
            assertEquals("No live worker offers pool=parked", hint, "under the parked run's labels");
            assertEquals(List.of(), hints(parked, "queue-needs"), "nothing under the parked run's resources");
            // a resource hint sits under what the run needs, not under its labels
            assertEquals(List.of("Needs " + (cpus + 2) + " CPU; the largest live worker has " + cpus),
                    hints(big, "queue-needs"), "the run needing more CPUs than the only live worker has");
            assertEquals(List.of(), hints(big, "queue-labels"), "nothing under the big run's labels");
            // memory in one unit rule, the queue's and the workers' table alike
            long runMemory = admin.getJson("/api/v1/projects/" + projectId + "/runs/" + big).get("resources")
                    .get("memoryMb").asLong();
            String needs = page.find("tr[data-run-id='" + big + "'] td.queue-needs").getText();
            assertTrue(needs.startsWith((cpus + 2) + " CPU, " + memory(runMemory) + "\n"), needs);
            String devices = (String) page.js("return [...document.querySelectorAll('td.worker-devices')]"
                    + ".map(c => c.textContent).join(' | ')");
            assertTrue(devices.contains(cpus + " CPU, " + memory(worker.get("devices").get("memoryMb").asLong())),
                    devices);
            // the workers have loaded (the hint needs them): the matched run's row is there, without a hint
            assertTrue(page.present("tr[data-run-id='" + matched + "']"), "the matched run is listed");
            assertEquals(List.of(), page.all("tr[data-run-id='" + matched + "'] .queue-hint").stream()
                    .map(e -> e.getText()).toList(), "the matched run has no hint");
            Object limitRow = page.js("""
                    const row = [...document.querySelectorAll('tr')].find(r => r.cells[0]?.textContent.trim() === 'queue-hints');
                    return row ? [...row.cells].map(c => c.textContent.trim()).join(' | ') : null;""");
            assertEquals("queue-hints | 0 | 0", limitRow, "the run limits table: project, running, limit");
            page.screenshot("queue-label-hints");
            // on a phone the table scrolls sideways; the run's name stays at its left edge
            page.resize(390, 844);
            Map<String, Object> edge = page.leftEdgeScrolledToEnd(".table-scroll:has(> table[aria-labelledby=queue-title])",
                    "tr[data-run-id='" + big + "']");
            page.screenshot("queue-390-scrolled");
            page.resize(1280, 800);
            assertTrue(((Number) edge.get("scrolled")).doubleValue() > 0, "the queue scrolls sideways at 390 px: " + edge);
            assertEquals("big-run", edge.get("text"), "the cell at the left edge, scrolled sideways: " + edge);
            assertEquals(List.of(), page.seriousAccessibilityViolations());
        } finally {
            dashboard.cancel(admin, projectId, matched);
            dashboard.cancel(admin, projectId, big);
            dashboard.cancel(admin, projectId, parked);
        }
    }

    private List<String> hints(long run, String column) {
        return page.all("tr[data-run-id='" + run + "'] td." + column + " .queue-hint").stream().map(e -> e.getText())
                .toList();
    }

    /** The dashboard's memory format (formatMemory): whole MiB below 1 GiB, else GiB with at most one decimal. */
    private static String memory(long mb) {
        return mb < 1024 ? mb + " MiB" : new java.math.BigDecimal(mb / 1024.0).setScale(1, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + " GiB";
    }

    private long submit(Api api, String name, Map<String, String> labels) {
        return submit(api, name, labels, 1);
    }

    private long submit(Api api, String name, Map<String, String> labels, int cpus) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("spec", Specs.quick(640, 1, Specs.adam(0.001), List.of(32), 1));
        body.put("resources", Map.of("labels", labels, "cpus", cpus));
        JsonNode run = api.post("/api/v1/projects/" + projectId + "/runs", body).expect(201);
        assertEquals("QUEUED", run.get("status").asText());
        return run.get("id").asLong();
    }
}
