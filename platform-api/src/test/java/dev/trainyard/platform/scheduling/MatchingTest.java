package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.testing.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Which worker gets which run: free resources, GPUs all or nothing, labels, queue order, per-project limits. */
class MatchingTest extends SchedulingTest {

    private TestUser alice;
    private long project;
    private String fleet;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        fleet = workerToken();
    }

    private long submit(int cpus, int gpus, Map<String, String> labels) {
        return submit(project, alice, with(runBody(), "resources", resources(cpus, gpus, labels)));
    }

    private static List<Long> ids(List<JsonNode> runs) {
        return runs.stream().map(r -> r.get("runId").longValue()).toList();
    }

    @Test
    void aLeaseCarriesWhatTheWorkerNeedsToStartTheRun() {
        Worker w = register(fleet, "box", 8, 2, Map.of("gpu", "a100"));
        long id = submit(project, alice, with(with(runBody(), "resources", resources(2, 1, Map.of("gpu", "a100"))),
                "maxAttempts", 3));
        Api.Response r = w.lease(0, 1);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("leaseSeconds").intValue()).isEqualTo(30);
        assertThat(r.json().get("heartbeatSeconds").intValue()).isEqualTo(10);
        JsonNode run = r.json().get("runs").get(0);
        assertThat(run.get("runId").longValue()).isEqualTo(id);
        assertThat(run.get("projectId").longValue()).isEqualTo(project);
        assertThat(run.get("attempt").intValue()).isEqualTo(1);
        assertThat(run.get("maxAttempts").intValue()).isEqualTo(3);
        assertThat(run.get("spec").get("optimizer").get("lr").doubleValue()).isEqualTo(0.001);
        assertThat(run.get("resources").get("labels").get("gpu").stringValue()).isEqualTo("a100");
        assertThat(run.get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0);
        assertThat(run.get("leaseExpiresAt").stringValue()).isNotBlank();

        JsonNode shown = run(project, alice, id);
        assertThat(shown.get("status").stringValue()).isEqualTo("RUNNING");
        assertThat(shown.get("workerId").stringValue()).isEqualTo(w.id());
        assertThat(shown.get("attempt").intValue()).isEqualTo(1);
        assertThat(shown.get("startedAt").isNull()).isFalse();
        assertThat(shown.get("attempts").get(0).get("workerId").stringValue()).isEqualTo(w.id());

        JsonNode worker = w.get();
        assertThat(worker.get("free").get("cpus").intValue()).isEqualTo(6);
        assertThat(worker.get("free").get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(1);
        assertThat(worker.get("allocations").get(0).get("runId").longValue()).isEqualTo(id);
    }

    @Test
    void gpusAreAllOrNothing() {
        Worker oneGpu = register(fleet, "small", 16, 1, Map.of());
        Worker twoGpus = register(fleet, "big", 16, 2, Map.of());
        long needsTwo = submit(1, 2, Map.of());

        assertThat(oneGpu.leaseNow(1)).as("a worker with 1 GPU never gets a 2-GPU run").isEmpty();
        List<JsonNode> got = twoGpus.leaseNow(1);
        assertThat(ids(got)).containsExactly(needsTwo);
        assertThat(got.getFirst().get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0, 1);

        // the big worker now has no GPU free: a 1-GPU run goes to the small one
        long needsOne = submit(1, 1, Map.of());
        assertThat(twoGpus.leaseNow(1)).isEmpty();
        assertThat(ids(oneGpu.leaseNow(1))).containsExactly(needsOne);

        // with one of its two GPUs taken, the big worker does not get a 2-GPU run: never a partial allocation
        assertThat(twoGpus.report(needsTwo, 1, "SUCCEEDED").status()).isEqualTo(200);
        long oneMore = submit(1, 1, Map.of());
        assertThat(ids(twoGpus.leaseNow(1))).containsExactly(oneMore);
        long twoMore = submit(1, 2, Map.of());
        assertThat(twoGpus.leaseNow(1)).isEmpty();
        assertThat(oneGpu.leaseNow(1)).isEmpty();
        assertThat(twoGpus.report(oneMore, 1, "SUCCEEDED").status()).isEqualTo(200);
        List<JsonNode> later = twoGpus.leaseNow(1);
        assertThat(ids(later)).containsExactly(twoMore);
        assertThat(later.getFirst().get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0, 1);
    }

    @Test
    void aGpuFreedInTheMiddleIsTheOneGiven() {
        Worker w = register(fleet, "quad", 16, 4, Map.of());
        long a = submit(1, 1, Map.of());
        long b = submit(1, 2, Map.of());
        long c = submit(1, 1, Map.of());
        List<JsonNode> got = w.leaseNow(3);
        assertThat(ids(got)).containsExactly(a, b, c);
        assertThat(got.get(0).get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0);
        assertThat(got.get(1).get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(1, 2);
        assertThat(got.get(2).get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(3);
        assertThat(w.report(b, 1, "SUCCEEDED").status()).isEqualTo(200);
        long d = submit(1, 2, Map.of());
        assertThat(w.leaseNow(1).getFirst().get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(1, 2);
        assertThat(status(d)).isEqualTo("RUNNING");
    }

    @Test
    void cpusAndMemoryMustFit() {
        Worker w = register(api, fleet, "four-cores", 4, 8192, 0, Map.of());
        long first = submit(project, alice, with(runBody(), "resources", Map.of("cpus", 3, "memoryMb", 2048)));
        long second = submit(project, alice, with(runBody(), "resources", Map.of("cpus", 3, "memoryMb", 2048)));
        long big = submit(project, alice, with(runBody(), "resources", Map.of("cpus", 1, "memoryMb", 16384)));
        assertThat(ids(w.leaseNow(4))).as("3 + 3 CPUs do not fit in 4; 16 GiB not in 8").containsExactly(first);
        assertThat(w.report(first, 1, "SUCCEEDED").status()).isEqualTo(200);
        assertThat(ids(w.leaseNow(4))).containsExactly(second);
        assertThat(status(big)).isEqualTo("QUEUED");
    }

    @Test
    void aWorkerMustCarryEveryLabelTheRunAsksFor() {
        Worker v100 = register(fleet, "v100", 8, 1, Map.of("gpu", "v100", "zone", "eu"));
        Worker a100 = register(fleet, "a100", 8, 1, Map.of("gpu", "a100", "zone", "eu"));
        long wantsA100InEu = submit(1, 0, Map.of("gpu", "a100", "zone", "eu"));
        long wantsUs = submit(1, 0, Map.of("zone", "us"));
        assertThat(v100.leaseNow(2)).isEmpty();
        assertThat(ids(a100.leaseNow(2))).containsExactly(wantsA100InEu);
        assertThat(status(wantsUs)).isEqualTo("QUEUED");
        long anywhere = submit(1, 0, Map.of());
        assertThat(ids(v100.leaseNow(2))).as("a run without labels goes anywhere").containsExactly(anywhere);
    }

    @Test
    void higherPriorityFirstThenOlderFirst() {
        Worker w = register(fleet, "w", 64, 0, Map.of());
        long low1 = submit(project, alice, with(runBody(), "priority", 0));
        long low2 = submit(project, alice, with(runBody(), "priority", 0));
        long high = submit(project, alice, with(runBody(), "priority", 5));
        long lowest = submit(project, alice, with(runBody(), "priority", -3));
        assertThat(ids(w.leaseNow(1))).containsExactly(high);
        assertThat(ids(w.leaseNow(3))).containsExactly(low1, low2, lowest);
    }

    @Test
    void aProjectLimitCapsItsRunningRunsAndOtherProjectsGoOn() {
        long other = newProject(alice);
        Api.Response set = api.put("/api/v1/projects/" + project + "/run-limit", alice.token(),
                Map.of("maxRunning", 2));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("maxRunning").intValue()).isEqualTo(2);
        Worker w = register(fleet, "w", 64, 0, Map.of());
        long a = submit(1, 0, Map.of());
        long b = submit(1, 0, Map.of());
        long c = submit(1, 0, Map.of());
        long d = submit(1, 0, Map.of());
        long elsewhere = submit(other, alice, runBody());

        assertThat(ids(w.leaseNow(10))).as("two of the limited project, then the other project's run")
                .containsExactly(a, b, elsewhere);
        JsonNode limit = api.get("/api/v1/projects/" + project + "/run-limit", alice.token()).json();
        assertThat(limit.get("running").longValue()).isEqualTo(2);
        assertThat(w.leaseNow(10)).isEmpty();

        assertThat(w.report(a, 1, "SUCCEEDED").status()).isEqualTo(200);
        assertThat(ids(w.leaseNow(10))).containsExactly(c);

        api.put("/api/v1/projects/" + project + "/run-limit", alice.token(), Map.of("maxRunning", 0));
        assertThat(w.report(b, 1, "SUCCEEDED").status()).isEqualTo(200);
        assertThat(w.leaseNow(10)).as("0 pauses the project").isEmpty();

        assertThat(api.delete("/api/v1/projects/" + project + "/run-limit", alice.token()).status()).isEqualTo(204);
        assertThat(ids(w.leaseNow(10))).containsExactly(d);
        assertThat(api.get("/api/v1/projects/" + project + "/run-limit", alice.token()).json().get("maxRunning")
                .isNull()).isTrue();
    }

    @Test
    void onlyProjectAdminsSetTheLimitAndMembersReadIt() {
        TestUser viewer = newUser("viewer");
        TestUser editor = newUser("editor");
        TestUser outsider = newUser("outsider");
        addMember(project, alice, viewer, "viewer");
        addMember(project, alice, editor, "editor");
        String path = "/api/v1/projects/" + project + "/run-limit";
        assertThat(api.get(path, viewer.token()).status()).isEqualTo(200);
        assertProblem(api.get(path, outsider.token()), 404);
        assertProblem(api.put(path, editor.token(), Map.of("maxRunning", 3)), 403);
        assertProblem(api.delete(path, viewer.token()), 403);
        TestUser readOnly = newUser("reader", false, Scope.READ);
        addMember(project, alice, readOnly, "admin");
        assertProblem(api.put(path, readOnly.token(), Map.of("maxRunning", 3)), 403);
        JsonNode bad = assertProblem(api.put(path, alice.token(), Map.of("maxRunning", -1)), 400);
        assertThat(bad.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/maxRunning");
        assertProblem(api.put(path, alice.token(), Map.of()), 400);
    }

    @Test
    void maxRunsTakesSeveralRunsThatFitTogether() {
        Worker w = register(fleet, "w", 4, 0, Map.of());
        for (int i = 0; i < 6; i++) {
            submit(2, 0, Map.of());
        }
        assertThat(w.leaseNow(16)).as("2 + 2 CPUs fill a 4-CPU worker").hasSize(2);
        assertThat(w.leaseNow(16)).isEmpty();
    }
}
