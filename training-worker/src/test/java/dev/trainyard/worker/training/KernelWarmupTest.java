package dev.trainyard.worker.training;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.serialization.Checkpoint;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelWarmupTest {
    static final Path DATA = Path.of("/usr/share/datasets");
    /** The built-in mlp the warm-up trains, with dropout so the model generator's stream is used while training. */
    static final RunSpec SPEC = RunSpecs.parse("""
            seed: 5
            dataset: {name: fashion-mnist, trainSubset: 512, testSubset: 128}
            model: {builtin: mlp, args: {dropout: 0.2}}
            optimizer: {type: adam, lr: 0.001}
            batchSize: 64
            epochs: 1
            """);

    @TempDir
    Path dir;

    Map<String, Tensor> train(String run) throws Exception {
        TrainingResult r = new Trainer(SPEC, TrainerOptions.of(DATA, dir.resolve(run)), new TrainingListener() {
        }).run();
        assertEquals(TrainingResult.Status.COMPLETED, r.status(), r.message());
        return Checkpoint.tensors(Checkpoint.load(r.lastCheckpoint()), "model");
    }

    static void assertSameBits(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, t) -> assertArrayEquals(t.toFloatArray(), actual.get(k).toFloatArray(), k));
    }

    @Test
    void runsTrainedAfterAndBesideAWarmUpHaveTheBitsOfOneWithout() throws Exception {
        Map<String, Tensor> without = train("without");
        byte[] defaultState = Generator.defaultGenerator().getState();

        List<String> reports = new CopyOnWriteArrayList<>();
        KernelWarmup done = KernelWarmup.start(20, reports::add); // two rounds (8 mlp steps and a cnn step) and 2 steps
        assertTrue(done.awaitEnd(Duration.ofMinutes(2)));
        assertEquals(20, done.steps());
        assertTrue(reports.getFirst().matches("warmed the engine's kernels: 20 steps in \\d+\\.\\d s"), reports.getFirst());
        assertSameBits(without, train("after"));

        KernelWarmup beside = KernelWarmup.start(Integer.MAX_VALUE, reports::add);
        try {
            assertSameBits(without, train("beside"));
        } finally {
            beside.stop("the test ended");
        }
        assertTrue(beside.awaitEnd(Duration.ofMinutes(1)));
        assertArrayEquals(defaultState, Generator.defaultGenerator().getState(), "the process-wide generator was drawn from");
    }

    @Test
    void stopsBetweenStepsWhenAskedAndSaysWhy() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        KernelWarmup warmup = KernelWarmup.start(Integer.MAX_VALUE, reports::add);
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (warmup.steps() < 1 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        warmup.stop("run 7 leased");
        warmup.stop("the worker is shutting down"); // the first reason stays
        assertTrue(warmup.awaitEnd(Duration.ofSeconds(30)), "the warm-up did not stop");
        int steps = warmup.steps();
        assertTrue(steps >= 1 && steps < 1000, "steps " + steps);
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.getFirst().matches("warming the engine's kernels stopped after " + steps
                + " steps in \\d+\\.\\d s: run 7 leased"), reports.getFirst());
    }
}
