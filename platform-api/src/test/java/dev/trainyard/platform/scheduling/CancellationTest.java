package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A cancel through the API frees the worker's devices at once and reaches the worker on its next heartbeat; the
 * worker stops and acknowledges with CANCELLED. Cancel and retry stay consistent with the scheduler's own moves.
 */
class CancellationTest extends SchedulingTest {

    private TestUser alice;
    private long project;
    private String runs;
    private String fleet;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        runs = "/api/v1/projects/" + project + "/runs";
        fleet = workerToken();
    }

    @Test
    void aCancelReachesTheWorkerOnItsNextHeartbeatAndTheWorkerAcknowledges() {
        Worker w = register(fleet, "w", 8, 1, Map.of());
        long id = submit(project, alice, with(runBody(), "resources", resources(1, 1, Map.of())));
        w.leaseNow(1);
        JsonNode first = w.heartbeat(id, 1).json();
        assertThat(first.get("renewed")).hasSize(1);
        assertThat(first.get("stop")).isEmpty();

        Api.Response cancelled = api.post(runs + "/" + id + "/cancel", alice.token(), null);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("status").stringValue()).isEqualTo("CANCELLED");

        JsonNode beat = w.heartbeat(id, 1).json();
        assertThat(beat.get("renewed")).isEmpty();
        JsonNode stop = beat.get("stop").get(0);
        assertThat(stop.get("runId").longValue()).isEqualTo(id);
        assertThat(stop.get("attempt").intValue()).isEqualTo(1);
        assertThat(stop.get("reason").stringValue()).isEqualTo("CANCELLED");
        assertThat(stop.get("detail").stringValue()).contains("report CANCELLED");

        // the cancel freed the GPU: the next run gets it before the worker has acknowledged
        long next = submit(project, alice, with(runBody(), "resources", resources(1, 1, Map.of())));
        assertThat(w.leaseNow(1)).extracting(r -> r.get("runId").longValue()).containsExactly(next);
        Api.Response ack = w.report(id, 1, "CANCELLED");
        assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
        assertThat(ack.json().get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(w.report(id, 1, "CANCELLED").status()).as("acknowledging twice").isEqualTo(200);
        assertThat(w.get().get("allocations")).extracting(a -> a.get("runId").longValue())
                .as("the acknowledgement does not free the next run's allocation").containsExactly(next);

        JsonNode run = run(project, alice, id);
        assertThat(run.get("attempts").get(0).get("outcome").stringValue()).isEqualTo("CANCELLED");
        assertThat(run.get("attempts").get(0).get("reason").stringValue()).contains(alice.username());
    }

    /**
     * D1: a worker cancelled while it sets a run up (before any heartbeat or checkpoint) is refused with 409 and may
     * never report; the cancel itself must free what the attempt held, or the worker's slots leak for good.
     */
    @Test
    void aCancelRightAfterTheClaimFreesTheWorkersSlotsWithoutAnyWordFromTheWorker() {
        Worker w = register(api, fleet, "w", 2, 4096, 1, Map.of());
        Map<String, Object> big = with(runBody(), "resources", Map.of("cpus", 2, "gpus", 1, "memoryMb", 4096));
        long id = submit(project, alice, big);
        assertThat(w.leaseNow(1)).hasSize(1);
        JsonNode busy = w.get();
        assertThat(busy.get("free").get("cpus").intValue()).isZero();
        assertThat(busy.get("free").get("gpuIndices")).isEmpty();

        assertThat(api.post(runs + "/" + id + "/cancel", alice.token(), null).status()).isEqualTo(200);

        JsonNode free = w.get();
        assertThat(free.get("allocations")).as("allocations after the cancel").isEmpty();
        assertThat(free.get("free").get("cpus").intValue()).isEqualTo(2);
        assertThat(free.get("free").get("memoryMb").intValue()).isEqualTo(4096);
        assertThat(free.get("free").get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0);
        Api.Response listed = api.get("/api/v1/workers", fleet);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        JsonNode mine = null;
        for (JsonNode worker : listed.json().get("items")) {
            if (worker.get("id").stringValue().equals(w.id())) {
                mine = worker;
            }
        }
        assertThat(mine).as("worker " + w.id() + " in GET /workers").isNotNull();
        assertThat(mine.get("free").get("cpus").intValue()).isEqualTo(2);

        long next = submit(project, alice, big);
        assertThat(w.leaseNow(1)).extracting(r -> r.get("runId").longValue()).containsExactly(next);
        JsonNode attempt = run(project, alice, id).get("attempts").get(0);
        assertThat(attempt.get("outcome").stringValue()).isEqualTo("CANCELLED");
        assertThat(attempt.get("endedAt").isNull()).isFalse();
        // the worker's late writes are refused, and its late acknowledgement frees nothing of the next run's
        assertProblem(w.report(id, 1, "RUNNING"), 409);
        assertThat(w.report(id, 1, "CANCELLED").status()).isEqualTo(200);
        assertThat(w.get().get("allocations")).extracting(a -> a.get("runId").longValue()).containsExactly(next);
    }

    @Test
    void aRunThatFinishesJustAsItIsCancelledStaysCancelledAndFreesItsDevices() {
        Worker w = register(fleet, "w", 8, 1, Map.of());
        long id = submit(project, alice, with(runBody(), "resources", resources(1, 1, Map.of())));
        w.leaseNow(1);
        api.post(runs + "/" + id + "/cancel", alice.token(), null);
        JsonNode problem = assertProblem(w.report(id, 1, "SUCCEEDED"), 409);
        assertThat(problem.get("detail").stringValue()).contains("was cancelled", "stays CANCELLED");
        assertThat(status(id)).isEqualTo("CANCELLED");
        assertThat(w.get().get("allocations")).isEmpty();
        assertProblem(w.report(id, 1, "RUNNING"), 409);
    }

    @Test
    void aQueuedRunCancelledIsNeverLeasedAndARetriedOneIsLeasedAsANewAttempt() {
        Worker w = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, runBody());
        api.post(runs + "/" + id + "/cancel", alice.token(), null);
        assertThat(w.leaseNow(1)).isEmpty();
        api.post(runs + "/" + id + "/retry", alice.token(), null);
        assertThat(w.leaseNow(1).getFirst().get("attempt").intValue()).isEqualTo(1);

        // cancelled while running, then retried: the next claim is attempt 2
        api.post(runs + "/" + id + "/cancel", alice.token(), null);
        w.report(id, 1, "CANCELLED");
        Api.Response retried = api.post(runs + "/" + id + "/retry", alice.token(), null);
        assertThat(retried.json().get("status").stringValue()).isEqualTo("QUEUED");
        JsonNode again = w.leaseNow(1).getFirst();
        assertThat(again.get("attempt").intValue()).isEqualTo(2);
        assertThat(run(project, alice, id).get("retries").intValue()).isEqualTo(2);
    }

    @Test
    void aWorkerMayCancelARunOnItsOwn() {
        Worker w = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, runBody());
        w.leaseNow(1);
        Api.Response r = w.report(id, 1, "CANCELLED", Map.of("message", "interrupted on the worker"));
        assertThat(r.json().get("status").stringValue()).isEqualTo("CANCELLED");
        assertThat(run(project, alice, id).get("attempts").get(0).get("reason").stringValue())
                .isEqualTo("interrupted on the worker");
    }

    @Test
    void aFinishedRunCannotBeCancelledAndTheWorkerIsToldItIsFinished() {
        Worker w = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, runBody());
        w.leaseNow(1);
        assertThat(w.report(id, 1, "SUCCEEDED").status()).isEqualTo(200);
        assertThat(w.report(id, 1, "SUCCEEDED").status()).as("a repeated report").isEqualTo(200);
        assertProblem(api.post(runs + "/" + id + "/cancel", alice.token(), null), 409);
        JsonNode stop = w.heartbeat(id, 1).json().get("stop").get(0);
        assertThat(stop.get("reason").stringValue()).isEqualTo("FINISHED");
        assertProblem(w.report(id, 1, "FAILED"), 409);
        api.delete(runs + "/" + id, alice.token());
        assertThat(w.heartbeat(id, 1).json().get("stop").get(0).get("reason").stringValue()).isEqualTo("NOT_FOUND");
        assertProblem(w.report(id, 1, "SUCCEEDED"), 404);
    }

    /**
     * Cancels race claims: each cancel either wins (the run ends CANCELLED, and if a worker had claimed it, that
     * attempt is closed) or loses to a concurrent claim with 409 (runs.version), never leaving a half-moved run.
     */
    @Test
    void cancelsRacingClaimsLeaveEveryRunConsistent() throws Exception {
        int count = 150;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(submit(project, alice, runBody()));
        }
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            workers.add(register(fleet, "racer" + i, 1024, 0, Map.of()));
        }
        Map<Long, Integer> cancelStatus = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> jobs = new ArrayList<>();
        for (Worker w : workers) {
            jobs.add(pool.submit(() -> {
                start.await();
                while (!w.leaseNow(2).isEmpty()) {
                    // keep claiming until nothing is left
                }
                return null;
            }));
        }
        for (int t = 0; t < 2; t++) {
            int half = t;
            jobs.add(pool.submit(() -> {
                start.await();
                for (int i = half; i < count; i += 2) {
                    long id = ids.get(i);
                    cancelStatus.put(id, api.post(runs + "/" + id + "/cancel", alice.token(), null).status());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> job : jobs) {
            job.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        for (long id : ids) {
            JsonNode run = run(project, alice, id);
            String status = run.get("status").stringValue();
            int answer = cancelStatus.get(id);
            assertThat(answer).as("cancel of run " + id).isIn(200, 409);
            if (answer == 200) {
                assertThat(status).as("run " + id + " was cancelled with 200").isEqualTo("CANCELLED");
            }
            assertThat(status).isIn("CANCELLED", "RUNNING");
            JsonNode attempts = run.get("attempts");
            if (status.equals("RUNNING")) {
                assertThat(attempts).hasSize(1);
                assertThat(attempts.get(0).get("endedAt").isNull()).isTrue();
                assertThat(run.get("workerId").isNull()).isFalse();
            } else if (!attempts.isEmpty()) {
                assertThat(attempts.get(0).get("outcome").stringValue()).isEqualTo("CANCELLED");
            }
        }
        long cancelledWhileQueued = ids.stream().filter(id -> status(id).equals("CANCELLED")
                && jdbc.sql("SELECT attempt FROM runs WHERE id = :id").param("id", id).query(Integer.class).single() == 0)
                .count();
        long claimed = jdbc.sql("SELECT count(*) FROM run_attempts a JOIN runs r ON r.id = a.run_id"
                + " WHERE r.project_id = :p").param("p", project).query(Long.class).single();
        assertThat(cancelledWhileQueued + claimed).as("every run was either claimed once or cancelled before")
                .isEqualTo(count);
    }
}
