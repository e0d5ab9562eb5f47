package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real training on Fashion-MNIST subsets (from Debian's dataset-fashion-mnist) and on small csv files. */
class TrainerTest {
    static final Path DATA = Path.of("/usr/share/datasets");

    @TempDir
    Path dir;

    static RunSpec spec(String yaml) {
        return RunSpecs.parse(yaml);
    }

    Trainer trainer(RunSpec spec, String run, TrainingListener listener) throws Exception {
        return new Trainer(spec, TrainerOptions.of(DATA, dir.resolve(run)), listener);
    }

    List<String> files(String run) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve(run))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void mlpLearnsAFashionMnistSubset() throws Exception {
        RunSpec spec = spec("""
                seed: 1
                dataset: {name: fashion-mnist, trainSubset: 2000, testSubset: 1000}
                model: {builtin: mlp}
                optimizer: {type: adam, lr: 0.001}
                batchSize: 64
                epochs: 2
                metrics: [accuracy, f1_macro, auroc]
                logging: {everySteps: 10}
                """);
        var listener = new RecordingListener();
        TrainingResult r = trainer(spec, "run", listener).run();
        assertEquals(TrainingResult.Status.COMPLETED, r.status(), r.message());
        assertEquals(64, r.step());                       // 2000 / 64 = 32 batches (the last one of 16), twice
        assertEquals(2, r.epoch());
        assertTrue(r.metrics().get("test/accuracy") > 0.6, "accuracy " + r.metrics());
        assertTrue(r.metrics().get("test/auroc") > 0.9, "auroc " + r.metrics());

        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), List.copyOf(listener.values("train/loss").keySet()));
        assertEquals(List.of(32L, 64L), List.copyOf(listener.values("test/accuracy").keySet()));
        assertEquals(List.of(32L, 64L), List.copyOf(listener.values("train/epoch_loss").keySet()));
        TreeMap<Long, Double> epochLoss = listener.values("train/epoch_loss");
        assertTrue(epochLoss.get(64L) < epochLoss.get(32L), "training loss goes down: " + epochLoss);
        assertEquals(0.001, listener.values("train/lr").get(10L));
        assertTrue(listener.values("train/samples_per_sec").get(10L) > 0);
        var evalAt32 = listener.metrics.stream().filter(e -> e.step() == 32 && e.metrics().containsKey("test/loss")).findFirst().orElseThrow();
        assertEquals(1, evalAt32.epoch());
        assertEquals(List.of("test/loss", "test/accuracy", "test/f1_macro", "test/auroc", "train/epoch_loss"),
                List.copyOf(evalAt32.metrics().keySet()));
        assertEquals(2, listener.metrics.stream().filter(e -> e.step() == 40).findFirst().orElseThrow().epoch());

        // a checkpoint per epoch, keeping the last one
        assertEquals(List.of(32L, 64L), listener.checkpoints.stream().map(RecordingListener.CheckpointEvent::step).toList());
        assertEquals(List.of(dir.resolve("run/step-000000032.ckpt")), listener.removed);
        assertEquals(List.of("step-000000064.ckpt"), files("run"));
        assertEquals(dir.resolve("run/step-000000064.ckpt"), r.lastCheckpoint());
        assertEquals(r.metrics(), listener.checkpoints.getLast().metrics());
        assertTrue(listener.lines.getFirst().startsWith("training: 203,530 parameters; 2,000 training, 1,000 test examples; 64 steps"),
                listener.lines.getFirst());
    }

    /** A small run that uses every source of randomness: init, dropout, shuffling, random crops and flips. */
    static final String RESUMABLE = """
            seed: 5
            dataset:
              name: fashion-mnist
              trainSubset: 512
              testSubset: 256
              validationSplit: 0.125
              augment: {randomCropPadding: 2, horizontalFlip: 0.5}
            model: {builtin: mlp, args: {hidden: [64], dropout: 0.2}}
            optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
            scheduler: {type: step, stepSize: 1, gamma: 0.5}
            batchSize: 64
            epochs: 3
            metrics: [accuracy]
            logging: {everySteps: 3}
            checkpoint: {everyEpochs: 1, keepLast: 5}
            """;

    static Map<String, float[]> weights(Trainer t) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        t.model().module().stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    static void assertSameWeights(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), "weights " + k + " differ"));
    }

    /** Concatenates the reports of the runs, keeping a later run's value for a step it reports again (an upsert). */
    static Map<String, Double> upserted(RecordingListener... runs) {
        Map<String, Double> out = new TreeMap<>();
        for (RecordingListener r : runs) {
            out.putAll(r.series());
        }
        return out;
    }

    @Test
    void resumingFromTheEpochOneCheckpointEndsBitIdentical() throws Exception {
        RunSpec spec = spec(RESUMABLE);
        var straight = new RecordingListener();
        Trainer a = trainer(spec, "a", straight);
        assertEquals(TrainingResult.Status.COMPLETED, a.run().status());
        assertEquals(21, a.totalSteps());                 // 448 training examples: 7 batches, 3 epochs

        var first = new RecordingListener() {
            Trainer self;

            @Override
            public void onCheckpoint(long step, int epoch, Path file, Map<String, Double> m) {
                super.onCheckpoint(step, epoch, file, m);
                self.cancel();                            // the process "dies" right after its first checkpoint
            }
        };
        Trainer b1 = trainer(spec, "b", first);
        first.self = b1;
        TrainingResult cut = b1.run();
        assertEquals(TrainingResult.Status.CANCELLED, cut.status());
        assertEquals(7, cut.step());
        Path checkpoint = first.checkpoints.getFirst().file();
        assertEquals(dir.resolve("b/step-000000007.ckpt"), checkpoint);

        var second = new RecordingListener();
        Trainer b2 = trainer(spec, "b", second).resume(checkpoint);
        assertEquals(TrainingResult.Status.COMPLETED, b2.run().status());

        assertSameWeights(weights(a), weights(b2));
        // the two halves report every step of the straight run exactly once, with the same values
        assertTrue(second.metrics.stream().allMatch(e -> e.step() > 7), "the resumed run reports only steps after 7");
        Map<String, Double> joined = new TreeMap<>(first.series());
        second.series().forEach((k, v) -> assertNull(joined.put(k, v), "reported twice: " + k));
        assertEquals(new TreeMap<>(straight.series()), joined);
        assertEquals(List.of(9L, 12L, 15L, 18L, 21L), List.copyOf(second.values("train/loss").keySet()));
        assertEquals(0.0125, second.values("train/lr").get(15L), 1e-15);       // epoch 3: 0.05 * 0.5^2
    }

    @Test
    void resumingMidEpochFromAStepCheckpointEndsBitIdentical() throws Exception {
        RunSpec spec = spec(RESUMABLE.replace("checkpoint: {everyEpochs: 1, keepLast: 5}", "checkpoint: {everySteps: 5, keepLast: 5}"));
        var straight = new RecordingListener();
        Trainer a = trainer(spec, "a", straight);
        a.run();

        // dies at step 12, after the checkpoint of step 10 (epoch 2, batch 3 of 7): the resumed run repeats 11 and 12
        var first = new RecordingListener() {
            Trainer self;

            @Override
            public void onMetrics(long step, int epoch, Map<String, Double> m) {
                super.onMetrics(step, epoch, m);
                if (step == 12) {
                    self.cancel();
                }
            }
        };
        Trainer b1 = trainer(spec, "b", first);
        first.self = b1;
        assertEquals(12, b1.run().step());
        var second = new RecordingListener();
        Trainer b2 = trainer(spec, "b", second).resume(dir.resolve("b/step-000000010.ckpt"));
        assertEquals(TrainingResult.Status.COMPLETED, b2.run().status());
        assertSameWeights(weights(a), weights(b2));
        assertEquals(first.values("train/loss").get(12L), second.values("train/loss").get(12L));  // reported again, same value
        assertEquals(new TreeMap<>(straight.series()), upserted(first, second));
        assertTrue(second.lines.getFirst().startsWith("resumed from step-000000010.ckpt at step 10 (epoch 2, batch 3 of 7)"),
                second.lines.getFirst());
    }

    @Test
    void backgroundLoadingGivesTheSameRun() throws Exception {
        RunSpec spec = spec(RESUMABLE.replace("epochs: 3", "epochs: 1"));
        var inline = new RecordingListener();
        Trainer a = new Trainer(spec, new TrainerOptions(DATA, dir.resolve("a"), null, 0), inline);
        a.run();
        var background = new RecordingListener();
        Trainer b = new Trainer(spec, new TrainerOptions(DATA, dir.resolve("b"), null, 2), background);
        b.run();
        assertSameWeights(weights(a), weights(b));
        assertEquals(inline.series(), background.series());
        assertEquals(List.of("val/loss", "val/accuracy", "test/loss", "test/accuracy", "train/epoch_loss"),
                List.copyOf(inline.metrics.getLast().metrics().keySet()));
    }

    @Test
    void resumeRefusesAnotherSpecsCheckpoint() throws Exception {
        RunSpec spec = spec(RESUMABLE.replace("epochs: 3", "epochs: 1"));
        trainer(spec, "a", new RecordingListener()).run();
        RunSpec other = spec(RESUMABLE.replace("epochs: 3", "epochs: 1").replace("lr: 0.05", "lr: 0.01"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> trainer(other, "b", new RecordingListener()).resume(dir.resolve("a/step-000000007.ckpt")));
        assertTrue(e.getMessage().endsWith("the checkpoint was written by a different run spec; first difference at "
                + "/optimizer/lr: 0.05 vs 0.01"), e.getMessage());
        // the message reaches the platform: no worker directories in it
        assertEquals("step-000000007.ckpt: the checkpoint was written by a different run spec; first difference at "
                + "/optimizer/lr: 0.05 vs 0.01", e.getMessage());
    }

    @Test
    void anUnreadableCheckpointIsReportedByItsFileNameOnly() throws Exception {
        Path corrupt = dir.resolve("deep/inside/the/worker/step-000000003.ckpt");
        Files.createDirectories(corrupt.getParent());
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5});
        var e = assertThrows(java.io.IOException.class,
                () -> trainer(spec(RESUMABLE), "b", new RecordingListener()).resume(corrupt));
        assertTrue(e.getMessage().startsWith("checkpoint step-000000003.ckpt cannot be read: "), e.getMessage());
        assertTrue(!e.getMessage().contains(dir.toString()) && !e.getMessage().contains("/inside/"), e.getMessage());
    }

    @Test
    void aDivergingRunFailsNamingTheStep() throws Exception {
        // least squares with a step size far past 2 / curvature: the error grows about sixfold per step until the
        // float32 loss overflows
        java.util.Random random = new java.util.Random(1);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 200; i++) {
            double a = random.nextDouble() * 2 - 1;
            double b = random.nextDouble() * 2 - 1;
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, a + b));
        }
        Files.writeString(dir.resolve("sum.csv"), csv);
        RunSpec spec = spec("""
                dataset: {name: csv, path: sum.csv, task: regression}
                model: {layers: [{type: linear, outFeatures: 1}]}
                optimizer: {type: sgd, lr: 10}
                batchSize: 16
                epochs: 20
                logging: {everySteps: 1}
                """);
        var listener = new RecordingListener();
        TrainingResult r = new Trainer(spec, TrainerOptions.of(dir, dir.resolve("run")), listener).run();
        assertEquals(TrainingResult.Status.FAILED, r.status(), r.message());
        long failedAt = r.step() + 1;
        assertTrue(r.message().matches("loss is (NaN|\\+Inf) at step " + failedAt + " \\(epoch \\d+, batch \\d+ of 10\\): "
                + "training diverged; lower the learning rate \\(lr 10.0\\) or add gradClip"), r.message());
        assertTrue(failedAt > 10 && failedAt < 100, r.message());
        TreeMap<Long, Double> loss = listener.values("train/loss");
        assertEquals(r.step(), loss.lastKey());             // every step before it was reported, none after
        assertTrue(loss.lastEntry().getValue() > 1e30, "the loss grew: " + loss.lastEntry());
        assertTrue(listener.checkpoints.stream().allMatch(c -> c.step() <= r.step()));
        assertEquals(r.message(), listener.lines.getLast());
    }

    @Test
    void cancellingStopsWithinAStep() throws Exception {
        RunSpec spec = spec("""
                dataset: {name: fashion-mnist, trainSubset: 2000, testSubset: 100}
                model: {builtin: mlp}
                optimizer: adam
                epochs: 5
                logging: {everySteps: 1}
                """);
        // from the training thread itself
        var listener = new RecordingListener() {
            Trainer self;

            @Override
            public void onMetrics(long step, int epoch, Map<String, Double> m) {
                super.onMetrics(step, epoch, m);
                if (step == 5) {
                    self.cancel();
                }
            }
        };
        Trainer t = trainer(spec, "a", listener);
        listener.self = t;
        TrainingResult r = t.run();
        assertEquals(TrainingResult.Status.CANCELLED, r.status());
        assertEquals(5, r.step());
        assertEquals(5L, listener.values("train/loss").lastKey());
        assertEquals(List.of(), listener.checkpoints);
        assertEquals("cancelled at step 5", r.message());

        // from another thread, as the worker will when the platform cancels the run
        AtomicLong stepAtCancel = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        var watcher = new RecordingListener() {
            @Override
            public void onMetrics(long step, int epoch, Map<String, Double> m) {
                super.onMetrics(step, epoch, m);
                stepAtCancel.set(step);
                started.countDown();
            }
        };
        Trainer t2 = trainer(spec, "b", watcher);
        var result = new java.util.concurrent.atomic.AtomicReference<TrainingResult>();
        Thread worker = new Thread(() -> result.set(t2.run()));
        worker.start();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        t2.cancel();
        long cancelledAfter = stepAtCancel.get();
        worker.join(60_000);
        assertEquals(TrainingResult.Status.CANCELLED, result.get().status());
        assertTrue(result.get().step() <= cancelledAfter + 1, "stopped at " + result.get().step() + ", cancelled after " + cancelledAfter);
    }

    @Test
    void earlyStoppingStopsAndTheFinalCheckpointRemembersIt() throws Exception {
        RunSpec spec = spec("""
                dataset: {name: fashion-mnist, trainSubset: 320, testSubset: 100}
                model: {builtin: mlp, args: {hidden: [32]}}
                optimizer: adam
                batchSize: 64
                epochs: 10
                earlyStopping: {metric: test/loss, patience: 1, minDelta: 10}
                checkpoint: {everyEpochs: 5}
                """);
        var listener = new RecordingListener();
        TrainingResult r = trainer(spec, "run", listener).run();
        assertEquals(TrainingResult.Status.EARLY_STOPPED, r.status());
        assertEquals(10, r.step());                       // 5 batches per epoch; evaluation 2 is the first bad one
        assertTrue(r.message().startsWith("early stopping at step 10: test/loss has not improved by more than 10.0 for 1 evaluation"),
                r.message());
        assertEquals(List.of(10L), listener.checkpoints.stream().map(RecordingListener.CheckpointEvent::step).toList());
        var again = new RecordingListener();
        TrainingResult resumed = trainer(spec, "run", again).resume(r.lastCheckpoint()).run();
        assertEquals(TrainingResult.Status.EARLY_STOPPED, resumed.status());
        assertEquals(r.message(), resumed.message());
        assertEquals(List.of(), again.metrics);
    }

    @Test
    void keepsTheBestAndTheLastCheckpointOnDisk() throws Exception {
        RunSpec spec = spec("""
                dataset: {name: fashion-mnist, trainSubset: 640, testSubset: 200}
                model: {builtin: mlp, args: {hidden: [32]}}
                optimizer: {type: sgd, lr: 0.5}
                batchSize: 32
                maxSteps: 40
                evaluation: {everySteps: 4}
                checkpoint: {everySteps: 4, keepLast: 1, keepBest: {metric: test/accuracy}}
                """);
        var listener = new RecordingListener();
        TrainingResult r = trainer(spec, "run", listener).run();
        assertEquals(TrainingResult.Status.COMPLETED, r.status());
        assertEquals(40, r.step());
        var best = listener.checkpoints.stream().max((x, y) -> {
            int c = Double.compare(x.metrics().get("test/accuracy"), y.metrics().get("test/accuracy"));
            return c != 0 ? c : Long.compare(y.step(), x.step());          // the earliest of equals
        }).orElseThrow();
        assertEquals(best.file(), r.bestCheckpoint());
        List<String> expected = new ArrayList<>(List.of(best.file().getFileName().toString(), "step-000000040.ckpt"));
        expected = expected.stream().distinct().sorted().toList();
        assertEquals(expected, files("run"));
        assertEquals(10 - expected.size(), listener.removed.size());
        for (Path removed : listener.removed) {
            assertTrue(Files.notExists(removed));
        }
    }

    @Test
    void listenerExceptionsDoNotStopTraining() throws Exception {
        RunSpec spec = spec("""
                dataset: {name: fashion-mnist, trainSubset: 128, testSubset: 64}
                model: {builtin: mlp, args: {hidden: [16]}}
                optimizer: adam
                epochs: 1
                logging: {everySteps: 1}
                """);
        TrainingListener failing = new TrainingListener() {
            @Override
            public void onMetrics(long step, int epoch, Map<String, Double> metrics) {
                throw new IllegalStateException("platform unreachable");
            }

            @Override
            public void onCheckpoint(long step, int epoch, Path file, Map<String, Double> metrics) {
                throw new IllegalStateException("upload failed");
            }
        };
        assertEquals(TrainingResult.Status.COMPLETED, trainer(spec, "run", failing).run().status());
    }

    @Test
    void cnnAndTransformerTrainAFewSteps() throws Exception {
        for (String model : List.of("{builtin: cnn, args: {channels: [8, 16], hidden: [32], batchNorm: true, dropout: 0.1}}", """
                {layers: [{type: flatten, startDim: 1, endDim: 2}, {type: linear, outFeatures: 16},
                          {type: transformerencoderlayer, nhead: 2, dimFeedforward: 32}, {type: mean, dim: 1},
                          {type: linear, outFeatures: 10}]}""")) {
            RunSpec spec = spec("""
                    dataset: {name: fashion-mnist, trainSubset: 256, testSubset: 64}
                    model: %s
                    loss: {type: cross_entropy, labelSmoothing: 0.1}
                    optimizer: {type: adamw, lr: 0.003}
                    scheduler: onecycle
                    batchSize: 32
                    maxSteps: 6
                    metrics: [accuracy, top3_accuracy]
                    gradClip: {maxNorm: 1.0}
                    """.formatted(model));
            var listener = new RecordingListener();
            TrainingResult r = trainer(spec, "run-" + model.length(), listener).run();
            assertEquals(TrainingResult.Status.COMPLETED, r.status(), r.message());
            assertEquals(6, r.step());
            assertTrue(r.metrics().get("test/top3_accuracy") >= r.metrics().get("test/accuracy"));
        }
    }

    @Test
    void csvClassificationAndRegression() throws Exception {
        // three well separated blobs in 2-D
        java.util.Random random = new java.util.Random(0);
        StringBuilder blobs = new StringBuilder("x,y,label\n");
        double[][] centers = {{0, 0}, {4, 4}, {-4, 4}};
        for (int i = 0; i < 300; i++) {
            double[] c = centers[i % 3];
            blobs.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s%n", c[0] + random.nextGaussian(), c[1] + random.nextGaussian(),
                    List.of("a", "b", "c").get(i % 3)));
        }
        Files.writeString(dir.resolve("blobs.csv"), blobs);
        RunSpec classify = spec("""
                dataset: {name: csv, path: blobs.csv, label: label}
                model: {builtin: mlp, args: {hidden: [16]}}
                optimizer: {type: adam, lr: 0.01}
                batchSize: 32
                epochs: 10
                metrics: [accuracy, f1_macro]
                """);
        TrainingResult c = new Trainer(classify, TrainerOptions.of(dir, dir.resolve("c")), new RecordingListener()).run();
        assertTrue(c.metrics().get("test/accuracy") > 0.9, c.metrics().toString());

        // y = 2 a - b + 1 plus a little noise
        StringBuilder linear = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 400; i++) {
            double a = random.nextDouble() * 2 - 1;
            double b = random.nextDouble() * 2 - 1;
            linear.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 2 * a - b + 1 + 0.01 * random.nextGaussian()));
        }
        Files.writeString(dir.resolve("linear.csv"), linear);
        RunSpec regress = spec("""
                dataset: {name: csv, path: linear.csv, task: regression}
                model: {layers: [{type: linear, outFeatures: 1}]}
                optimizer: {type: sgd, lr: 0.1}
                batchSize: 16
                epochs: 20
                metrics: [mse, mae, rmse]
                """);
        var listener = new RecordingListener();
        Trainer t = new Trainer(regress, TrainerOptions.of(dir, dir.resolve("r")), listener);
        TrainingResult r = t.run();
        assertTrue(r.metrics().get("test/mse") < 1e-3, r.metrics().toString());
        assertEquals(Math.sqrt(r.metrics().get("test/mse")), r.metrics().get("test/rmse"), 1e-12);
        assertEquals(r.metrics().get("test/mse"), r.metrics().get("test/loss"), 1e-6);
        float[] w = t.model().module().stateDict().get("0.weight").toFloatArray();
        assertEquals(2.0, w[0], 0.02);
        assertEquals(-1.0, w[1], 0.02);
        assertEquals(1.0, t.model().module().stateDict().get("0.bias").item(), 0.02);
    }

    @Test
    void aModelThatDoesNotFitTheDataFailsBeforeTraining() {
        RunSpec spec = spec("""
                dataset: {name: fashion-mnist, trainSubset: 64}
                model: {layers: [flatten, {type: linear, outFeatures: 64}, relu, {type: conv2d, outChannels: 4, kernelSize: 3}]}
                optimizer: adam
                epochs: 1
                """);
        var e = assertThrows(ModelBuildException.class, () -> trainer(spec, "run", new RecordingListener()));
        assertEquals("/model/layers/3", e.pointer());
        assertNotNull(e.getMessage());
        Tensor.manualSeed(0);
    }
}
