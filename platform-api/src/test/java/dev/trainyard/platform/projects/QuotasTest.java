package dev.trainyard.platform.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Per-project quotas of metric keys: defaults, a site admin's override, the refusal and its problem members. */
class QuotasTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private long run;
    private String admin;
    private String quotas;

    @BeforeEach
    void setUp() throws Exception {
        alice = newUser("alice");
        project = newProject(alice);
        run = submitRun(project, alice, runBody()).get("id").longValue();
        admin = Files.readString(BOOTSTRAP_TOKEN_FILE).strip();
        quotas = "/api/v1/projects/" + project + "/quotas";
    }

    private Api.Response write(String... keys) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (String k : keys) {
            points.add(Map.of("key", k, "step", 1, "value", 0.5));
        }
        return api.post("/api/v1/projects/" + project + "/runs/" + run + "/metrics", alice.token(),
                Map.of("points", points));
    }

    @Test
    void theDefaultsShowWithTheCurrentUse() {
        assertThat(write("loss", "acc").status()).isEqualTo(200);
        JsonNode q = api.get(quotas, alice.token()).json();
        assertThat(q.get("metricKeys").get("limit").longValue()).isEqualTo(100_000);
        assertThat(q.get("metricKeys").get("used").longValue()).isEqualTo(2);
        assertThat(q.get("metricKeys").get("source").stringValue()).isEqualTo("default");
        assertThat(q.get("artifactBytes").get("limit").longValue()).isEqualTo(100L << 30);
        assertThat(q.get("artifactBytes").get("used").longValue()).isZero();
        assertThat(q.get("updatedAt").isNull()).isTrue();
    }

    @Test
    void aBatchThatWouldPassTheKeyQuotaIs409AndCreatesNothing() {
        assertThat(write("a", "b").status()).isEqualTo(200);
        JsonNode set = api.put(quotas, admin, Map.of("maxMetricKeys", 3)).json();
        assertThat(set.get("metricKeys").get("limit").longValue()).isEqualTo(3);
        assertThat(set.get("metricKeys").get("source").stringValue()).isEqualTo("project");
        assertThat(set.get("artifactBytes").get("source").stringValue()).isEqualTo("default");
        assertThat(set.get("updatedAt").isNull()).isFalse();

        JsonNode problem = assertProblem(write("a", "c", "d"), 409);
        assertThat(problem.get("quota").stringValue()).isEqualTo("metricKeys");
        assertThat(problem.get("limit").longValue()).isEqualTo(3);
        assertThat(problem.get("used").longValue()).isEqualTo(2);
        assertThat(problem.get("requested").longValue()).isEqualTo(2);
        assertThat(problem.get("detail").stringValue()).contains("quota of 3");
        assertThat(jdbc.sql("SELECT name FROM metric_keys WHERE project_id = ? ORDER BY name").param(project)
                .query(String.class).list()).containsExactly("a", "b");

        assertThat(write("a", "b", "c").status()).isEqualTo(200); // one more fits
        assertThat(write("a", "b", "c").status()).isEqualTo(200); // known keys cost nothing
        assertProblem(write("e"), 409);
        assertThat(api.get(quotas, alice.token()).json().get("metricKeys").get("used").longValue()).isEqualTo(3);

        Map<String, Object> back = new HashMap<>();
        back.put("maxMetricKeys", null);
        assertThat(api.put(quotas, admin, back).json().get("metricKeys").get("limit").longValue())
                .isEqualTo(100_000);
        assertThat(write("e").status()).isEqualTo(200);
    }

    @Test
    void onlyASiteAdminSetsQuotas() {
        assertProblem(api.put(quotas, alice.token(), Map.of("maxMetricKeys", 10)), 403);
        TestUser mallory = newUser("mallory");
        assertProblem(api.put(quotas, mallory.token(), Map.of("maxMetricKeys", 10)), 404);
        assertProblem(api.get(quotas, mallory.token()), 404);
        assertProblem(api.put(quotas, admin, Map.of("maxMetricKeys", -1)), 400);
        assertProblem(api.put("/api/v1/projects/999999999/quotas", admin, Map.of("maxMetricKeys", 1)), 404);
        String readOnlyAdmin = token(users.findByUsername("admin").orElseThrow().getId(), Scope.READ);
        assertProblem(api.put(quotas, readOnlyAdmin, Map.of("maxMetricKeys", 10)), 403);
        assertThat(api.get(quotas, admin).status()).isEqualTo(200);
    }
}
