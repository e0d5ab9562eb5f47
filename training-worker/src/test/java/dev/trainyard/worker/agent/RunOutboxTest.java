package dev.trainyard.worker.agent;

import dev.trainyard.worker.agent.FakePlatform.Point;
import dev.trainyard.worker.client.PlatformClient;
import dev.trainyard.worker.client.Retry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static dev.trainyard.worker.agent.WorkerAgentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run outbox's bound: while the platform refuses writes, a trainer reporting every step pauses at the bound instead
 * of filling the heap, continues once the platform accepts again, and nothing is lost or sent twice; a stopping run is
 * not held.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunOutboxTest {
    static final int BOUND = 100;
    static final int STEPS = 1000;
    /** 2 points a step and a log line every 10 steps: step 48 brings the outbox to 96 + 4 = 100, step 49 waits. */
    static final int STEPS_BEFORE_PAUSE = 48;

    @TempDir
    Path dir;
    FakePlatform platform;
    PlatformClient client;
    RunOutbox outbox;
    volatile boolean refusing = true;

    /** What the "trainer" thread saw: steps whose reports returned, the most items the outbox held after any of them. */
    final AtomicLong reported = new AtomicLong();
    final AtomicLong mostWaiting = new AtomicLong();

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.abandon();
        }
        client.close();
        platform.close();
    }

    void start() throws IOException {
        platform = new FakePlatform();
        platform.override = r -> refusing && (r.kind().equals("metrics") || r.kind().equals("logs")) ? 503 : null;
        client = new PlatformClient(platform.url(), "tyw_test");
        outbox = new RunOutbox(client, "w1", 7, 1, Duration.ofMillis(50), BOUND,
                new Retry(Duration.ofMillis(10), Duration.ofMillis(100)), () -> {
                });
        outbox.start();
    }

    /** Reports like a trainer logging every step, through the worker's listener, on a thread of its own. */
    Thread train() throws IOException {
        PlatformListener listener = new PlatformListener(7, 1, outbox, dir.resolve("upload"));
        Thread t = Thread.ofPlatform().name("trainer").start(() -> {
            for (long step = 1; step <= STEPS; step++) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("x/a", (double) step);
                metrics.put("x/b", -step / 2.0);
                listener.onMetrics(step, 1, metrics);
                mostWaiting.accumulateAndGet(outbox.waitingItems(), Math::max);
                if (step % 10 == 0) {
                    listener.onLog("line " + step);
                    mostWaiting.accumulateAndGet(outbox.waitingItems(), Math::max);
                }
                reported.set(step);
            }
        });
        return t;
    }

    static boolean waitsForRoom(Thread t) {
        return t.getState() == Thread.State.WAITING && Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(RunOutbox.class.getName()) && f.getMethodName().equals("reserve"));
    }

    static List<Point> expectedPoints() {
        List<Point> points = new ArrayList<>();
        for (long step = 1; step <= STEPS; step++) {
            points.add(new Point("x/a", step, step));
            points.add(new Point("x/b", step, -step / 2.0));
        }
        return points;
    }

    static List<String> expectedLines() {
        List<String> lines = new ArrayList<>();
        for (long step = 10; step <= STEPS; step += 10) {
            lines.add("line " + step);
        }
        return lines;
    }

    static int count(String text, String part) {
        return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }

    void awaitPausedAtTheBound(Thread trainer) throws InterruptedException {
        await("the trainer to wait for room", Duration.ofSeconds(30), () -> waitsForRoom(trainer));
        long refused = platform.handled.stream().filter(h -> h.status() == 503).count();
        await("more refused writes", Duration.ofSeconds(30),
                () -> platform.handled.stream().filter(h -> h.status() == 503).count() >= refused + 3);
        assertTrue(waitsForRoom(trainer), "still waiting while the platform refuses");
        assertEquals(STEPS_BEFORE_PAUSE, reported.get());
        assertEquals(BOUND, outbox.waitingItems());
        assertTrue(platform.points.isEmpty());
        assertTrue(platform.logLines.isEmpty());
    }

    @Test
    void aFullOutboxPausesTheTrainerUntilThePlatformAcceptsAgainAndEveryPointArrivesOnceInOrder(CapturedOutput output)
            throws Exception {
        start();
        Thread trainer = train();
        awaitPausedAtTheBound(trainer);
        assertTrue(output.getOut().contains("run 7 attempt 1: training paused: 100 metric points and log lines are waiting for "
                + "the platform at " + platform.url() + " (trainyard.worker.outbox-max-items=100); it continues once the "
                + "platform accepted half of them"), output.getOut());
        assertFalse(output.getOut().contains("training continues"));

        refusing = false;
        trainer.join(Duration.ofSeconds(60));
        assertFalse(trainer.isAlive(), "the trainer went on to the last step");
        assertEquals(STEPS, reported.get());
        assertTrue(outbox.finish(System.nanoTime() + 60_000_000_000L));

        assertEquals(expectedPoints(), platform.points, "every point once, in order");
        assertEquals(expectedLines(), platform.logLines);
        assertTrue(mostWaiting.get() <= BOUND, "at most " + BOUND + " items waited, saw " + mostWaiting.get());
        assertEquals(0, outbox.waitingItems());
        // the platform here is slower than this "trainer", so it pauses again after the first time; each pause ends
        int paused = count(output.getOut(), "run 7 attempt 1: training paused: ");
        assertTrue(paused >= 1);
        assertEquals(paused, count(output.getOut(), "run 7 attempt 1: training continues after "), output.getOut());
        assertFalse(output.getOut().contains("the run is stopping"));
    }

    @Test
    void aStoppingRunIsNotHeldByAFullOutboxAndStillLosesNothing(CapturedOutput output) throws Exception {
        start();
        Thread trainer = train();
        awaitPausedAtTheBound(trainer);

        outbox.stopBlocking(); // a preempted run goes on to its checkpoint
        trainer.join(Duration.ofSeconds(60));
        assertFalse(trainer.isAlive(), "the trainer went on while the platform still refuses");
        assertEquals(STEPS, reported.get());
        assertEquals(2L * STEPS + STEPS / 10, outbox.waitingItems());
        assertTrue(platform.points.isEmpty());
        assertTrue(output.getOut().contains("training continues after "), output.getOut());
        assertTrue(output.getOut().contains(" paused (the run is stopping): "), output.getOut());

        refusing = false;
        assertTrue(outbox.finish(System.nanoTime() + 60_000_000_000L));
        assertEquals(expectedPoints(), platform.points, "every point once, in order");
        assertEquals(expectedLines(), platform.logLines);
    }

    @Test
    void abandoningAFullOutboxReleasesTheTrainerAndDropsItsOutput() throws Exception {
        start();
        Thread trainer = train();
        awaitPausedAtTheBound(trainer);

        outbox.abandon(); // the lease is lost
        trainer.join(Duration.ofSeconds(60));
        assertFalse(trainer.isAlive(), "the trainer went on");
        assertEquals(STEPS, reported.get());
        refusing = false;
        assertFalse(outbox.finish(System.nanoTime() + 10_000_000_000L), "an abandoned outbox delivers nothing");
        assertTrue(platform.points.isEmpty());
        assertTrue(platform.logLines.isEmpty());
    }
}
