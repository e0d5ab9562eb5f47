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
        int before = hub.openStreams();
        SseStream stream = SseStream.open(api, runPath + "/events", alice.token());
        stream.next(WAIT);
        assertThat(hub.openStreams()).isEqualTo(before + 1);
        stream.close();
        // the server notices when it next writes: metrics events, or the heartbeat
        long deadline = System.nanoTime() + WAIT.toNanos();
        int i = 0;
        while (hub.openStreams() > before && System.nanoTime() < deadline) {
            postMetrics(run, i * 10, 10);
            i++;
            Thread.sleep(300);
        }
        assertThat(hub.openStreams()).isEqualTo(before);
    }
}
