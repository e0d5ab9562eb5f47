package dev.trainyard.platform.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.Tokens;
import dev.trainyard.platform.scheduling.SchedulingTest;
import dev.trainyard.platform.testing.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Worker tokens are their own kind: site admins create them, they call the worker endpoints and nothing else, and
 * user tokens cannot call the worker endpoints.
 */
class WorkerTokensTest extends SchedulingTest {

    private static final Map<String, Object> REGISTER = Map.of("name", "w", "devices",
            Map.of("cpus", 2, "memoryMb", 1024));

    @Test
    void siteAdminsCreateListAndRevokeWorkerTokensShownOnceAndStoredHashed() {
        Api.Response created = api.post("/api/v1/worker-tokens", admin.token(), Map.of("name", "gpu-fleet"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().get("token").stringValue();
        long id = created.json().get("info").get("id").longValue();
        assertThat(token).startsWith("tyw_").hasSize(4 + 43);
        assertThat(created.header("Location")).isEqualTo("/api/v1/worker-tokens/" + id);
        assertThat(created.json().get("info").get("expiresAt").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT token_hash FROM worker_tokens WHERE id = :id").param("id", id)
                .query(String.class).single()).isEqualTo(Tokens.sha256(token));

        JsonNode listed = api.get("/api/v1/worker-tokens", admin.token()).json().get("items");
        JsonNode mine = null;
        for (JsonNode t : listed) {
            if (t.get("id").longValue() == id) {
                mine = t;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.toString()).doesNotContain(token);
        assertThat(mine.get("prefix").stringValue()).isEqualTo(token.substring(0, 10));
        assertThat(mine.get("status").stringValue()).isEqualTo("active");

        assertThat(api.post("/api/v1/workers", token, REGISTER).status()).isEqualTo(201);
        Api.Response revoked = api.delete("/api/v1/worker-tokens/" + id, admin.token());
        assertThat(revoked.json().get("status").stringValue()).isEqualTo("revoked");
        JsonNode refused = assertProblem(api.post("/api/v1/workers", token, REGISTER), 401);
        assertThat(refused.get("detail").stringValue()).contains("revoked");

        Api.Response expiring = api.post("/api/v1/worker-tokens", admin.token(),
                Map.of("name", "short", "expiresInDays", 1));
        assertThat(expiring.json().get("info").get("expiresAt").isNull()).isFalse();
        assertProblem(api.delete("/api/v1/worker-tokens/999999", admin.token()), 404);
    }

    @Test
    void onlySiteAdminsWithAnAdminTokenManageWorkerTokens() {
        TestUser plain = newUser("plain");
        JsonNode problem = assertProblem(api.post("/api/v1/worker-tokens", plain.token(), Map.of("name", "x")), 403);
        assertThat(problem.get("detail").stringValue()).contains("site admins");
        assertProblem(api.get("/api/v1/worker-tokens", plain.token()), 403);
        TestUser adminWithWriteToken = newUser("admin-write", true, Scope.WRITE);
        assertProblem(api.post("/api/v1/worker-tokens", adminWithWriteToken.token(), Map.of("name", "x")), 403);
        JsonNode bad = assertProblem(api.post("/api/v1/worker-tokens", admin.token(), Map.of("name", "")), 400);
        assertThat(bad.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/name");
    }

    @Test
    void userTokensCannotCallWorkerEndpoints() {
        String fleet = workerToken();
        Worker w = register(fleet, "w", 2, 0, Map.of());
        for (String userToken : new String[] {admin.token(), newUser("user").token()}) {
            JsonNode problem = assertProblem(api.post("/api/v1/workers", userToken, REGISTER), 403);
            assertThat(problem.get("detail").stringValue()).contains("worker token");
            assertProblem(api.get("/api/v1/workers", userToken), 403);
            assertProblem(api.get("/api/v1/workers/" + w.id(), userToken), 403);
            assertProblem(api.post("/api/v1/workers/" + w.id() + "/lease", userToken, Map.of()), 403);
            assertProblem(api.post("/api/v1/workers/" + w.id() + "/heartbeat", userToken, Map.of()), 403);
            assertProblem(api.post("/api/v1/workers/" + w.id() + "/runs/1/status", userToken,
                    Map.of("attempt", 1, "status", "RUNNING")), 403);
            assertProblem(api.delete("/api/v1/workers/" + w.id(), userToken), 403);
        }
        assertThat(w.get().get("status").stringValue()).isEqualTo("ACTIVE");
    }

    @Test
    void workerTokensCannotCallUserEndpoints() {
        String fleet = workerToken();
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        for (String path : new String[] {"/api/v1/projects", "/api/v1/users/me", "/api/v1/tokens",
                "/api/v1/worker-tokens", "/api/v1/projects/" + project + "/runs"}) {
            JsonNode problem = assertProblem(api.get(path, fleet), 403);
            assertThat(problem.get("detail").stringValue()).as(path).contains("worker token can only call");
        }
        assertProblem(api.post("/api/v1/projects/" + project + "/runs", fleet, runBody()), 403);
        assertProblem(api.post("/api/v1/worker-tokens", fleet, Map.of("name", "escalate")), 403);
    }

    @Test
    void workerEndpointsNeedAValidWorkerToken() {
        Api.Response none = api.post("/api/v1/workers", null, REGISTER);
        assertProblem(none, 401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        JsonNode unknown = assertProblem(api.post("/api/v1/workers", "tyw_" + "x".repeat(43), REGISTER), 401);
        assertThat(unknown.get("detail").stringValue()).contains("unknown worker token");
        assertProblem(api.send("POST", "/api/v1/workers", null, Map.of("Authorization", "Basic abc"), REGISTER), 401);

        Api.Response created = api.post("/api/v1/worker-tokens", admin.token(), Map.of("name", "old"));
        jdbc.sql("UPDATE worker_tokens SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE WHERE id = :id")
                .param("id", created.json().get("info").get("id").longValue()).update();
        JsonNode expired = assertProblem(api.post("/api/v1/workers", created.json().get("token").stringValue(),
                REGISTER), 401);
        assertThat(expired.get("detail").stringValue()).contains("expired");
    }

    @Test
    void aWorkerBelongsToTheTokenThatRegisteredIt() {
        String fleetA = workerToken();
        String fleetB = workerToken();
        Worker a = register(fleetA, "a", 2, 0, Map.of());
        Worker b = register(fleetB, "b", 2, 0, Map.of());
        JsonNode problem = assertProblem(api.get("/api/v1/workers/" + a.id(), fleetB), 404);
        assertThat(problem.get("detail").stringValue()).contains("no worker " + a.id());
        assertProblem(api.post("/api/v1/workers/" + a.id() + "/lease", fleetB, Map.of()), 404);
        assertProblem(api.post("/api/v1/workers/" + a.id() + "/heartbeat", fleetB, Map.of()), 404);
        assertProblem(api.delete("/api/v1/workers/" + a.id(), fleetB), 404);
        JsonNode listA = api.get("/api/v1/workers", fleetA).json().get("items");
        assertThat(listA).extracting(w -> w.get("id").stringValue()).containsExactly(a.id());
        assertThat(b.get().get("name").stringValue()).isEqualTo("b");
    }
}
