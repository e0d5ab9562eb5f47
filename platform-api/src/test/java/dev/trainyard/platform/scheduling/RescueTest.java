package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.web.ApiException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A worker that goes silent loses its runs: the rescuer re-queues them with back-off (another worker resumes them)
 * or fails them when the attempts are used up, and the silent worker's late writes are refused with 409 (fencing
 * by attempt number).
 */
class RescueTest extends SchedulingTest {

    @Autowired
    LeaseGuard leaseGuard;

    private TestUser alice;
    private long project;
    private String fleet;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        fleet = workerToken();
    }

    private OffsetDateTime notBefore(long runId) {
        return jdbc.sql("SELECT not_before FROM runs WHERE id = :id").param("id", runId)
                .query(OffsetDateTime.class).single();
    }

    private OffsetDateTime attemptEnded(long runId, int attempt) {
        return jdbc.sql("SELECT ended_at FROM run_attempts WHERE run_id = :id AND attempt = :a").param("id", runId)
                .param("a", attempt).query(OffsetDateTime.class).single();
    }

    @Test
    void aSilentWorkersRunIsRequeuedLeasedByAnotherAndTheSilentWorkersLateWritesAre409() {
        Worker silent = register(fleet, "silent", 8, 1, Map.of());
        Worker other = register(fleet, "other", 8, 1, Map.of());
        long id = submit(project, alice, with(with(runBody(), "maxAttempts", 3),
                "resources", resources(1, 1, Map.of())));
        assertThat(silent.leaseNow(1)).hasSize(1);
        assertThat(silent.report(id, 1, "RUNNING").status()).isEqualTo(200);

        // the silent worker sends nothing more; its lease runs out and the scheduled rescuer takes the run back
        expireLease(id);
        await("the rescuer to re-queue run " + id, 10, () -> status(id).equals("QUEUED"));
        JsonNode run = run(project, alice, id);
        assertThat(run.get("attempt").intValue()).isEqualTo(1);
        assertThat(run.get("workerId").isNull()).isTrue();
        JsonNode lost = run.get("attempts").get(0);
        assertThat(lost.get("outcome").stringValue()).isEqualTo("LOST");
        assertThat(lost.get("workerId").stringValue()).isEqualTo(silent.id());
        assertThat(lost.get("reason").stringValue()).contains("lease expired", silent.id(), "attempt 1 of 3",
                "re-queued");
        assertThat(lost.get("endedAt").isNull()).isFalse();
        assertThat(Duration.between(attemptEnded(id, 1), notBefore(id))).as("first back-off")
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(silent.get().get("allocations")).as("the silent worker's GPU is released").isEmpty();

        // another worker waiting for work gets it once the back-off has passed
        Api.Response leased = other.lease(10, 1);
        assertThat(leased.status()).isEqualTo(200);
        JsonNode again = leased.json().get("runs").get(0);
        assertThat(again.get("runId").longValue()).isEqualTo(id);
        assertThat(again.get("attempt").intValue()).isEqualTo(2);

        // the silent worker wakes up: every write it makes for attempt 1 is refused
        JsonNode problem = assertProblem(silent.report(id, 1, "SUCCEEDED"), 409);
        assertThat(problem.get("detail").stringValue()).contains("no longer holds run " + id, "attempt 1",
                "attempt 2");
        assertProblem(silent.report(id, 1, "RUNNING"), 409);
        assertProblem(silent.report(id, 1, "FAILED"), 409);
        JsonNode beat = silent.heartbeat(id, 1).json();
        assertThat(beat.get("renewed")).isEmpty();
        assertThat(beat.get("stop").get(0).get("reason").stringValue()).isEqualTo("LEASE_LOST");
        assertThatThrownBy(() -> leaseGuard.check(id, silent.id(), 1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(409));
        // nor can it pretend to hold the new attempt
        assertThat(assertProblem(silent.report(id, 2, "SUCCEEDED"), 409).get("detail").stringValue())
                .contains("never held");

        // the new holder's writes go through
        leaseGuard.check(id, other.id(), 2);
        JsonNode renewed = other.heartbeat(id, 2).json();
        assertThat(renewed.get("renewed").get(0).get("attempt").intValue()).isEqualTo(2);
        assertThat(renewed.get("stop")).isEmpty();
        Api.Response done = other.report(id, 2, "SUCCEEDED");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().get("status").stringValue()).isEqualTo("SUCCEEDED");
        JsonNode finished = run(project, alice, id);
        assertThat(finished.get("status").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("attempts")).extracting(a -> a.get("outcome").stringValue())
                .containsExactly("LOST", "SUCCEEDED");
        assertThat(finished.get("finishedAt").isNull()).isFalse();
        // the attempt row is final: a late report does not reopen it
        assertProblem(silent.report(id, 1, "SUCCEEDED"), 409);
    }

    @Test
    void theBackoffDoublesAndTheLastAllowedAttemptFailsTheRunWithAReason() {
        Worker w = register(fleet, "flaky", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 3));
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<JsonNode> got = w.leaseNow(1);
            assertThat(got).as("attempt " + attempt).hasSize(1);
            assertThat(got.getFirst().get("attempt").intValue()).isEqualTo(attempt);
            expireLease(id);
            int n = attempt;
            await("the rescuer to take back attempt " + n, 10, () -> !status(id).equals("RUNNING"));
            if (attempt < 3) {
                assertThat(status(id)).isEqualTo("QUEUED");
                assertThat(Duration.between(attemptEnded(id, attempt), notBefore(id)))
                        .isEqualTo(Duration.ofSeconds(1L << (attempt - 1)));
                // a back-off of 1 s may be over before this lease request on a loaded machine: the claim's check of
                // not_before is the same for a later one
                jdbc.sql("UPDATE runs SET not_before = :t WHERE id = :id")
                        .param("t", Sql.ts(dev.trainyard.platform.web.Times.now().plusSeconds(60)))
                        .param("id", id).update();
                assertThat(w.leaseNow(1)).as("not before the back-off ends").isEmpty();
                endBackoff(id);
            }
        }
        JsonNode run = run(project, alice, id);
        assertThat(run.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(run.get("finishedAt").isNull()).isFalse();
        assertThat(run.get("attempts")).hasSize(3);
        assertThat(run.get("attempts").get(2).get("reason").stringValue())
                .contains("lease expired", "attempt 3 of 3, so the run failed");
    }

    @Test
    void anApiRetryStartsANewRoundOfAttempts() {
        Worker w = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, runBody()); // maxAttempts 1
        w.leaseNow(1);
        expireLease(id);
        await("the run to fail", 10, () -> status(id).equals("FAILED"));

        Api.Response retried = api.post("/api/v1/projects/" + project + "/runs/" + id + "/retry", alice.token(), null);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        List<JsonNode> got = w.leaseNow(1);
        assertThat(got.getFirst().get("attempt").intValue()).isEqualTo(2);
        // attempt 2 is the first of the new round: losing it fails the run again (maxAttempts 1), not earlier
        expireLease(id);
        await("the run to fail again", 10, () -> status(id).equals("FAILED"));
        assertThat(run(project, alice, id).get("attempts").get(1).get("reason").stringValue())
                .contains("attempt 1 of 1");
    }

    @Test
    void aFailureTheWorkerReportsIsRetriedWhileAttemptsAreLeftUnlessNotRetryable() {
        Worker w = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 2));
        w.leaseNow(1);
        Api.Response failed = w.report(id, 1, "FAILED", Map.of("message", "CUDA out of memory"));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.json().get("status").stringValue()).isEqualTo("QUEUED");
        assertThat(failed.json().get("notBefore").isNull()).isFalse();
        assertThat(w.report(id, 1, "FAILED").status()).as("a repeated report").isEqualTo(200);
        endBackoff(id);
        assertThat(w.leaseNow(1).getFirst().get("attempt").intValue()).isEqualTo(2);
        Api.Response last = w.report(id, 2, "FAILED", Map.of("message", "CUDA out of memory"));
        assertThat(last.json().get("status").stringValue()).isEqualTo("FAILED");
        JsonNode run = run(project, alice, id);
        assertThat(run.get("attempts")).extracting(a -> a.get("outcome").stringValue())
                .containsExactly("FAILED", "FAILED");
        assertThat(run.get("attempts").get(1).get("reason").stringValue())
                .contains("CUDA out of memory", "attempt 2 of 2, so the run failed");

        long other = submit(project, alice, with(runBody(), "maxAttempts", 5));
        w.leaseNow(1);
        Api.Response fatal = w.report(other, 1, "FAILED", Map.of("message", "invalid spec", "retryable", false));
        assertThat(fatal.json().get("status").stringValue()).isEqualTo("FAILED");
    }

    @Test
    void deregisteringRequeuesWhatTheWorkerHeldAtOnce() {
        Worker leaving = register(fleet, "leaving", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 2));
        leaving.leaseNow(1);
        assertThat(api.delete("/api/v1/workers/" + leaving.id(), fleet).status()).isEqualTo(204);
        assertThat(status(id)).isEqualTo("QUEUED");
        assertThat(run(project, alice, id).get("attempts").get(0).get("reason").stringValue())
                .contains("deregistered");
        assertThat(api.delete("/api/v1/workers/" + leaving.id(), fleet).status()).as("twice is harmless")
                .isEqualTo(204);
        JsonNode gone = assertProblem(leaving.lease(0, 1), 410);
        assertThat(gone.get("detail").stringValue()).contains("register again");
        assertProblem(leaving.heartbeat(id, 1), 410);
        assertProblem(leaving.report(id, 1, "SUCCEEDED"), 410);
        assertThat(leaving.get().get("status").stringValue()).isEqualTo("DEREGISTERED");
    }

    @Test
    void aSilentWorkerIsMarkedOfflineAndItsNextCallMakesItActive() {
        Worker w = register(fleet, "quiet", 8, 0, Map.of());
        jdbc.sql("UPDATE workers SET last_seen_at = :t WHERE id = :id")
                .param("t", Sql.ts(dev.trainyard.platform.web.Times.now().minusSeconds(120))).param("id", w.id())
                .update();
        await("the rescuer to mark the worker OFFLINE", 10,
                () -> jdbc.sql("SELECT status FROM workers WHERE id = :id").param("id", w.id()).query(String.class)
                        .single().equals("OFFLINE"));
        assertThat(w.heartbeat().status()).isEqualTo(200);
        assertThat(w.get().get("status").stringValue()).isEqualTo("ACTIVE");
    }

    @Test
    void theRescuerIsSafeToRunFromSeveralPlacesAtOnce() throws Exception {
        Worker w = register(fleet, "w", 256, 0, Map.of());
        for (int i = 0; i < 60; i++) {
            submit(project, alice, with(runBody(), "maxAttempts", 2));
        }
        List<JsonNode> leased = w.leaseNow(16);
        leased = new java.util.ArrayList<>(leased);
        while (leased.size() < 60) {
            leased.addAll(w.leaseNow(16));
        }
        jdbc.sql("UPDATE runs SET lease_expires_at = :t WHERE worker_id = :w")
                .param("t", Sql.ts(dev.trainyard.platform.web.Times.now().minusSeconds(1))).param("w", w.id())
                .update();
        Rescuer rescuer = applicationRescuer;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
        for (int i = 0; i < 4; i++) {
            results.add(pool.submit(rescuer::rescue));
        }
        int total = 0;
        for (var f : results) {
            total += f.get();
        }
        pool.shutdown();
        await("every run re-queued", 10, () -> jdbc.sql("SELECT count(*) FROM runs WHERE project_id = :p"
                + " AND status = 'QUEUED'").param("p", project).query(Long.class).single() == 60);
        assertThat(total).as("runs taken back by these four passes (the scheduled pass may take some)")
                .isLessThanOrEqualTo(60);
        assertThat(jdbc.sql("SELECT count(*) FROM run_attempts a JOIN runs r ON r.id = a.run_id"
                        + " WHERE r.project_id = :p AND a.outcome = 'LOST'").param("p", project)
                .query(Long.class).single()).as("each lost attempt recorded once").isEqualTo(60);
        assertThat(jdbc.sql("SELECT count(*) FROM runs WHERE project_id = :p AND version <> 2")
                .param("p", project).query(Long.class).single()).as("each run moved once (claim + rescue)")
                .isZero();
    }

    @Autowired
    Rescuer applicationRescuer;
}
