package dev.trainyard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dashboard's API additions are in the OpenAPI document, each with a summary. */
class DashboardApiDocsTest extends IntegrationTest {

    @Test
    void everyNewOperationHasASummary() {
        JsonNode paths = api.get("/v3/api-docs", null).json().get("paths");
        String[][] operations = {
            {"/api/v1/queue", "get"},
            {"/api/v1/cluster/workers", "get"},
            {"/api/v1/projects/{projectId}/runs/{runId}", "patch"},
            {"/api/v1/projects/{projectId}/experiments/{experimentId}", "delete"},
            {"/api/v1/projects/{projectId}", "delete"},
        };
        for (String[] op : operations) {
            JsonNode operation = paths.path(op[0]).path(op[1]);
            assertThat(operation.has("summary")).as(op[1] + " " + op[0] + " has a summary").isTrue();
            assertThat(operation.get("summary").stringValue()).as(op[1] + " " + op[0]).isNotBlank();
        }
        assertThat(paths.get("/api/v1/projects/{projectId}/runs/{runId}").get("patch").get("requestBody")
                .get("content").propertyNames()).contains("application/merge-patch+json", "application/json");
        assertThat(paths.get("/api/v1/projects/{projectId}").get("delete").get("parameters"))
                .extracting(p -> p.get("name").stringValue()).contains("confirm");
    }
}
