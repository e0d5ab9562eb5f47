package dev.trainyard.worker.agent;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.serialization.Checkpoint;
import dev.trainyard.worker.agent.FakePlatform.Point;
import dev.trainyard.worker.agent.FakePlatform.StoredCheckpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker agent against a fake platform over real HTTP, training real (small) runs. */
class WorkerAgentTest {
    static final Path DATA = Path.of("/usr/share/datasets");
    /** 512 examples in batches of 64: 8 steps per epoch. */
    static final String SHORT = """
            {"seed": 3, "dataset": {"name": "fashion-mnist", "trainSubset": 512, "testSubset": 256},
             "model": {"builtin": "mlp"}, "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "epochs": 1,
             "logging": {"everySteps": 1}}""";
    /** Runs far longer than any test waits; no checkpoints along the way. */
    static final String LONG = """
            {"seed": 3, "dataset": {"name": "fashion-mnist", "trainSubset": 512, "testSubset": 256},
             "model": {"builtin": "mlp"}, "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "maxSteps": 1000000,
             "logging": {"everySteps": 1}, "checkpoint": {"everySteps": 1000000}}""";

    @TempDir
    Path dir;
    final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    FakePlatform platform() throws IOException {
        FakePlatform p = new FakePlatform();
        closeLater.add(p);
        return p;
    }

    /** Without the kernel warm-up (WorkerWarmupTest tests it), which would share the CPU with the tests' runs. */
    WorkerAgent agent(java.net.URI url, String work) {
        return agent(new WorkerSettings(url, "tyw_test", "test-worker", Map.of("zone", "test"), 1, DATA, dir.resolve(work),
                0, 0, null, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(20)).withWarmUpSteps(0));
    }

    WorkerAgent agent(WorkerSettings s) {
        WorkerAgent a = new WorkerAgent(s);
        closeLater.add(a);
        a.start();
        return a;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static List<Long> steps(List<Point> points) {
        return points.stream().map(Point::step).toList();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void aShortRunSucceedsWithEveryStepOnceInOrderAndTheCheckpointAfterTheMetrics() throws Exception {
        FakePlatform p = platform();
        p.queueRun(7, 1, SHORT);
        WorkerAgent agent = agent(p.url(), "w");
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().contains("SUCCEEDED"));

        JsonAssert.register(p.requests().getFirst().json(), "test-worker", Runtime.getRuntime().availableProcessors());
        assertEquals("w1", agent.workerId());
        assertEquals(List.of("RUNNING", "SUCCEEDED"), p.statusNames());
        assertEquals(1, p.statuses.get(1).get("attempt").asInt());
        assertEquals(range(1, 8), steps(p.points("train/loss")));
        assertEquals(List.of(8L), steps(p.points("test/accuracy")));
        assertTrue(p.points("test/accuracy").getFirst().value() > 0.3, "accuracy " + p.points("test/accuracy"));
        assertFalse(p.points("system/cpu_percent").isEmpty(), "process CPU is reported");
        assertTrue(p.points("system/memory_mb").getFirst().value() > 10, "process memory " + p.points("system/memory_mb"));

        assertEquals(1, p.checkpoints.size());
        StoredCheckpoint c = p.checkpoints.getFirst();
        assertEquals(8, c.step());
        assertEquals(1, c.epoch());
        assertEquals("step-000000008.ckpt", c.filename());
        assertEquals(HexFormat.of().formatHex(dev.trainyard.worker.client.Sha256.digest().digest(c.bytes())), c.sha256());
        assertEquals(p.points("test/accuracy").getFirst().value(), c.metrics().get("test/accuracy"), 1e-12);
        // every metric request precedes the checkpoint upload, which precedes SUCCEEDED
        List<String> kinds = p.kinds();
        int upload = kinds.indexOf("checkpoints");
        assertEquals(upload, kinds.lastIndexOf("checkpoints"));
        assertTrue(kinds.lastIndexOf("metrics") < upload, kinds.toString());
        assertEquals("status", kinds.getLast());
        assertTrue(p.logLines.stream().anyMatch(l -> l.startsWith("training")), p.logLines.toString());
        assertTrue(p.requests().stream().filter(r -> r.kind().equals("metrics")).allMatch(r -> "1".equals(r.headers().get("x-run-attempt"))));
        await("the run slot to free up", Duration.ofSeconds(5), () -> agent.runningCount() == 0);
    }

    @Test
    void connectionRefusedAnd503AreRetriedWithoutLosingOrDuplicatingPoints() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WorkerAgent agent = agent(java.net.URI.create("http://127.0.0.1:" + port), "w");
        Thread.sleep(1500); // the agent keeps trying to register against a closed port
        FakePlatform p = new FakePlatform(port);
        closeLater.addFirst(p); // closed after the agent, which deregisters
        int[] failures = {0};
        p.override = r -> switch (r.kind()) {
            case "metrics", "checkpoints", "status", "logs" -> {
                synchronized (failures) {
                    yield failures[0]++ % 2 == 0 ? 503 : null; // every other write fails once
                }
            }
            default -> null;
        };
        p.queueRun(8, 2, SHORT);
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().contains("SUCCEEDED"));
        assertEquals(1, p.registrations.get());
        assertEquals(range(1, 8), steps(p.points("train/loss")), "each step exactly once");
        assertEquals(1, p.checkpoints.size());
        assertEquals(List.of("RUNNING", "SUCCEEDED"), p.statusNames());
        assertTrue(p.handled.stream().filter(h -> h.status() == 503).count() >= 3);
        assertEquals(p.points.stream().distinct().count(), p.points.size(), "no point stored twice");
        assertEquals("w1", agent.workerId());
    }

    @Test
    void aConflictOnMetricsStopsTheRunAndDropsItsOutput() throws Exception {
        FakePlatform p = platform();
        p.override = r -> r.kind().equals("metrics") ? 409 : null;
        p.queueRun(9, 1, LONG);
        WorkerAgent agent = agent(p.url(), "w");
        await("the run to start", Duration.ofSeconds(60), () -> p.statusNames().contains("RUNNING"));
        await("a refused metrics request", Duration.ofSeconds(60), () -> p.handled.stream().anyMatch(h -> h.status() == 409));
        await("the run to stop", Duration.ofSeconds(10), () -> agent.runningCount() == 0);
        // the platform holds an attempt's devices until the worker reports its end, lost or not (a 409 to a metrics
        // write is also how a worker first hears of a cancel)
        assertEquals(List.of("RUNNING", "CANCELLED"), p.statusNames(), "a stopped attempt reports its end once");
        assertTrue(p.checkpoints.isEmpty());
        long refused = p.handled.stream().filter(h -> h.status() == 409).count();
        Thread.sleep(1000);
        assertEquals(refused, p.handled.stream().filter(h -> h.status() == 409).count(), "no more writes after the 409");
    }

    @Test
    void aCancelFromTheHeartbeatStopsTheRunWithinTwoSecondsAndReportsCancelled() throws Exception {
        FakePlatform p = platform();
        p.queueRun(10, 1, LONG);
        agent(p.url(), "w");
        await("training to report", Duration.ofSeconds(60), () -> p.points("train/loss").size() >= 3);
        long placed = System.nanoTime();
        p.stopOrders.put(10L, "CANCELLED");
        await("CANCELLED", Duration.ofSeconds(5), () -> p.statusNames().contains("CANCELLED"));
        // from the cancellation on the platform's side, whatever heartbeat period the platform asked for (10 s here)
        long reported = p.requests().stream().filter(r -> r.kind().equals("status") && r.json().get("status").asText().equals("CANCELLED"))
                .findFirst().orElseThrow().nanos();
        assertTrue(reported - placed < 2_000_000_000L, "stopped " + (reported - placed) / 1e6 + " ms after the cancellation");
        assertEquals(List.of("RUNNING", "CANCELLED"), p.statusNames());
        assertTrue(p.statuses.getLast().get("message").asText().startsWith("cancelled at step"), p.statuses.getLast().toString());
    }

    /** The thread training run {@code runId}, once it waits for room in a full outbox. */
    static Thread pausedTrainer(long runId) throws InterruptedException {
        Thread[] found = new Thread[1];
        await("run " + runId + "'s trainer to wait for room in its outbox", Duration.ofSeconds(60), () -> {
            found[0] = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("run-" + runId))
                    .filter(RunOutboxTest::waitsForRoom).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    static boolean inFrame(Thread t, String method) {
        return java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(RunOutbox.class.getName()) && f.getMethodName().equals(method));
    }

    @Test
    void aRunPausedByAFullOutboxStopsForACancelAndReportsCancelled() throws Exception {
        FakePlatform p = platform();
        p.override = r -> r.kind().equals("metrics") || r.kind().equals("logs") ? 503 : null;
        p.queueRun(20, 1, LONG);
        WorkerAgent agent = agent(new WorkerSettings(p.url(), "tyw_test", "test-worker", Map.of(), 1, DATA, dir.resolve("w"),
                0, 0, null, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(20)).withOutboxMaxItems(100));
        Thread trainer = pausedTrainer(20);

        p.stopOrders.put(20L, "CANCELLED"); // heartbeats still get through
        trainer.join(Duration.ofSeconds(60));
        assertFalse(trainer.isAlive(), "the run's thread ended");
        assertEquals(List.of("RUNNING", "CANCELLED"), p.statusNames());
        assertTrue(p.statuses.getLast().get("message").asText().startsWith("cancelled at step"), p.statuses.getLast().toString());
        assertTrue(p.points.isEmpty(), "no metrics write was accepted");
        await("the run slot to free up", Duration.ofSeconds(10), () -> agent.runningCount() == 0);
    }

    @Test
    void shutdownOfARunPausedByAFullOutboxUploadsItsCheckpointOnlyAfterEveryMetric() throws Exception {
        FakePlatform p = platform();
        p.override = r -> r.kind().equals("metrics") || r.kind().equals("logs") ? 503 : null; // checkpoints would pass
        p.queueRun(21, 1, LONG);
        WorkerAgent agent = agent(new WorkerSettings(p.url(), "tyw_test", "test-worker", Map.of(), 1, DATA, dir.resolve("w"),
                0, 0, null, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(120)).withOutboxMaxItems(100));
        Thread trainer = pausedTrainer(21);

        Thread closing = Thread.ofPlatform().name("closing").start(agent::close);
        // preempted: the trainer goes on to the step boundary, checkpoints and waits for its outbox to deliver
        await("the preempted run to flush its outbox", Duration.ofSeconds(60), () -> inFrame(trainer, "finish"));
        assertTrue(p.checkpoints.isEmpty(), "no checkpoint before the metrics reported ahead of it");
        p.override = r -> null; // the platform accepts again
        closing.join(Duration.ofSeconds(120));
        assertFalse(closing.isAlive(), "close() returned");
        assertFalse(trainer.isAlive(), "the run's thread ended");

        assertEquals(1, p.checkpoints.size());
        long step = p.checkpoints.getFirst().step();
        assertEquals(range(1, step), steps(p.points("train/loss")), "every step up to the checkpoint, once, in order");
        List<String> kinds = p.kinds();
        assertTrue(kinds.indexOf("checkpoints") > kinds.lastIndexOf("metrics"), kinds.toString());
        assertEquals("deregister", kinds.getLast(), kinds.toString());
        assertEquals(List.of("RUNNING"), p.statusNames());
        assertEquals(0, agent.runningCount());
    }

    @Test
    void aRunResumesFromTheLatestCheckpointAndEndsAsTheUninterruptedRun() throws Exception {
        // 16 steps over 2 epochs; checkpoints every 6 steps: at 6 (mid-epoch), 12, and 16 (the end)
        String spec = """
                {"seed": 5, "dataset": {"name": "fashion-mnist", "trainSubset": 512, "testSubset": 256},
                 "model": {"builtin": "mlp"}, "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "epochs": 2,
                 "logging": {"everySteps": 1}, "checkpoint": {"everySteps": 6, "keepLast": 5}}""";
        FakePlatform whole = platform();
        whole.queueRun(11, 1, spec);
        agent(whole.url(), "w1");
        await("the uninterrupted run", Duration.ofSeconds(120), () -> whole.statusNames().contains("SUCCEEDED"));
        assertEquals(List.of(6L, 12L, 16L), whole.checkpoints.stream().map(StoredCheckpoint::step).toList());

        FakePlatform resumed = platform();
        StoredCheckpoint at6 = whole.checkpoints.getFirst();
        resumed.checkpoints.add(new StoredCheckpoint(100, 11, 6, 1, at6.sha256(), at6.filename(), at6.bytes(), at6.metrics()));
        resumed.queueRun(11, 2, spec);
        agent(resumed.url(), "w2");
        await("the resumed run", Duration.ofSeconds(120), () -> resumed.statusNames().contains("SUCCEEDED"));

        assertEquals(range(7, 16), steps(resumed.points("train/loss")), "only the steps after the checkpoint");
        for (Point p : resumed.points("train/loss")) {
            assertEquals(whole.points("train/loss").get((int) p.step() - 1).value(), p.value(), 0, "train/loss at " + p.step());
        }
        assertEquals(whole.points("test/accuracy"), resumed.points("test/accuracy"));
        assertEquals(List.of(12L, 16L), resumed.checkpoints.stream().skip(1).map(StoredCheckpoint::step).toList());
        assertSameWeights(whole.checkpoints.getLast().bytes(), resumed.checkpoints.getLast().bytes());
        assertTrue(resumed.logLines.stream().anyMatch(l -> l.equals("resuming from checkpoint 100 at step 6")), resumed.logLines.toString());
    }

    @Test
    void aCheckpointRefusedAsTooSoonIsSkippedAndTheLastIsSentAsFinal() throws Exception {
        // checkpoints at 6, 12 and 16; the platform takes one, then refuses periodic ones as too soon (429)
        String spec = """
                {"seed": 5, "dataset": {"name": "fashion-mnist", "trainSubset": 512, "testSubset": 256},
                 "model": {"builtin": "mlp"}, "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "epochs": 2,
                 "logging": {"everySteps": 1}, "checkpoint": {"everySteps": 6, "keepLast": 5}}""";
        FakePlatform p = platform();
        p.override = r -> r.kind().equals("checkpoints") && !p.checkpoints.isEmpty()
                && !String.valueOf(r.query()).contains("final=true") ? 429 : null;
        p.queueRun(13, 1, spec);
        agent(p.url(), "w");
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().contains("SUCCEEDED"));

        assertEquals(List.of(6L, 16L), p.checkpoints.stream().map(StoredCheckpoint::step).toList());
        List<String> uploads = p.handled.stream().filter(h -> h.request().kind().equals("checkpoints"))
                .map(h -> h.status() + " " + h.request().query()).toList();
        // 6 stored; 12 and 16 refused once each (not retried); 16 again as the final checkpoint
        assertEquals(4, uploads.size(), uploads.toString());
        assertTrue(uploads.get(1).startsWith("429 ") && uploads.get(1).contains("step=12"), uploads.toString());
        assertTrue(uploads.getLast().startsWith("201 ") && uploads.getLast().contains("step=16")
                && uploads.getLast().contains("final=true"), uploads.toString());
        assertEquals(List.of("RUNNING", "SUCCEEDED"), p.statusNames());
        assertEquals(range(1, 16), steps(p.points("train/loss")));
    }

    private void assertSameWeights(byte[] a, byte[] b) throws IOException {
        Path fa = Files.write(dir.resolve("a.ckpt"), a);
        Path fb = Files.write(dir.resolve("b.ckpt"), b);
        Map<String, Tensor> ta = Checkpoint.tensors(Checkpoint.load(fa), "model");
        Map<String, Tensor> tb = Checkpoint.tensors(Checkpoint.load(fb), "model");
        assertEquals(ta.keySet(), tb.keySet());
        for (String k : ta.keySet()) {
            assertArrayEquals(ta.get(k).toFloatArray(), tb.get(k).toFloatArray(), k);
        }
    }

    @Test
    void shutdownPreemptsWithACheckpointAtTheCurrentStepThenDeregisters() throws Exception {
        FakePlatform p = platform();
        p.queueRun(12, 1, LONG);
        WorkerAgent agent = agent(p.url(), "w");
        await("training to report", Duration.ofSeconds(60), () -> p.points("train/loss").size() >= 5);
        long start = System.nanoTime();
        agent.close();
        assertTrue(System.nanoTime() - start < 20_000_000_000L);
        assertEquals(1, p.checkpoints.size());
        long step = p.checkpoints.getFirst().step();
        assertEquals(range(1, step), steps(p.points("train/loss")), "every step up to the checkpoint, once");
        assertEquals(List.of("RUNNING"), p.statusNames(), "a preempted run is re-queued by deregistering, not reported");
        List<String> kinds = p.kinds();
        assertEquals("deregister", kinds.getLast(), kinds.toString());
        assertTrue(kinds.indexOf("checkpoints") > kinds.lastIndexOf("metrics"));
        assertEquals("/api/v1/workers/w1", p.requests().getLast().path());
        assertEquals(0, agent.runningCount());
    }

    @Test
    void aDivergingRunFromADatasetArtifactFailsWithTheReasonAndIsNotRetried() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 200; i++) {
            double a = random.nextDouble() * 2 - 1;
            double b = random.nextDouble() * 2 - 1;
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, a + b));
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(dev.trainyard.worker.client.Sha256.digest().digest(bytes));
        FakePlatform p = platform();
        p.datasets.put(sha, bytes);
        p.queueRun(13, 1, """
                {"dataset": {"name": "csv", "artifact": "sha256:%s", "task": "regression"},
                 "model": {"layers": [{"type": "linear", "outFeatures": 1}]}, "optimizer": {"type": "sgd", "lr": 1000000},
                 "batchSize": 16, "epochs": 20, "logging": {"everySteps": 1}}""".formatted(sha));
        agent(p.url(), "w");
        await("the run to fail", Duration.ofSeconds(60), () -> p.statusNames().contains("FAILED"));
        var failed = p.statuses.getLast();
        assertEquals("FAILED", failed.get("status").asText());
        assertFalse(failed.get("retryable").asBoolean(true));
        assertTrue(failed.get("message").asText().matches("loss is (NaN|\\+Inf) at step \\d+ .*training diverged.*"), failed.toString());
        assertTrue(Files.isRegularFile(dir.resolve("w/datasets").resolve(sha)), "the artifact is cached under its digest");
    }

    /**
     * D1: cancelled right after it started, the worker hears of it as a 409 while setting the run up (here, listing
     * the run's checkpoints); it stops and still sends the final report, as a run stopped while training does.
     */
    @Test
    void aRunCancelledWhileSettingUpReportsCancelledAndFreesItsSlot() throws Exception {
        FakePlatform p = platform();
        p.override = r -> r.kind().equals("checkpoints-get") ? 409 : null;
        p.queueRun(16, 1, SHORT);
        WorkerAgent agent = agent(p.url(), "w");
        await("the final report", Duration.ofSeconds(60), () -> p.statusNames().size() == 2);
        assertEquals(List.of("RUNNING", "CANCELLED"), p.statusNames(), p.statuses.toString());
        assertTrue(p.statuses.getLast().get("message").asText().startsWith("stopped while setting up"), p.statuses.toString());
        await("the run slot to free up", Duration.ofSeconds(5), () -> agent.runningCount() == 0);
        assertTrue(p.points("train/loss").isEmpty(), "no training after the 409");
    }

    /** D2: a batch size beyond the spec's limit fails the run at once, with the problem at its path, not retryable. */
    @Test
    void aBatchSizeBeyondTheSpecsLimitFailsTheRunWithItsCause() throws Exception {
        FakePlatform p = platform();
        p.queueRun(17, 1, SHORT.replace("\"batchSize\": 64", "\"batchSize\": 2147483647"));
        WorkerAgent agent = agent(p.url(), "w");
        await("the run to fail", Duration.ofSeconds(60), () -> p.statusNames().contains("FAILED"));
        var failed = p.statuses.getLast();
        assertEquals(List.of("RUNNING", "FAILED"), p.statusNames());
        assertFalse(failed.get("retryable").asBoolean(true), failed.toString());
        String message = failed.get("message").asText();
        // the worker checks the spec as the platform does (spec.Limits): the trainer never sees the size
        assertTrue(message.startsWith("invalid run: InvalidSpecException"), message);
        assertTrue(message.contains("/batchSize: must be in [1, 65536], got 2147483647"), message);
        assertTrue(p.logLines.contains(message), "the cause is in the run's logs too: " + p.logLines);
        await("the run slot to free up", Duration.ofSeconds(5), () -> agent.runningCount() == 0);
    }

    /**
     * D2: an error while training (here the worker's disk: its checkpoint directory is replaced by a file) fails the
     * run with its cause and the step, retryable (another worker may have a disk), without the worker's paths.
     */
    @Test
    void aCheckpointTheWorkerCannotWriteFailsTheRunRetryablyWithItsCause() throws Exception {
        FakePlatform p = platform();
        p.queueRun(19, 1, LONG.replace("\"checkpoint\": {\"everySteps\": 1000000}", "\"checkpoint\": {\"everySteps\": 1000}"));
        WorkerAgent agent = agent(p.url(), "w");
        // the trainer makes the directory before its first step: waiting for reported points instead (a flush
        // interval later) lets a fast machine reach step 1000 and write its checkpoint first
        Path checkpoints = dir.resolve("w/runs/19-1/checkpoints");
        await("the run's checkpoint directory", Duration.ofSeconds(60), () -> Files.isDirectory(checkpoints));
        Files.delete(checkpoints);
        Files.writeString(checkpoints, "not a directory");
        await("the run to fail", Duration.ofSeconds(120), () -> p.statusNames().contains("FAILED"));
        var failed = p.statuses.getLast();
        assertTrue(failed.get("retryable").asBoolean(false), failed.toString());
        String message = failed.get("message").asText();
        assertTrue(message.startsWith("training failed after step 1000: LocalStorageException: saving checkpoint "
                + "step-000001000.ckpt: "), message);
        assertFalse(message.contains(dir.toString()), "the worker's directories stay on the worker: " + message);
        assertTrue(p.checkpoints.isEmpty());
        await("the run slot to free up", Duration.ofSeconds(5), () -> agent.runningCount() == 0);
    }

    /** D2: a CSV dataset artifact of random bytes fails the run with the decoder's error and no worker paths. */
    @Test
    void aDatasetOfRandomBytesFailsTheRunWithItsCauseAndNoLocalPaths() throws Exception {
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        String sha = HexFormat.of().formatHex(dev.trainyard.worker.client.Sha256.digest().digest(bytes));
        FakePlatform p = platform();
        p.datasets.put(sha, bytes);
        p.queueRun(18, 1, """
                {"dataset": {"name": "csv", "artifact": "sha256:%s", "task": "regression"},
                 "model": {"layers": [{"type": "linear", "outFeatures": 1}]}, "optimizer": {"type": "sgd", "lr": 0.1},
                 "batchSize": 16, "epochs": 1}""".formatted(sha));
        agent(p.url(), "w");
        await("the run to fail", Duration.ofSeconds(60), () -> p.statusNames().contains("FAILED"));
        var failed = p.statuses.getLast();
        assertFalse(failed.get("retryable").asBoolean(true), failed.toString());
        String message = failed.get("message").asText();
        assertTrue(message.startsWith("cannot load the run's data: "), message);
        assertTrue(message.contains("MalformedInputException"), message);
        assertFalse(message.contains(dir.toString()), "the worker's directories stay on the worker: " + message);
        assertFalse(message.contains("/datasets/"), message);
    }

    @Test
    void aZippedIdxDatasetArtifactIsDownloadedVerifiedAndUnpacked() throws Exception {
        var zip = new ByteArrayOutputStream();
        try (var out = new ZipOutputStream(zip)) {
            for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz")) {
                out.putNextEntry(new ZipEntry(f));
                Files.copy(DATA.resolve("fashion-mnist").resolve(f), out);
                out.closeEntry();
            }
        }
        byte[] bytes = zip.toByteArray();
        String sha = HexFormat.of().formatHex(dev.trainyard.worker.client.Sha256.digest().digest(bytes));
        FakePlatform p = platform();
        p.datasets.put(sha, bytes);
        p.queueRun(14, 1, SHORT.replace("\"name\": \"fashion-mnist\",", "\"name\": \"fashion-mnist\", \"artifact\": \"sha256:" + sha + "\","));
        agent(p.url(), "w");
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().size() == 2);
        assertEquals(List.of("RUNNING", "SUCCEEDED"), p.statusNames(), p.statuses.toString());
        assertEquals(range(1, 8), steps(p.points("train/loss")));
        assertTrue(Files.isRegularFile(dir.resolve("w/datasets").resolve(sha).resolve("train-labels-idx1-ubyte.gz")));
    }

    @Test
    void aMissingDatasetArtifactFailsTheRunWithoutRetry() throws Exception {
        FakePlatform p = platform();
        p.queueRun(15, 1, SHORT.replace("\"name\": \"fashion-mnist\",", "\"name\": \"fashion-mnist\", \"artifact\": \"sha256:"
                + "ab".repeat(32) + "\","));
        agent(p.url(), "w");
        await("the run to fail", Duration.ofSeconds(60), () -> p.statusNames().contains("FAILED"));
        var failed = p.statuses.getLast();
        assertFalse(failed.get("retryable").asBoolean(true));
        assertTrue(failed.get("message").asText().contains("404"), failed.toString());
    }

    @Test
    void aWorkerThePlatformForgotOrDeregisteredRegistersAgain() throws Exception {
        FakePlatform p = platform();
        var answers = new java.util.concurrent.ConcurrentLinkedQueue<>(List.of(404, 410));
        p.override = r -> r.kind().equals("lease") ? answers.poll() : null;
        WorkerAgent agent = agent(p.url(), "w");
        await("two re-registrations", Duration.ofSeconds(20), () -> p.registrations.get() == 3);
        await("the new id", Duration.ofSeconds(5), () -> "w3".equals(agent.workerId()));
        p.queueRun(16, 1, SHORT);
        await("the run to end", Duration.ofSeconds(120), () -> p.statusNames().contains("SUCCEEDED"));
        assertTrue(p.requests().stream().filter(r -> r.kind().equals("status")).allMatch(r -> r.path().startsWith("/api/v1/workers/w3/")));
    }

    @Test
    void aPlatformRestartMidRunLosesNoStep() throws Exception {
        String spec = SHORT.replace("\"trainSubset\": 512", "\"trainSubset\": 2048"); // 32 steps
        FakePlatform before = new FakePlatform();
        int port = before.url().getPort();
        // the run's end cannot reach the platform before it goes away: 32 steps train within the first flush on a
        // fast machine, and a checkpoint and SUCCEEDED taken here would never reach the platform that comes back
        before.override = r -> r.kind().equals("checkpoints")
                || r.kind().equals("status") && !r.json().get("status").asText().equals("RUNNING") ? 503 : null;
        before.queueRun(17, 1, spec);
        WorkerAgent agent = agent(before.url(), "w");
        await("the first points", Duration.ofSeconds(60), () -> !before.points("train/loss").isEmpty());
        before.close(); // the platform goes away mid-run...
        Thread.sleep(1500);
        FakePlatform after = new FakePlatform(port); // ...and comes back on the same address
        closeLater.addFirst(after);
        await("the run to end", Duration.ofSeconds(120), () -> after.statusNames().contains("SUCCEEDED"));
        java.util.TreeSet<Long> steps = new java.util.TreeSet<>(steps(before.points("train/loss")));
        steps.addAll(steps(after.points("train/loss")));
        assertEquals(range(1, 32), List.copyOf(steps), "every step reached one platform or the other");
        assertEquals(1, after.checkpoints.size());
        assertEquals(32, after.checkpoints.getFirst().step());
        assertEquals("w1", agent.workerId());
    }
}
