package dev.trainyard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.scheduling.SchedulingTest;
import dev.trainyard.platform.testing.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/queue and GET /api/v1/cluster/workers: the scheduler's order, scoped to the caller's projects. */
class ClusterViewTest extends SchedulingTest {

    @Test
    void theQueueIsListedInTheOrderTheSchedulerLeasesIt() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        long a = newProject(alice);
        long b = newProject(bob);
        long a1 = submit(a, alice, runBody());
        long b1 = submit(b, bob, with(runBody(), "priority", 5));
        long a2 = submit(a, alice, with(with(runBody(), "priority", 10), "name", "urgent"));
        long a3 = submit(a, alice, with(runBody(), "resources", resources(2, 1, Map.of("gpu", "a100"))));
        long b2 = submit(b, bob, runBody());
        assertThat(api.put("/api/v1/projects/" + a + "/run-limit", alice.token(), Map.of("maxRunning", 5)).status())
                .isEqualTo(200);

        JsonNode mine = queue(alice);
        assertThat(ids(mine.get("items"))).containsExactly(a2, a1, a3);
        assertThat(mine.get("items")).extracting(i -> i.get("position").longValue()).containsExactly(1L, 3L, 4L);
        assertThat(mine.get("total").longValue()).isEqualTo(3);
        assertThat(mine.get("otherRuns").longValue()).isEqualTo(2);
        JsonNode urgent = mine.get("items").get(0);
        assertThat(urgent.get("projectId").longValue()).isEqualTo(a);
        assertThat(urgent.get("projectName").stringValue()).startsWith("p-");
        assertThat(urgent.get("runName").stringValue()).isEqualTo("urgent");
        assertThat(urgent.get("priority").intValue()).isEqualTo(10);
        assertThat(urgent.get("queuedAt").stringValue()).isNotBlank();
        JsonNode gpuRun = mine.get("items").get(2);
        assertThat(gpuRun.get("resources").get("cpus").intValue()).isEqualTo(2);
        assertThat(gpuRun.get("resources").get("gpus").intValue()).isEqualTo(1);
        assertThat(gpuRun.get("resources").get("memoryMb").intValue()).isEqualTo(1024);
        assertThat(gpuRun.get("labels").get("gpu").stringValue()).isEqualTo("a100");
        assertThat(mine.get("projectLimits")).hasSize(1);
        assertThat(mine.get("projectLimits").get(0).get("projectId").longValue()).isEqualTo(a);
        assertThat(mine.get("projectLimits").get(0).get("maxRunning").intValue()).isEqualTo(5);
        assertThat(mine.get("projectLimits").get(0).get("running").longValue()).isZero();

        JsonNode bobs = queue(bob);
        assertThat(ids(bobs.get("items"))).containsExactly(b1, b2);
        assertThat(bobs.get("items")).extracting(i -> i.get("position").longValue()).containsExactly(2L, 5L);
        assertThat(bobs.get("projectLimits").get(0).get("maxRunning").isNull()).isTrue();

        JsonNode all = queue(admin);
        List<Long> order = ids(all.get("items"));
        assertThat(order).containsExactly(a2, b1, a1, a3, b2);
        assertThat(all.get("otherRuns").longValue()).isZero();
        assertThat(ids(api.get("/api/v1/queue?limit=2", admin.token()).json().get("items"))).containsExactly(a2, b1);

        // the order a worker that fits every run actually gets them in, one lease at a time
        Worker worker = register(workerToken(), "big", 16, 1, Map.of("gpu", "a100"));
        List<Long> leased = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leased.add(worker.leaseNow(1).getFirst().get("runId").longValue());
        }
        assertThat(leased).isEqualTo(order);
        JsonNode after = queue(alice);
        assertThat(after.get("items")).isEmpty();
        assertThat(after.get("projectLimits").get(0).get("running").longValue()).isEqualTo(3);

        assertThat(assertProblem(api.get("/api/v1/queue?limit=0", alice.token()), 400).get("errors").get(0)
                .get("parameter").stringValue()).isEqualTo("limit");
    }

    @Test
    void workersShowTheirDevicesFreeCapacityAndOnlyTheCallersRuns() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        long a = newProject(alice);
        long b = newProject(bob);
        long aliceRun = submit(a, alice, with(runBody(), "resources", resources(2, 1, Map.of())));
        Worker worker = register(api, workerToken(), "gpu-box", 8, 64_000, 2, Map.of("zone", "eu"));
        assertThat(worker.leaseNow(1)).hasSize(1);
        long bobRun = submit(b, bob, with(runBody(), "resources", resources(1, 0, Map.of())));
        assertThat(worker.leaseNow(1)).hasSize(1);

        JsonNode seen = workers(alice);
        assertThat(seen).hasSize(1);
        JsonNode w = seen.get(0);
        assertThat(w.get("id").stringValue()).isEqualTo(worker.id());
        assertThat(w.get("name").stringValue()).isEqualTo("gpu-box");
        assertThat(w.get("labels").get("zone").stringValue()).isEqualTo("eu");
        assertThat(w.get("status").stringValue()).isEqualTo("ACTIVE");
        assertThat(w.get("devices").get("cpus").intValue()).isEqualTo(8);
        assertThat(w.get("devices").get("memoryMb").intValue()).isEqualTo(64_000);
        assertThat(w.get("devices").get("gpus")).hasSize(2);
        assertThat(w.get("devices").get("gpus").get(1).get("index").intValue()).isEqualTo(1);
        assertThat(w.get("devices").get("gpus").get(1).get("model").stringValue()).isEqualTo("NVIDIA A100");
        assertThat(w.get("devices").get("gpus").get(1).get("memoryMb").intValue()).isEqualTo(81920);
        assertThat(w.get("free").get("cpus").intValue()).isEqualTo(5);
        assertThat(w.get("free").get("memoryMb").intValue()).isEqualTo(64_000 - 2048);
        assertThat(w.get("free").get("gpus")).extracting(g -> g.get("index").intValue()).containsExactly(1);
        assertThat(w.get("lastHeartbeatAt").stringValue()).isNotBlank();
        assertThat(w.get("heartbeatAgeSeconds").longValue()).isBetween(0L, 30L);
        assertThat(w.get("runs")).hasSize(1);
        assertThat(w.get("runs").get(0).get("id").longValue()).isEqualTo(aliceRun);
        assertThat(w.get("runs").get(0).get("projectId").longValue()).isEqualTo(a);
        assertThat(w.get("runs").get(0).get("name").stringValue()).isEqualTo("run");
        assertThat(w.get("runs").get(0).get("attempt").intValue()).isEqualTo(1);
        assertThat(w.get("otherRuns").intValue()).isEqualTo(1);

        JsonNode bobsView = workers(bob).get(0);
        assertThat(ids(bobsView.get("runs"), "id")).containsExactly(bobRun);
        assertThat(bobsView.get("otherRuns").intValue()).isEqualTo(1);
        JsonNode adminsView = workers(admin).get(0);
        assertThat(ids(adminsView.get("runs"), "id")).containsExactly(aliceRun, bobRun);
        assertThat(adminsView.get("otherRuns").intValue()).isZero();

        // a deregistered worker is not listed
        assertThat(api.delete("/api/v1/workers/" + worker.id(), worker.token()).status()).isEqualTo(204);
        assertThat(workers(alice)).isEmpty();
    }

    private JsonNode queue(TestUser user) {
        Api.Response r = api.get("/api/v1/queue", user.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private JsonNode workers(TestUser user) {
        Api.Response r = api.get("/api/v1/cluster/workers", user.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("items");
    }

    private static List<Long> ids(JsonNode items) {
        return ids(items, "runId");
    }

    private static List<Long> ids(JsonNode items, String field) {
        List<Long> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.get(field).longValue()));
        return ids;
    }
}
