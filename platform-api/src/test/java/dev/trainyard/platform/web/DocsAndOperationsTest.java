package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DocsAndOperationsTest extends IntegrationTest {

    @Test
    void theOpenApiDocumentIsGeneratedFromTheControllers() {
        Api.Response r = api.get("/v3/api-docs", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("paths").propertyNames()).contains(
                "/api/v1/projects", "/api/v1/projects/{projectId}", "/api/v1/projects/{projectId}/members",
                "/api/v1/projects/{projectId}/members/{userId}", "/api/v1/projects/{projectId}/experiments",
                "/api/v1/projects/{projectId}/experiments/{experimentId}", "/api/v1/projects/{projectId}/runs",
                "/api/v1/projects/{projectId}/runs/{runId}", "/api/v1/projects/{projectId}/runs/{runId}/cancel",
                "/api/v1/projects/{projectId}/runs/{runId}/retry", "/api/v1/projects/{projectId}/runs/{runId}/clone",
                "/api/v1/tokens", "/api/v1/tokens/{tokenId}", "/api/v1/users", "/api/v1/users/me");
        assertThat(doc.get("components").get("securitySchemes").get("bearer").get("scheme").stringValue())
                .isEqualTo("bearer");
        // the caller comes from the token, not from a parameter
        assertThat(doc.get("paths").get("/api/v1/users/me").get("get").has("parameters")).isFalse();
        JsonNode submit = doc.get("paths").get("/api/v1/projects/{projectId}/runs").get("post");
        assertThat(submit.get("parameters").toString()).contains("Idempotency-Key");
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response r = api.get("/swagger-ui/index.html", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("Swagger UI");
    }

    @Test
    void serverMetricsNeedASiteAdminsAdminToken() {
        assertProblem(api.get("/actuator/prometheus", null), 401);
        TestUser viewer = newUser("viewer", Scope.READ);
        TestUser projectAdmin = newUser("project-admin", Scope.ADMIN);
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used")) {
            assertProblem(api.get(path, viewer.token()), 403);
            assertProblem(api.get(path, projectAdmin.token()), 403);
        }
        User operator = users.save(new User("operator-" + System.nanoTime(), null, true, Times.now()));
        assertProblem(api.get("/actuator/prometheus", token(operator.getId(), Scope.WRITE)), 403);
        String admin = token(operator.getId(), Scope.ADMIN);
        api.get("/api/v1/users/me", admin);
        Api.Response r = api.get("/actuator/prometheus", admin);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("http_server_requests_seconds");
        assertThat(api.get("/actuator/metrics", admin).status()).isEqualTo(200);
        // health stays public, for probes
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
    }
}
