package dev.trainyard.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.events.OpenStreams;
import dev.trainyard.platform.events.RunEventHub;
import dev.trainyard.platform.events.SseStream;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * /actuator/prometheus as an operator's Prometheus reads it, while a GPU run is queued, leased, streams metrics and
 * uploads a checkpoint over the real API: every meter the chart's dashboard and KEDA use is there and moves.
 */
class PrometheusMetricsTest extends IntegrationTest {

    /** A priority no other test uses: this test's queue-depth series is its own. */
    private static final int PRIORITY = 733;

    @Autowired
    PlatformGauges gauges;

    @Autowired
    RunEventHub hub;

    private String adminToken;

    @BeforeEach
    void admin() throws Exception {
        adminToken = Files.readString(BOOTSTRAP_TOKEN_FILE).strip();
    }

    @Test
    void theMetricsMoveAsARunIsQueuedLeasedTrainedAndCheckpointed() throws Exception {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        // what the previous test class left moments ago (a GPU run nobody can lease): the gauges must count it in
        // the baseline, not only at the next refresh, or it would look like one of this test's runs
        submitRun(project, alice, with(runBody(), "resources", Map.of("cpus", 1, "gpus", 1, "memoryMb", 512,
                "labels", Map.of("gpu", "no-such-model"))));
        gauges.refresh(); // the gauges read the database every 5 s: the baseline is what it holds now
        OpenStreams.endAll(hub); // earlier tests' closed streams, which would otherwise leave the count at any moment
        PrometheusScrape before = scrape();
        // (the queue depth has a series per priority and resource class with queued runs: none yet)
        for (String name : List.of("trainyard_runs", "trainyard_scheduler_leases_total",
                "trainyard_scheduler_lease_latency_seconds_count", "trainyard_metrics_points_ingested_total",
                "trainyard_events_streams_open", "trainyard_artifacts_stored_bytes", "trainyard_workers",
                "trainyard_workers_heartbeat_age_seconds")) {
            assertThat(before.samples()).as(name).anyMatch(s -> s.name().equals(name));
        }

        // queued: the queue depth of its priority and resource class, and the runs by status
        Map<String, Object> body = with(with(runBody(), "priority", PRIORITY),
                "resources", Map.of("cpus", 1, "gpus", 1, "memoryMb", 512));
        long run = submitRun(project, alice, body).get("id").longValue();
        gauges.refresh();
        PrometheusScrape queued = scrape();
        assertThat(queued.value("trainyard_queue_depth", "priority", "" + PRIORITY, "resource_class", "gpu")).isEqualTo(1);
        assertThat(queued.has("trainyard_queue_depth", "priority", "" + PRIORITY, "resource_class", "cpu")).isFalse();
        assertThat(queued.value("trainyard_runs", "status", "QUEUED", "resource_class", "gpu"))
                .isEqualTo(before.value("trainyard_runs", "status", "QUEUED", "resource_class", "gpu") + 1);

        // leased by a worker with a GPU
        String workerToken = api.post("/api/v1/worker-tokens", adminToken, Map.of("name", "metrics-fleet")).json()
                .get("token").stringValue();
        Api.Response registered = api.post("/api/v1/workers", workerToken, Map.of("name", "gpu-box", "labels", Map.of(),
                "devices", Map.of("cpus", 4, "memoryMb", 8192, "gpus", List.of(Map.of("model", "T4", "memoryMb", 16384)))));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String worker = registered.json().get("id").stringValue();
        JsonNode lease = api.post("/api/v1/workers/" + worker + "/lease", workerToken, Map.of("waitSeconds", 0, "maxRuns", 1))
                .json();
        assertThat(lease.get("runs").get(0).get("runId").longValue()).isEqualTo(run);
        gauges.refresh();
        PrometheusScrape leased = scrape();
        assertThat(leased.has("trainyard_queue_depth", "priority", "" + PRIORITY)).as("the row left with its last run").isFalse();
        assertThat(leased.value("trainyard_runs", "status", "RUNNING", "resource_class", "gpu"))
                .isEqualTo(before.value("trainyard_runs", "status", "RUNNING", "resource_class", "gpu") + 1);
        assertThat(leased.value("trainyard_scheduler_leases_total")).isEqualTo(before.value("trainyard_scheduler_leases_total") + 1);
        assertThat(leased.value("trainyard_scheduler_lease_latency_seconds_count"))
                .isEqualTo(before.value("trainyard_scheduler_lease_latency_seconds_count") + 1);
        assertThat(leased.value("trainyard_scheduler_lease_latency_seconds_sum"))
                .isGreaterThan(before.value("trainyard_scheduler_lease_latency_seconds_sum"));
        assertThat(leased.sum("trainyard_scheduler_lease_latency_seconds_bucket")).as("a histogram for quantiles")
                .isGreaterThan(0);
        assertThat(leased.value("trainyard_workers", "status", "ACTIVE")).isGreaterThanOrEqualTo(1);
        assertThat(leased.value("trainyard_workers_heartbeat_age_seconds")).isBetween(0.0, 120.0);

        // a watcher on the run's events, and metric points from the worker: ingested once, a retry adds nothing
        try (SseStream events = SseStream.open(api, "/api/v1/projects/" + project + "/runs/" + run + "/events", alice.token())) {
            events.await(Duration.ofSeconds(10), e -> e.name().equals("snapshot"));
            assertThat(scrape().value("trainyard_events_streams_open"))
                    .isEqualTo(before.value("trainyard_events_streams_open") + 1);
            Map<String, Object> points = Map.of("points", List.of(
                    Map.of("key", "train/loss", "step", 1, "value", 2.3), Map.of("key", "train/loss", "step", 2, "value", 1.9),
                    Map.of("key", "train/lr", "step", 2, "value", 0.001)));
            for (int send = 0; send < 2; send++) {
                Api.Response r = api.send("POST", "/api/v1/workers/" + worker + "/runs/" + run + "/metrics", workerToken,
                        Map.of("X-Run-Attempt", "1"), points);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
            assertThat(scrape().value("trainyard_metrics_points_ingested_total"))
                    .isEqualTo(before.value("trainyard_metrics_points_ingested_total") + 3);
        }

        // a checkpoint: the stored bytes grow by its size
        byte[] checkpoint = new byte[12_345];
        new Random(7).nextBytes(checkpoint);
        HttpRequest upload = HttpRequest.newBuilder(api.uri("/api/v1/workers/" + worker + "/runs/" + run + "/checkpoints?step=2"))
                .header("Authorization", "Bearer " + workerToken).header("X-Run-Attempt", "1")
                .header("Content-Type", "application/octet-stream")
                .header("X-Checkpoint-Sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(checkpoint)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(checkpoint)).build();
        Api.Response uploaded = api.send(upload);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        gauges.refresh();
        assertThat(scrape().value("trainyard_artifacts_stored_bytes", "kind", "checkpoint"))
                .isEqualTo(before.value("trainyard_artifacts_stored_bytes", "kind", "checkpoint") + checkpoint.length);

        // the server notices a closed stream when it next writes to it (at most the 15 s keep-alive later)
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (scrape().value("trainyard_events_streams_open") > before.value("trainyard_events_streams_open")
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(scrape().value("trainyard_events_streams_open"))
                .isEqualTo(before.value("trainyard_events_streams_open"));
    }

    private PrometheusScrape scrape() {
        Api.Response r = api.get("/actuator/prometheus", adminToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return PrometheusScrape.parse(r.body());
    }
}
