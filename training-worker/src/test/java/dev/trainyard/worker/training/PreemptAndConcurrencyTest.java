package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.serialization.Checkpoint;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Trainer.preempt() and trainers running at once on different threads of one JVM. */
class PreemptAndConcurrencyTest {
    static final Path DATA = Path.of("/usr/share/datasets");
    /**
     * Dropout draws from the model generator at every step, so a shared generator would show. No
     * checkpoint before the end, so the preemption's checkpoint is the only one.
     */
    static final RunSpec SPEC = RunSpecs.parse("""
            seed: 11
            dataset: {name: fashion-mnist, trainSubset: 512, testSubset: 128}
            model: {layers: [{type: flatten}, {type: linear, outFeatures: 32}, {type: relu}, {type: dropout, p: 0.3},
                             {type: linear, outFeatures: 10}]}
            optimizer: {type: adam, lr: 0.001}
            batchSize: 64
            epochs: 2
            logging: {everySteps: 1}
            checkpoint: {everySteps: 1000}
            """);

    @TempDir
    Path dir;

    Map<String, Tensor> weights(Path checkpoint) throws Exception {
        return Checkpoint.tensors(Checkpoint.load(checkpoint), "model");
    }

    static void assertSameWeights(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, t) -> assertArrayEquals(t.toFloatArray(), b.get(k).toFloatArray(), k));
    }

    @Test
    void preemptCheckpointsTheCurrentStepAndResumingEndsAsTheUninterruptedRun() throws Exception {
        TrainingResult whole = new Trainer(SPEC, TrainerOptions.of(DATA, dir.resolve("whole")), new TrainingListener() {
        }).run();

        Trainer[] first = new Trainer[1];
        var listener = new RecordingListener() {
            @Override
            public void onMetrics(long step, int epoch, Map<String, Double> m) {
                super.onMetrics(step, epoch, m);
                if (step == 8 && m.containsKey("train/loss")) { // the last step of epoch 1: the next epoch's order is drawn
                    first[0].preempt();
                }
            }
        };
        first[0] = new Trainer(SPEC, TrainerOptions.of(DATA, dir.resolve("a")), listener);
        TrainingResult preempted = first[0].run();
        assertEquals(TrainingResult.Status.PREEMPTED, preempted.status(), preempted.message());
        assertEquals(8, preempted.step());
        assertEquals("preempted at step 8", preempted.message());
        assertEquals(8, listener.checkpoints.getLast().step());
        assertEquals(1, listener.checkpoints.getLast().epoch());

        var resumedListener = new RecordingListener();
        TrainingResult resumed = new Trainer(SPEC, TrainerOptions.of(DATA, dir.resolve("b")), resumedListener)
                .resume(preempted.lastCheckpoint()).run();
        assertEquals(TrainingResult.Status.COMPLETED, resumed.status());
        assertEquals(9, resumedListener.metrics.getFirst().step());
        assertEquals(whole.metrics(), resumed.metrics());
        assertSameWeights(weights(whole.lastCheckpoint()), weights(resumed.lastCheckpoint()));
    }

    @Test
    void trainersOnTwoThreadsAtOnceAreEachBitReproducible() throws Exception {
        TrainingResult alone = new Trainer(SPEC, TrainerOptions.of(DATA, dir.resolve("alone")), new TrainingListener() {
        }).run();
        List<Future<TrainingResult>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                Path runDir = dir.resolve("together-" + i);
                results.add(pool.submit(() -> new Trainer(SPEC, TrainerOptions.of(DATA, runDir), new TrainingListener() {
                }).run()));
            }
            for (Future<TrainingResult> f : results) {
                TrainingResult r = f.get();
                assertEquals(alone.metrics(), r.metrics());
                assertSameWeights(weights(alone.lastCheckpoint()), weights(r.lastCheckpoint()));
            }
        }
    }
}
