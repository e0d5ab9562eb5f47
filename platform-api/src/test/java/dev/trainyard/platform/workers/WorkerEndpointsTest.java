package dev.trainyard.platform.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.scheduling.SchedulingTest;
import dev.trainyard.platform.testing.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Registration, and RFC 9457 problem+json for every error of every worker endpoint. */
class WorkerEndpointsTest extends SchedulingTest {

    private String fleet;
    private Worker worker;

    @BeforeEach
    void worker() {
        fleet = workerToken();
        worker = register(fleet, "gpu-box", 32, 2, Map.of("gpu", "a100", "zone", "eu"));
    }

    private static String pointer(JsonNode problem) {
        return problem.get("errors").get(0).get("pointer").stringValue();
    }

    @Test
    void registeringAnswers201WithLocationTheDevicesAndTheTimings() {
        Api.Response r = api.post("/api/v1/workers", fleet, Map.of("name", "box-7",
                "labels", Map.of("gpu", "h100"),
                "devices", Map.of("cpus", 64, "memoryMb", 524288, "gpus", List.of(
                        Map.of("model", "NVIDIA H100", "memoryMb", 81920),
                        Map.of("model", "NVIDIA H100", "memoryMb", 81920)))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode w = r.json();
        assertThat(w.get("id").stringValue()).startsWith("box-7-");
        assertThat(r.header("Location")).isEqualTo("/api/v1/workers/" + w.get("id").stringValue());
        assertThat(w.get("status").stringValue()).isEqualTo("ACTIVE");
        assertThat(w.get("labels").get("gpu").stringValue()).isEqualTo("h100");
        assertThat(w.get("devices").get("gpus").get(1).get("model").stringValue()).isEqualTo("NVIDIA H100");
        assertThat(w.get("free").get("cpus").intValue()).isEqualTo(64);
        assertThat(w.get("free").get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0, 1);
        assertThat(w.get("leaseSeconds").intValue()).isEqualTo(30);
        assertThat(w.get("heartbeatSeconds").intValue()).isEqualTo(10);
        Api.Response again = api.post("/api/v1/workers", fleet, Map.of("name", "box-7",
                "devices", Map.of("cpus", 1, "memoryMb", 0)));
        assertThat(again.json().get("id").stringValue()).as("each registration is a new worker")
                .isNotEqualTo(w.get("id").stringValue());
    }

    @Test
    void registerErrors() {
        assertThat(pointer(assertProblem(api.post("/api/v1/workers", fleet, Map.of("name", "w")), 400)))
                .isEqualTo("/devices");
        assertThat(pointer(assertProblem(api.post("/api/v1/workers", fleet, Map.of("name", "../etc",
                "devices", Map.of("cpus", 1, "memoryMb", 1))), 400))).isEqualTo("/name");
        assertThat(pointer(assertProblem(api.post("/api/v1/workers", fleet, Map.of("name", "w",
                "devices", Map.of("cpus", 0, "memoryMb", 1))), 400))).isEqualTo("/devices/cpus");
        assertThat(pointer(assertProblem(api.post("/api/v1/workers", fleet, Map.of("name", "w",
                "devices", Map.of("cpus", 1, "memoryMb", 1, "gpus", List.of(Map.of("memoryMb", 1))))), 400)))
                .isEqualTo("/devices/gpus/0/model");
        assertThat(pointer(assertProblem(api.post("/api/v1/workers", fleet, Map.of("name", "w", "labels",
                Map.of("bad key!", "x"), "devices", Map.of("cpus", 1, "memoryMb", 1))), 400)))
                .startsWith("/labels");
        assertThat(pointer(assertProblem(api.post("/api/v1/workers", fleet, Map.of("name", "w", "devcies",
                Map.of())), 400))).isEqualTo("/devcies");
        assertProblem(api.post("/api/v1/workers", fleet, "{not json"), 400);
        assertProblem(api.send("POST", "/api/v1/workers", fleet, Map.of("Content-Type", "text/plain"), "x"), 415);
        assertProblem(api.put("/api/v1/workers", fleet, Map.of()), 405);
    }

    @Test
    void getAndDeregisterErrors() {
        assertProblem(api.get("/api/v1/workers/nobody-123", fleet), 404);
        assertProblem(api.delete("/api/v1/workers/nobody-123", fleet), 404);
        assertProblem(api.get("/api/v1/workers/" + worker.id() + "/nothing-here", fleet), 404);
    }

    @Test
    void leaseErrors() {
        String lease = "/api/v1/workers/" + worker.id() + "/lease";
        assertThat(pointer(assertProblem(api.post(lease, fleet, Map.of("waitSeconds", 31)), 400)))
                .isEqualTo("/waitSeconds");
        assertThat(pointer(assertProblem(api.post(lease, fleet, Map.of("maxRuns", 0)), 400))).isEqualTo("/maxRuns");
        assertThat(pointer(assertProblem(api.post(lease, fleet, Map.of("waitSecs", 1)), 400))).isEqualTo("/waitSecs");
        assertProblem(api.post("/api/v1/workers/nobody-123/lease", fleet, Map.of()), 404);
        assertProblem(api.get(lease, fleet), 405);
        Api.Response noBody = api.post(lease, fleet, null);
        assertThat(noBody.status()).as("the body is optional").isEqualTo(200);
        assertThat(noBody.json().get("runs")).isEmpty();
        api.delete("/api/v1/workers/" + worker.id(), fleet);
        assertProblem(api.post(lease, fleet, Map.of()), 410);
    }

    @Test
    void heartbeatErrors() {
        String heartbeat = "/api/v1/workers/" + worker.id() + "/heartbeat";
        assertThat(pointer(assertProblem(api.post(heartbeat, fleet, Map.of("runs", List.of(
                Map.of("runId", 1, "attempt", 0)))), 400))).isEqualTo("/runs/0/attempt");
        assertThat(pointer(assertProblem(api.post(heartbeat, fleet, Map.of("runs", List.of(
                Map.of("attempt", 1)))), 400))).isEqualTo("/runs/0/runId");
        assertProblem(api.post("/api/v1/workers/nobody-123/heartbeat", fleet, Map.of()), 404);
        JsonNode beat = api.post(heartbeat, fleet, Map.of("runs", List.of(Map.of("runId", 999999, "attempt", 1))))
                .json();
        assertThat(beat.get("stop").get(0).get("reason").stringValue()).isEqualTo("NOT_FOUND");
        api.delete("/api/v1/workers/" + worker.id(), fleet);
        assertProblem(api.post(heartbeat, fleet, Map.of()), 410);
    }

    @Test
    void statusReportErrors() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        long id = submit(project, alice, runBody());
        String status = "/api/v1/workers/" + worker.id() + "/runs/" + id + "/status";
        assertThat(pointer(assertProblem(api.post(status, fleet, Map.of("status", "SUCCEEDED")), 400)))
                .isEqualTo("/attempt");
        assertThat(pointer(assertProblem(api.post(status, fleet, Map.of("attempt", 1, "status", "DONE")), 400)))
                .isEqualTo("/status");
        assertThat(pointer(assertProblem(api.post(status, fleet, Map.of("attempt", 1, "status", "FAILED",
                "message", "x".repeat(1001))), 400))).isEqualTo("/message");
        assertProblem(api.post(status, fleet, null), 400);
        assertProblem(api.post("/api/v1/workers/" + worker.id() + "/runs/abc/status", fleet,
                Map.of("attempt", 1, "status", "RUNNING")), 400);
        JsonNode never = assertProblem(api.post(status, fleet, Map.of("attempt", 1, "status", "RUNNING")), 409);
        assertThat(never.get("detail").stringValue()).contains("never held run " + id);
        assertProblem(api.post("/api/v1/workers/" + worker.id() + "/runs/999999/status", fleet,
                Map.of("attempt", 1, "status", "RUNNING")), 404);
        assertProblem(api.post("/api/v1/workers/nobody-123/runs/" + id + "/status", fleet,
                Map.of("attempt", 1, "status", "RUNNING")), 404);
        api.delete("/api/v1/workers/" + worker.id(), fleet);
        assertProblem(api.post(status, fleet, Map.of("attempt", 1, "status", "RUNNING")), 410);
    }

    @Test
    void theOpenApiDocumentHasTheWorkerEndpointsWithoutThePrincipal() {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        assertThat(doc.get("paths").propertyNames()).contains("/api/v1/workers", "/api/v1/workers/{workerId}",
                "/api/v1/workers/{workerId}/lease", "/api/v1/workers/{workerId}/heartbeat",
                "/api/v1/workers/{workerId}/runs/{runId}/status", "/api/v1/worker-tokens",
                "/api/v1/worker-tokens/{tokenId}", "/api/v1/projects/{projectId}/run-limit");
        assertThat(doc.get("paths").get("/api/v1/workers").get("get").has("parameters")).isFalse();
    }
}
