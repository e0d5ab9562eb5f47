package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.events.SseStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scheduler's status changes reach the run's event stream (SSE, read over HTTP): claims, the worker's reports,
 * a retry after a reported failure, the rescuer's re-queue and a deregistration's.
 */
class SchedulerStatusEventsTest extends SchedulingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestUser alice;
    private long project;
    private String fleet;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        fleet = workerToken();
    }

    private SseStream events(long runId) {
        SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/runs/" + runId + "/events",
                alice.token());
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.next(WAIT).name()).isEqualTo("snapshot");
        return stream;
    }

    /** The next status event, asserted to be the change {@code from} to {@code to} at {@code attempt}. */
    private static void expectStatus(SseStream stream, long runId, String from, String to, int attempt) {
        JsonNode e = stream.await(WAIT, ev -> ev.name().equals("status")).json();
        assertThat(e.get("runId").longValue()).isEqualTo(runId);
        assertThat(e.get("from").stringValue() + " -> " + e.get("to").stringValue()).isEqualTo(from + " -> " + to);
        assertThat(e.get("attempt").intValue()).isEqualTo(attempt);
    }

    @Test
    void claimsReportsAndARetryAfterAFailureAreStreamed() {
        Worker worker = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 2));
        try (SseStream stream = events(id)) {
            assertThat(worker.leaseNow(1)).hasSize(1);
            expectStatus(stream, id, "QUEUED", "RUNNING", 1);
            assertThat(worker.report(id, 1, "FAILED").status()).isEqualTo(200);
            expectStatus(stream, id, "RUNNING", "QUEUED", 1);
            assertThat(worker.lease(10, 1).json().get("runs").get(0).get("attempt").intValue()).isEqualTo(2);
            expectStatus(stream, id, "QUEUED", "RUNNING", 2);
            assertThat(worker.report(id, 2, "SUCCEEDED").status()).isEqualTo(200);
            expectStatus(stream, id, "RUNNING", "SUCCEEDED", 2);
        }
        long cancelled = submit(project, alice, runBody());
        try (SseStream stream = events(cancelled)) {
            worker.leaseNow(1);
            expectStatus(stream, cancelled, "QUEUED", "RUNNING", 1);
            assertThat(worker.report(cancelled, 1, "CANCELLED").status()).isEqualTo(200);
            expectStatus(stream, cancelled, "RUNNING", "CANCELLED", 1);
        }
    }

    @Test
    void aNonRetryableFailureFailsTheRun() {
        Worker worker = register(fleet, "w", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 3));
        try (SseStream stream = events(id)) {
            worker.leaseNow(1);
            expectStatus(stream, id, "QUEUED", "RUNNING", 1);
            assertThat(worker.report(id, 1, "FAILED", Map.of("retryable", false)).status()).isEqualTo(200);
            expectStatus(stream, id, "RUNNING", "FAILED", 1);
        }
    }

    @Test
    void theRescuersRequeueIsStreamed() {
        Worker silent = register(fleet, "silent", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 2));
        try (SseStream stream = events(id)) {
            silent.leaseNow(1);
            expectStatus(stream, id, "QUEUED", "RUNNING", 1);
            expireLease(id);
            expectStatus(stream, id, "RUNNING", "QUEUED", 1);
        }
    }

    @Test
    void aDeregistrationsRequeueIsStreamed() {
        Worker leaving = register(fleet, "leaving", 8, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 2));
        try (SseStream stream = events(id)) {
            leaving.leaseNow(1);
            expectStatus(stream, id, "QUEUED", "RUNNING", 1);
            assertThat(api.delete("/api/v1/workers/" + leaving.id(), fleet).status()).isEqualTo(204);
            expectStatus(stream, id, "RUNNING", "QUEUED", 1);
        }
    }
}
