package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The whole system as a CI pipeline drives it over HTTP: the real platform-api on PostgreSQL and two real worker
 * processes training Fashion-MNIST subsets. The scenarios share the processes and run in order; one that interrupts
 * a worker starts it again before it ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeSystemTest {
    private static final String A = "worker-a";
    private static final String B = "worker-b";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private Cluster cluster;
    private Runs runs;
    private final Map<String, String> workerIds = new LinkedHashMap<>();

    /** Whatever failed, the tails of the processes' logs go with it. */
    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.err.println("[" + context.getDisplayName() + " failed] the processes' logs:\n" + cluster.describeAll());
            }
        }
    };

    /** Workers started but not yet seen registered: each scenario begins with both workers registered. */
    private final Map<String, Instant> launching = new LinkedHashMap<>();

    @BeforeAll
    void startTheSystem() {
        cluster = new Cluster().start();
        for (String name : List.of(A, B)) {
            launching.put(name, cluster.launchWorker(name));
        }
        runs = new Runs(cluster);
    }

    @BeforeEach
    void bothWorkersAreRegistered() {
        launching.forEach((name, launched) -> workerIds.put(name, cluster.awaitWorker(name, launched)));
        launching.clear();
    }

    @AfterAll
    void stopTheSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void fourRunsTrainAreComparedAndTheirCheckpointEvaluatesToTheReportedAccuracy() throws IOException {
        Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
        specs.put("adam-1e-3", Specs.quick(2000, 1, Specs.adam(0.001), List.of(256), 1));
        specs.put("adam-3e-3", Specs.quick(2000, 2, Specs.adam(0.003), List.of(256), 2));
        specs.put("sgd-5e-2", Specs.quick(2000, 1, Specs.sgd(0.05), List.of(128), 3));
        specs.put("adam-narrow", Specs.quick(2000, 2, Specs.adam(0.002), List.of(64), 4));
        Map<Long, Map<String, Object>> submitted = new LinkedHashMap<>();
        specs.forEach((name, spec) -> submitted.put(runs.submit(name, spec), spec));

        Set<String> workersUsed = new HashSet<>();
        Map<Long, Double> accuracy = new LinkedHashMap<>();
        for (var e : submitted.entrySet()) {
            long id = e.getKey();
            JsonNode run = runs.awaitStatus(id, RUN_TIMEOUT, "SUCCEEDED");
            assertEquals(1, run.get("attempt").asInt(), () -> "attempts of run " + id + "\n" + cluster.describe(id));
            workersUsed.add(run.get("attempts").get(0).get("workerId").asText());
            int steps = Specs.steps(e.getValue());
            int epochs = (Integer) e.getValue().get("epochs");
            assertEquals(Runs.oneTo(steps), runs.steps(id, "train/loss"), () -> "train/loss of run " + id
                    + " must hold every step 1.." + steps + " exactly once\n" + cluster.describe(id));
            assertEquals(epochs, runs.steps(id, "test/accuracy").size(), () -> "one test/accuracy per epoch\n" + cluster.describe(id));
            JsonNode testAccuracy = runs.summaries(id).get("test/accuracy");
            assertEquals(steps, testAccuracy.get("step").asLong(), "the last evaluation is at the last step");
            accuracy.put(id, testAccuracy.get("last").asDouble());
            assertTrue(accuracy.get(id) > 0.5 && accuracy.get(id) <= 1.0, () -> "run " + id + " learnt nothing: test/accuracy "
                    + accuracy.get(id));
        }
        assertEquals(Set.copyOf(workerIds.values()), workersUsed, "both workers trained some of the four runs");

        // compare: the summaries of all four at once, and the run list sorted by the metric
        String ids = String.join(",", submitted.keySet().stream().map(String::valueOf).toList());
        JsonNode compared = cluster.api().getJson(cluster.projectPath("/metrics/summaries?runs=" + ids + "&keys=test/accuracy"));
        Map<Long, Double> comparedAccuracy = new LinkedHashMap<>();
        for (JsonNode r : compared.get("items")) {
            comparedAccuracy.put(r.get("runId").asLong(), r.get("metrics").get("test/accuracy").get("last").asDouble());
        }
        assertEquals(accuracy, comparedAccuracy);
        JsonNode sorted = cluster.api().getJson(cluster.projectPath("/runs?tag=system-test&status=SUCCEEDED&experimentId="
                + cluster.experimentId() + "&sort=metric.test/accuracy,desc&limit=10"));
        List<Double> order = new ArrayList<>();
        sorted.get("items").forEach(r -> order.add(r.get("metrics").get("test/accuracy").get("last").asDouble()));
        List<Double> expected = accuracy.values().stream().sorted(java.util.Comparator.reverseOrder()).toList();
        assertEquals(expected, order, "runs sorted by test/accuracy, best first");

        // the best run's last checkpoint: the bytes match their digest, and the engine evaluates it to the reported accuracy
        long best = accuracy.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        JsonNode latest = cluster.api().getJson(cluster.runPath(best, "/checkpoints/latest"));
        assertEquals(Specs.steps(submitted.get(best)), latest.get("step").asLong(), "the latest checkpoint is the final one");
        Api.Response download = cluster.api().get(cluster.runPath(best, "/checkpoints/latest/content"));
        assertEquals(200, download.status(), download::text);
        String sha256 = sha256(download.body());
        assertEquals(latest.get("sha256").asText(), sha256, "sha256 of the downloaded bytes");
        assertEquals(latest.get("sizeBytes").asLong(), download.body().length);
        Path file = Files.createTempFile("best-", ".ckpt");
        try {
            Files.write(file, download.body());
            double evaluated = CheckpointEvaluation.testAccuracy(file, cluster.dataRoot());
            assertEquals(accuracy.get(best), evaluated, 1e-6, "test accuracy of the downloaded checkpoint, evaluated here");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(2)
    void anInvalidSpecIsRefusedWithA400NamingTheField() {
        Map<String, Object> spec = Specs.quick(2000, 1, Specs.adam(0.001), List.of(256), 0);
        spec.put("epochs", 0);
        spec.put("optimizer", Map.of("type", "adam", "lr", -0.001));
        Api.Response r = cluster.api().post(cluster.projectPath("/runs"), Map.of("name", "invalid", "spec", spec));
        assertEquals(400, r.status(), r::text);
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> pointers = new ArrayList<>();
        r.json().get("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertEquals(Set.of("/spec/epochs", "/spec/optimizer/lr"), Set.copyOf(pointers), r::text);
        JsonNode queued = cluster.api().getJson(cluster.projectPath("/runs?tag=system-test&status=QUEUED"));
        assertEquals(0, queued.get("items").size(), "nothing was queued");
    }

    @Test
    @Order(3)
    void aDivergingRunFailsWithTheNaNReason() {
        long id = runs.submit("diverging", Specs.quick(2000, 1, Specs.sgd(1e30), List.of(256), 5), 3);
        JsonNode run = runs.awaitStatus(id, RUN_TIMEOUT, "FAILED");
        String reason = run.get("attempts").get(run.get("attempts").size() - 1).path("reason").asText();
        assertTrue(reason.contains("NaN"), () -> "the failure names NaN: " + reason + "\n" + cluster.describe(id));
        assertEquals(1, run.get("attempt").asInt(), "a diverging run is not retried");
    }

    @Test
    @Order(4)
    void aRunningRunIsCancelled() {
        long id = runs.submit("cancelled", Specs.untilCancelled(6));
        runs.awaitCheckpoint(id, 1, RUN_TIMEOUT);
        String workerId = runs.get(id).get("workerId").asText();
        cluster.api().post(cluster.runPath(id, "/cancel"), null).expect(200);
        JsonNode run = runs.awaitStatus(id, Duration.ofSeconds(30), "CANCELLED");
        assertEquals(1, run.get("attempt").asInt());
        Poll.until("worker " + workerId + " to stop the cancelled run and free its slot", Duration.ofSeconds(30),
                Duration.ofMillis(250), () -> cluster.workerInfo(workerId).get("allocations").isEmpty() ? true : null,
                () -> cluster.workerInfo(workerId) + "\n" + cluster.describe(id));
        long lastStep = runs.summaries(id).get("train/loss").get("step").asLong();
        assertTrue(lastStep < Specs.UNTIL_CANCELLED_STEPS, "cancelled before the end, at step " + lastStep);
    }

    /**
     * D1: a run cancelled as soon as it is RUNNING, while its worker is still setting it up (before any checkpoint),
     * gives its worker's slot back at once, and the worker takes new runs: each worker (one slot each) then runs one
     * of two long runs at the same time.
     */
    @Test
    @Order(5)
    void aRunCancelledRightAfterItStartsGivesItsWorkerBackAtOnce() {
        long id = runs.submit("early-cancel", Specs.lateFirstCheckpoint(10));
        String workerId = runs.awaitStatus(id, RUN_TIMEOUT, "RUNNING").get("workerId").asText();
        cluster.api().post(cluster.runPath(id, "/cancel"), null).expect(200);
        JsonNode run = runs.get(id);
        assertEquals("CANCELLED", run.get("status").asText());
        assertEquals("CANCELLED", run.get("attempts").get(0).get("outcome").asText(), run::toString);
        JsonNode info = cluster.workerInfo(workerId);
        assertTrue(info.get("allocations").isEmpty(), () -> "the cancel freed the attempt's allocation: " + info);
        assertEquals(info.get("devices").get("cpus").asInt(), info.get("free").get("cpus").asInt(), info::toString);

        List<Long> next = List.of(runs.submit("after-early-cancel-1", Specs.lateFirstCheckpoint(11)),
                runs.submit("after-early-cancel-2", Specs.lateFirstCheckpoint(12)));
        Set<String> holders = Poll.until("both workers to run one of the two runs", Duration.ofSeconds(60),
                Duration.ofMillis(200), () -> {
                    Set<String> held = new HashSet<>();
                    for (long n : next) {
                        JsonNode r = runs.get(n);
                        if (r.get("status").asText().equals("RUNNING")) {
                            held.add(r.get("workerId").asText());
                        }
                    }
                    return held.size() == 2 ? held : null;
                }, () -> cluster.describe(id) + "\n" + cluster.workerInfo(workerId));
        assertEquals(Set.copyOf(workerIds.values()), holders);
        assertTrue(runs.checkpoints(id).isEmpty(), () -> "run " + id + " was cancelled before its first checkpoint");
        assertTrue(runs.logs(id, 1).lines().noneMatch(l -> l.contains("failed")), () -> runs.logs(id, 1));

        for (long n : next) {
            cluster.api().post(cluster.runPath(n, "/cancel"), null).expect(200);
            runs.awaitStatus(n, Duration.ofSeconds(30), "CANCELLED");
        }
        for (String w : workerIds.values()) {
            Poll.until("worker " + w + " to have no allocation", Duration.ofSeconds(10), Duration.ofMillis(200),
                    () -> cluster.workerInfo(w).get("allocations").isEmpty() ? true : null, () -> cluster.workerInfo(w).toString());
        }
    }

    /**
     * D2: a run the worker cannot even set up (its CSV dataset is random bytes) fails within seconds with the cause
     * the worker saw, once, although it may be started three times: the failure is not retryable.
     */
    @Test
    @Order(6)
    void aRunWhoseDatasetCannotBeReadFailsInSecondsWithTheWorkersCause() {
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(11).nextBytes(junk);
        JsonNode dataset = cluster.api().postBytes(cluster.projectPath("/datasets?name=junk.csv"), junk).expect(201);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "random bytes as csv");
        spec.put("dataset", Map.of("name", "csv", "artifact", "sha256:" + dataset.get("sha256").asText(), "task", "regression"));
        spec.put("model", Map.of("layers", List.of(Map.of("type", "linear", "outFeatures", 1))));
        spec.put("optimizer", Specs.adam(0.001));
        spec.put("batchSize", 16);
        spec.put("epochs", 1);
        long id = runs.submit("unreadable-dataset", spec, 3);

        JsonNode run = runs.awaitStatus(id, Duration.ofSeconds(60), "FAILED");
        assertEquals(1, run.get("attempt").asInt(), () -> "not retried\n" + cluster.describe(id));
        assertEquals(1, run.get("attempts").size());
        JsonNode attempt = run.get("attempts").get(0);
        assertEquals("FAILED", attempt.get("outcome").asText(), attempt::toString);
        String reason = attempt.get("reason").asText();
        assertTrue(reason.startsWith("cannot load the run's data: ") && reason.contains("MalformedInputException")
                && reason.endsWith("(not retryable)"), () -> "the worker's cause: " + reason);
        assertFalse(reason.contains("/workers/") || reason.contains("/datasets/"), () -> "no worker paths: " + reason);
        Duration took = Duration.between(Instant.parse(run.get("startedAt").asText()), Instant.parse(run.get("finishedAt").asText()));
        assertTrue(took.compareTo(Cluster.LEASE) < 0, () -> "failed " + took + " after it started, before any lease could expire");
        assertTrue(runs.logs(id, 1).contains("MalformedInputException"), () -> "the cause is in the run's logs: " + runs.logs(id, 1));
    }

    @Test
    @Order(7)
    void aKilledWorkersRunIsReleasedAfterItsLeaseAndResumesOnTheOtherWorker() {
        Map<String, Object> spec = Specs.interruptible(7);
        long id = runs.submit("killed-worker", spec, 3);
        JsonNode checkpoint = runs.awaitCheckpoint(id, 1, RUN_TIMEOUT);
        String holderId = runs.get(id).get("workerId").asText();
        String holder = nameOf(holderId);
        String other = holder.equals(A) ? B : A;

        Instant killed = Instant.now();
        cluster.worker(holder).kill();
        JsonNode run = runs.awaitStatus(id, RUN_TIMEOUT, "SUCCEEDED");
        assertEquals(2, run.get("attempt").asInt(), () -> cluster.describe(id));
        JsonNode second = run.get("attempts").get(1);
        assertEquals(workerIds.get(other), second.get("workerId").asText(), "attempt 2 ran on " + other);
        String lost = run.get("attempts").get(0).path("reason").asText();
        assertTrue(lost.contains("lease expired"), () -> "attempt 1 ends with its lease expiring: " + lost + "\n" + run);
        Duration toReLease = Duration.between(killed, Instant.parse(second.get("startedAt").asText()));
        assertTrue(toReLease.compareTo(Cluster.LEASE.dividedBy(2)) >= 0, "re-leased only once the lease expired (a "
                + Cluster.LEASE + " lease renewed every " + Cluster.LEASE.dividedBy(3) + "), but after " + toReLease);
        assertResumedFromACheckpoint(id, checkpoint.get("step").asLong());
        assertEquals(Runs.oneTo(Specs.steps(spec)), runs.steps(id, "train/loss"), () -> "complete series\n" + cluster.describe(id));

        launching.put(holder, cluster.launchWorker(holder));
    }

    @Test
    @Order(8)
    void aSigtermedWorkersRunResumesOnTheOtherWorkerWithoutWaitingForItsLease() {
        Map<String, Object> spec = Specs.interruptible(8);
        long id = runs.submit("sigtermed-worker", spec, 3);
        JsonNode checkpoint = runs.awaitCheckpoint(id, 1, RUN_TIMEOUT);
        String holder = nameOf(runs.get(id).get("workerId").asText());
        String other = holder.equals(A) ? B : A;

        cluster.worker(holder).terminate(Duration.ofSeconds(60));
        JsonNode run = runs.awaitStatus(id, RUN_TIMEOUT, "SUCCEEDED");
        assertEquals(2, run.get("attempt").asInt(), () -> cluster.describe(id));
        JsonNode first = run.get("attempts").get(0);
        JsonNode second = run.get("attempts").get(1);
        assertEquals(workerIds.get(other), second.get("workerId").asText(), "attempt 2 ran on " + other);
        Duration gap = Duration.between(Instant.parse(first.get("endedAt").asText()), Instant.parse(second.get("startedAt").asText()));
        assertTrue(gap.compareTo(Cluster.LEASE) < 0, "attempt 2 started " + gap + " after attempt 1 ended: it waited for the "
                + Cluster.LEASE + " lease\n" + run);
        assertFalse(first.path("reason").asText().contains("lease expired"), () -> "attempt 1 was handed back, not lost: " + first);
        assertResumedFromACheckpoint(id, checkpoint.get("step").asLong());
        assertEquals(Runs.oneTo(Specs.steps(spec)), runs.steps(id, "train/loss"), () -> "complete series\n" + cluster.describe(id));

        launching.put(holder, cluster.launchWorker(holder));
    }

    @Test
    @Order(9)
    void aPlatformRestartMidRunLosesAndDuplicatesNoMetric() {
        Map<String, Object> spec = Specs.interruptible(9);
        long id = runs.submit("platform-restart", spec, 3);
        runs.awaitCheckpoint(id, 1, RUN_TIMEOUT);

        Instant restarted = Instant.now();
        cluster.restartPlatform();
        JsonNode run = runs.awaitStatus(id, RUN_TIMEOUT, "SUCCEEDED");
        int steps = Specs.steps(spec);
        assertEquals(Runs.oneTo(steps), runs.steps(id, "train/loss"), () -> "train/loss must hold every step 1.." + steps
                + " exactly once across the restart\n" + cluster.describe(id));
        int epochs = (Integer) spec.get("epochs");
        assertEquals(epochs, runs.steps(id, "test/accuracy").size(), "one test/accuracy per epoch");
        assertEquals(epochs, runs.steps(id, "train/epoch_loss").size(), "one train/epoch_loss per epoch");
        for (var w : workerIds.entrySet()) {
            JsonNode info = Poll.until(w.getKey() + " to reconnect", Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
                JsonNode i = cluster.workerInfo(w.getValue());
                return i.get("status").asText().equals("ACTIVE") && Instant.parse(i.get("lastSeenAt").asText()).isAfter(restarted)
                        ? i : null;
            }, cluster::describeAll);
            assertEquals("ACTIVE", info.get("status").asText());
        }
        assertEquals(1, run.get("attempts").size(), () -> "the restarted platform waits a lease for heartbeats before "
                + "taking runs back, so attempt 1 finishes what it trained while the platform was down\n"
                + cluster.describe(id));
    }

    private void assertResumedFromACheckpoint(long id, long firstCheckpointStep) {
        String log = runs.logs(id, 2);
        var m = java.util.regex.Pattern.compile("resumed from \\S+ at step (\\d+)").matcher(log);
        assertTrue(m.find(), () -> "attempt 2 logs that it resumed from a checkpoint:\n" + log + "\n" + cluster.describe(id));
        long step = Long.parseLong(m.group(1));
        assertTrue(step >= firstCheckpointStep, "resumed at step " + step + ", before the checkpoint at "
                + firstCheckpointStep + " that was listed before the interruption");
        assertNotEquals(0, step);
    }

    private String nameOf(String workerId) {
        return workerIds.entrySet().stream().filter(e -> e.getValue().equals(workerId)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("run held by unknown worker " + workerId + "; ours: " + workerIds));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
