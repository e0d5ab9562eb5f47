package dev.trainyard.platform.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.scheduling.Sql;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** runCounts and lastActivityAt on the project and experiment lists and gets. */
class RunActivityTest extends IntegrationTest {

    private static final Instant LATER = Instant.parse("2100-01-02T03:04:05Z");

    @Test
    void countsEveryStatusAndTheNewestRunUpdate() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        String experiments = "/api/v1/projects/" + project + "/experiments";
        long busy = api.post(experiments, alice.token(), Map.of("name", "busy")).json().get("id").longValue();
        long empty = api.post(experiments, alice.token(), Map.of("name", "empty")).json().get("id").longValue();
        long[] runs = new long[5];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = submitRun(project, alice, with(runBody(), "experimentId", busy)).get("id").longValue();
        }
        submitRun(project, alice, runBody()); // outside any experiment: counted for the project only
        setStatus(runs[0], "RUNNING", null);
        setStatus(runs[1], "SUCCEEDED", LATER);
        setStatus(runs[2], "FAILED", null);
        assertThat(api.post("/api/v1/projects/" + project + "/runs/" + runs[3] + "/cancel", alice.token(), null)
                .status()).isEqualTo(200);

        JsonNode list = api.get(experiments, alice.token()).json().get("items");
        assertThat(list).hasSize(2);
        assertThat(counts(list.get(0))).containsExactly(Map.entry("QUEUED", 1L), Map.entry("RUNNING", 1L),
                Map.entry("SUCCEEDED", 1L), Map.entry("FAILED", 1L), Map.entry("CANCELLED", 1L));
        assertThat(Instant.parse(list.get(0).get("lastActivityAt").stringValue())).isEqualTo(LATER);
        assertThat(counts(list.get(1))).containsExactly(Map.entry("QUEUED", 0L), Map.entry("RUNNING", 0L),
                Map.entry("SUCCEEDED", 0L), Map.entry("FAILED", 0L), Map.entry("CANCELLED", 0L));
        assertThat(list.get(1).get("lastActivityAt").stringValue())
                .isEqualTo(list.get(1).get("createdAt").stringValue());

        JsonNode one = api.get(experiments + "/" + busy, alice.token()).json();
        assertThat(counts(one)).isEqualTo(counts(list.get(0)));
        assertThat(Instant.parse(one.get("lastActivityAt").stringValue())).isEqualTo(LATER);
        assertThat(counts(api.get(experiments + "/" + empty, alice.token()).json())).containsValues(0L);

        JsonNode got = api.get("/api/v1/projects/" + project, alice.token()).json();
        assertThat(counts(got)).containsExactly(Map.entry("QUEUED", 2L), Map.entry("RUNNING", 1L),
                Map.entry("SUCCEEDED", 1L), Map.entry("FAILED", 1L), Map.entry("CANCELLED", 1L));
        assertThat(Instant.parse(got.get("lastActivityAt").stringValue())).isEqualTo(LATER);

        long quiet = newProject(alice);
        Api.Response mine = api.get("/api/v1/projects", alice.token());
        JsonNode items = mine.json().get("items");
        assertThat(items).hasSize(2);
        assertThat(counts(items.get(0))).isEqualTo(counts(got));
        assertThat(items.get(1).get("id").longValue()).isEqualTo(quiet);
        assertThat(counts(items.get(1))).containsExactly(Map.entry("QUEUED", 0L), Map.entry("RUNNING", 0L),
                Map.entry("SUCCEEDED", 0L), Map.entry("FAILED", 0L), Map.entry("CANCELLED", 0L));
        assertThat(items.get(1).get("lastActivityAt").stringValue()).isEqualTo(items.get(1).get("createdAt").stringValue());
    }

    private void setStatus(long runId, String status, Instant updatedAt) {
        jdbc.sql("UPDATE runs SET status = :s, updated_at = COALESCE(:at, updated_at) WHERE id = :id")
                .param("s", status).param("at", Sql.ts(updatedAt)).param("id", runId).update();
    }

    private static Map<String, Long> counts(JsonNode item) {
        Map<String, Long> counts = new LinkedHashMap<>();
        item.get("runCounts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().longValue()));
        return counts;
    }
}
