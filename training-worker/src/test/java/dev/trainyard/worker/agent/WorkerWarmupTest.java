package dev.trainyard.worker.agent;

import dev.trainyard.worker.training.KernelWarmup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.trainyard.worker.agent.WorkerAgentTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's kernel warm-up: while the worker waits for its first lease, and only then. */
@ExtendWith(OutputCaptureExtension.class)
class WorkerWarmupTest {
    @TempDir
    Path dir;
    FakePlatform platform;
    WorkerAgent agent;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        platform.close();
    }

    WorkerAgent start(int warmUpSteps) throws Exception {
        platform = new FakePlatform();
        agent = new WorkerAgent(new WorkerSettings(platform.url(), "tyw_test", "test-worker", Map.of(), 1,
                WorkerAgentTest.DATA, dir.resolve("w"), 0, 0, null, Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(20)).withWarmUpSteps(warmUpSteps));
        agent.start();
        return agent;
    }

    static boolean warmupThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("kernel-warmup") && t.isAlive());
    }

    @Test
    void theWarmUpRunsWhileTheWorkerIsIdleAndStopsWhenARunIsLeased(CapturedOutput output) throws Exception {
        KernelWarmup warmup = start(1_000_000).warmup();
        await("a warm-up step", Duration.ofSeconds(60), () -> warmup.steps() >= 1);
        assertTrue(warmupThreadAlive());

        platform.queueRun(7, 1, WorkerAgentTest.SHORT);
        await("the run to end", Duration.ofSeconds(120), () -> platform.statusNames().contains("SUCCEEDED"));
        assertTrue(warmup.awaitEnd(Duration.ofSeconds(30)), "the warm-up went on after the lease");
        int steps = warmup.steps();
        assertTrue(steps < 1_000_000, "steps " + steps);
        assertTrue(output.getOut().contains("warming the engine's kernels stopped after " + steps + " steps in "),
                output.getOut());
        assertTrue(output.getOut().contains(": run 7 leased"), output.getOut());
        assertEquals(java.util.List.of("RUNNING", "SUCCEEDED"), platform.statusNames());
    }

    @Test
    void withZeroWarmUpStepsThereIsNoWarmUpThread() throws Exception {
        await("earlier tests' warm-ups to end", Duration.ofSeconds(30), () -> !warmupThreadAlive());
        WorkerAgent a = start(0);
        await("registration", Duration.ofSeconds(30), () -> a.workerId() != null);
        Thread.sleep(300);
        assertNull(a.warmup());
        assertFalse(warmupThreadAlive());
    }
}
