package dev.trainyard.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The SSE streams, read by a real HTTP client: what they send, coalescing, and who may open them. */
class EventStreamTest extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private RunEventHub hub;

    private TestUser alice;
    private long project;
    private long experiment;
    private long run;
    private String runPath;

    @BeforeEach
    void run() {
        alice = newUser("alice");
        project = newProject(alice);
        experiment = api.post("/api/v1/projects/" + project + "/experiments", alice.token(), Map.of("name", "e"))
                .json().get("id").longValue();
        run = submitRun(project, alice, with(runBody(), "experimentId", experiment)).get("id").longValue();
        runPath = "/api/v1/projects/" + project + "/runs/" + run;
    }

    private void postMetrics(long runId, int fromStep, int count) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int s = fromStep; s < fromStep + count; s++) {
            points.add(Map.of("key", "loss", "step", s, "value", 1.0 / (s + 1)));
            points.add(Map.of("key", "acc", "step", s, "value", s / 1000.0));
        }
        Api.Response r = api.post("/api/v1/projects/" + project + "/runs/" + runId + "/metrics", alice.token(),
                Map.of("points", points));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void aRunStreamStartsWithASnapshotThenSendsStatusMetricsAndLogs() {
        postMetrics(run, 0, 10);
        try (SseStream stream = SseStream.open(api, runPath + "/events", alice.token())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            SseStream.Event snapshot = stream.next(WAIT);
            assertThat(snapshot.name()).isEqualTo("snapshot");
            JsonNode s = snapshot.json();
            assertThat(s.get("run").get("status").stringValue()).isEqualTo("QUEUED");
            assertThat(s.get("metrics").get("loss").get("step").longValue()).isEqualTo(9);
            assertThat(s.get("logs").get("lastSeq").isNull()).isTrue();

            postMetrics(run, 10, 5);
            JsonNode metrics = stream.await(WAIT, e -> e.name().equals("metrics")).json();
            assertThat(metrics.get("runId").longValue()).isEqualTo(run);
            assertThat(metrics.get("points").intValue()).isEqualTo(10);
            assertThat(metrics.get("keys").get("loss").get("step").longValue()).isEqualTo(14);
            assertThat(metrics.get("keys").get("acc").get("last").doubleValue()).isEqualTo(0.014);

            api.post(runPath + "/logs", alice.token(), Map.of("lines", List.of(Map.of("seq", 1, "text", "hello"))));
            JsonNode logs = stream.await(WAIT, e -> e.name().equals("logs")).json();
            assertThat(logs.get("lines").get(0).get("text").stringValue()).isEqualTo("hello");

            api.post(runPath + "/cancel", alice.token(), null);
            JsonNode status = stream.await(WAIT, e -> e.name().equals("status")).json();
            assertThat(status.get("runId").longValue()).isEqualTo(run);
            assertThat(status.get("from").stringValue()).isEqualTo("QUEUED");
            assertThat(status.get("to").stringValue()).isEqualTo("CANCELLED");
            assertThat(status.get("experimentId").longValue()).isEqualTo(experiment);

            api.post(runPath + "/retry", alice.token(), null);
            status = stream.await(WAIT, e -> e.name().equals("status")).json();
            assertThat(status.get("to").stringValue()).isEqualTo("QUEUED");
        }
    }

    @Test
    void manyBatchesMakeFewMetricEvents() throws Exception {
        try (SseStream stream = SseStream.open(api, runPath + "/events", alice.token())) {
            stream.next(WAIT); // snapshot
            for (int i = 0; i < 20; i++) {
                postMetrics(run, i * 50, 50);
            }
            // every point is accounted for, in fewer events than batches (the flush interval is 250 ms)
            int points = 0;
            int events = 0;
            long lastStep = -1;
            while (points < 2_000) {
                JsonNode m = stream.await(WAIT, e -> e.name().equals("metrics")).json();
                points += m.get("points").intValue();
                lastStep = m.get("keys").get("loss").get("step").longValue();
                events++;
            }
            assertThat(points).isEqualTo(2_000);
            assertThat(lastStep).isEqualTo(999);
            assertThat(events).isLessThan(20);
            // a retried batch adds nothing, so it makes no event
            postMetrics(run, 0, 50);
            Thread.sleep(600);
            assertThat(stream.drain()).noneMatch(e -> e.name().equals("metrics"));
        }
    }

    @Test
    void anExperimentStreamCarriesItsRunsAndNewOnes() {
        try (SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/experiments/" + experiment
                + "/events", alice.token())) {
            JsonNode snapshot = stream.next(WAIT).json();
            assertThat(snapshot.get("runs")).extracting(r -> r.get("id").longValue()).containsExactly(run);

            long second = submitRun(project, alice, with(runBody(), "experimentId", experiment)).get("id").longValue();
            JsonNode created = stream.await(WAIT, e -> e.name().equals("status")).json();
            assertThat(created.get("runId").longValue()).isEqualTo(second);
            assertThat(created.get("from").isNull()).isTrue();
            assertThat(created.get("to").stringValue()).isEqualTo("QUEUED");

            postMetrics(second, 0, 3);
            JsonNode metrics = stream.await(WAIT, e -> e.name().equals("metrics")).json();
            assertThat(metrics.get("runId").longValue()).isEqualTo(second);

            api.post("/api/v1/projects/" + project + "/runs/" + second + "/logs", alice.token(),
                    Map.of("lines", List.of(Map.of("seq", 1, "text", "a"), Map.of("seq", 2, "text", "b"))));
            JsonNode logs = stream.await(WAIT, e -> e.name().equals("logs")).json();
            assertThat(logs.get("count").intValue()).isEqualTo(2);
            assertThat(logs.get("lastSeq").longValue()).isEqualTo(2);
            assertThat(logs.has("lines")).isTrue();
            assertThat(logs.get("lines").isNull()).isTrue(); // experiment streams carry no lines

            // a run outside the experiment is not on its stream
            long outside = submitRun(project, alice, runBody()).get("id").longValue();
            postMetrics(outside, 0, 3);
            api.post("/api/v1/projects/" + project + "/runs/" + second + "/cancel", alice.token(), null);
            JsonNode next = stream.await(WAIT, e -> e.name().equals("status") || e.name().equals("metrics")).json();
            assertThat(next.get("runId").longValue()).isEqualTo(second);
        }
    }

    @Test
    void aProjectStreamCarriesTheRunsOfEveryExperimentToACookieSession() {
        long otherExperiment = api.post("/api/v1/projects/" + project + "/experiments", alice.token(),
                Map.of("name", "other")).json().get("id").longValue();
        long second = submitRun(project, alice, with(runBody(), "experimentId", otherExperiment)).get("id").longValue();
        long unfiled = submitRun(project, alice, runBody()).get("id").longValue();
        long otherProject = newProject(alice);
        long elsewhere = submitRun(otherProject, alice, runBody()).get("id").longValue();
        // a browser: the session cookie, no bearer token
        Api.Response signedIn = api.post("/api/v1/session", null, Map.of("token", alice.token()));
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        Map<String, String> cookie = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));

        try (SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/events", cookie)) {
            assertThat(stream.status()).isEqualTo(200);
            JsonNode snapshot = stream.next(WAIT).json();
            assertThat(snapshot.get("projectId").longValue()).isEqualTo(project);
            assertThat(snapshot.get("runs")).extracting(r -> r.get("id").longValue())
                    .containsExactly(unfiled, second, run);
            assertThat(snapshot.get("runs").get(1).get("experimentId").longValue()).isEqualTo(otherExperiment);
            assertThat(snapshot.get("truncated").booleanValue()).isFalse();

            // a status change in one experiment, a metric point in the other, and a run in none
            api.post(runPath + "/cancel", alice.token(), null);
            JsonNode status = stream.await(WAIT, e -> e.name().equals("status")).json();
            assertThat(status.get("runId").longValue()).isEqualTo(run);
            assertThat(status.get("experimentId").longValue()).isEqualTo(experiment);
            assertThat(status.get("from").stringValue()).isEqualTo("QUEUED");
            assertThat(status.get("to").stringValue()).isEqualTo("CANCELLED");

            postMetrics(second, 0, 3);
            JsonNode metrics = stream.await(WAIT, e -> e.name().equals("metrics")).json();
            assertThat(metrics.get("runId").longValue()).isEqualTo(second);
            assertThat(metrics.get("points").intValue()).isEqualTo(6);
            assertThat(metrics.get("keys").get("loss").get("step").longValue()).isEqualTo(2);
            assertThat(metrics.get("keys").get("loss").get("last").doubleValue()).isEqualTo(1.0 / 3);

            // another project's run is not on this stream; a new run of this one is
            Api.Response stored = api.post("/api/v1/projects/" + otherProject + "/runs/" + elsewhere + "/metrics",
                    alice.token(), Map.of("points", List.of(Map.of("key", "loss", "step", 0, "value", 1.0))));
            assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
            long third = submitRun(project, alice, runBody()).get("id").longValue();
            JsonNode next = stream.await(WAIT, e -> e.name().equals("status") || e.name().equals("metrics")).json();
            assertThat(next.get("runId").longValue()).isEqualTo(third);
            assertThat(next.get("from").isNull()).isTrue();
            api.post("/api/v1/projects/" + project + "/runs/" + unfiled + "/cancel", alice.token(), null);
            assertThat(stream.await(WAIT, e -> e.name().equals("status")).json().get("runId").longValue())
                    .isEqualTo(unfiled);
        }
    }

    @Test
    void aProjectStreamIsRefusedToWhoeverHasNoRoleInIt() {
        String path = "/api/v1/projects/" + project + "/events";
        assertProblem(api.get(path, null), 401);
        TestUser outsider = newUser("outsider");
        try (SseStream stream = SseStream.open(api, path, outsider.token())) {
            assertThat(stream.status()).isEqualTo(404);
            assertProblem(stream.error(), 404);
        }
        try (SseStream stream = SseStream.open(api, "/api/v1/projects/999999999/events", alice.token())) {
            assertProblem(stream.error(), 404);
        }
        TestUser viewer = newUser("viewer");
        addMember(project, alice, viewer, "viewer");
        try (SseStream stream = SseStream.open(api, path, viewer.token())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next(WAIT).json().get("runs")).hasSize(1);
        }
    }

    @Test
    void streamsAreAuthenticatedAndRoleChecked() {
        Api.Response anonymous = api.get(runPath + "/events", null);
        assertProblem(anonymous, 401);

        TestUser outsider = newUser("outsider");
        try (SseStream stream = SseStream.open(api, runPath + "/events", outsider.token())) {
            assertThat(stream.status()).isEqualTo(404);
            assertProblem(stream.error(), 404);
        }
        try (SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/experiments/" + experiment
                + "/events", outsider.token())) {
            assertProblem(stream.error(), 404);
        }
        try (SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/runs/999999999/events",
                alice.token())) {
            assertProblem(stream.error(), 404);
        }
        try (SseStream stream = SseStream.open(api, "/api/v1/projects/" + project + "/experiments/999999999/events",
                alice.token())) {
            assertProblem(stream.error(), 404);
        }

        TestUser viewer = newUser("viewer");
        addMember(project, alice, viewer, "viewer");
        try (SseStream stream = SseStream.open(api, runPath + "/events", viewer.token())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next(WAIT).name()).isEqualTo("snapshot");
        }
    }

    @Test
    void aClosedStreamIsForgotten() throws Exception {
        // this test's project and run have no other stream; the hub's total also counts other tests' streams, which
        // close on their own schedule
        assertThat(hub.hasStreams(project, run, experiment)).isFalse();
        SseStream stream = SseStream.open(api, runPath + "/events", alice.token());
        stream.next(WAIT);
        assertThat(hub.hasStreams(project, run, experiment)).isTrue();
        stream.close();
        // the server notices when it next writes: metrics events, or the heartbeat
        long deadline = System.nanoTime() + WAIT.toNanos();
        int i = 0;
        while (hub.hasStreams(project, run, experiment) && System.nanoTime() < deadline) {
            postMetrics(run, i * 10, 10);
            i++;
            Thread.sleep(300);
        }
        assertThat(hub.hasStreams(project, run, experiment)).isFalse();
    }
}
