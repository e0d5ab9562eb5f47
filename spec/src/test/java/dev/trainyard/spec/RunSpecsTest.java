package dev.trainyard.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSpecsTest {

    static final String MINIMAL = """
            dataset: {name: fashion-mnist}
            model: {builtin: mlp}
            optimizer: adam
            epochs: 1
            """;

    @Test
    void minimalSpecGetsEveryDefault() {
        RunSpec s = RunSpecs.parse(MINIMAL);
        assertEquals(1, s.version());
        assertNull(s.name());
        assertEquals(0, s.seed());
        assertEquals("fashion-mnist", s.dataset().path());
        assertNull(s.dataset().trainSubset());
        assertEquals(0.0, s.dataset().validationSplit());
        assertEquals(DatasetSpec.Task.CLASSIFICATION, s.dataset().task());
        assertEquals(ModelSpec.ofBuiltin("mlp", Options.of(Map.of("hidden", List.of(256), "activation", "relu", "dropout", 0.0,
                "batchNorm", false))), s.model());
        assertEquals(List.of("hidden", "activation", "dropout", "batchNorm"), List.copyOf(s.model().args().asMap().keySet()));
        assertEquals(new LossSpec("cross_entropy", Options.of(Map.of("labelSmoothing", 0.0))), s.loss());
        assertEquals("adam", s.optimizer().type());
        assertEquals(0.001, s.optimizer().lr());
        assertEquals(List.of(0.9, 0.999), s.optimizer().options().getDoubles("betas"));
        assertEquals(1e-8, s.optimizer().options().getDouble("eps"));
        assertNull(s.scheduler());
        assertEquals(64, s.batchSize());
        assertEquals(1, s.epochs());
        assertNull(s.maxSteps());
        assertEquals(List.of(new MetricSpec("accuracy", 1, "micro")), s.metrics());
        assertEquals(new EvaluationSpec(1, null, 1000, List.of("test")), s.evaluation());
        assertEquals(new LoggingSpec(50), s.logging());
        assertEquals(new CheckpointSpec(1, null, 1, null), s.checkpoint());
        assertNull(s.earlyStopping());
        assertNull(s.gradClip());
        assertEquals(List.of("test/loss", "test/accuracy", "train/epoch_loss"), s.evaluationMetricKeys());
    }

    @Test
    void yamlAndJsonGiveTheSameSpec() {
        String yaml = """
                name: cnn
                seed: 3
                dataset: {name: mnist, trainSubset: 500, validationSplit: 0.2, normalize: {mean: [0.1307], std: [0.3081]}}
                model:
                  layers:
                    - {type: conv2d, outChannels: 8, kernelSize: [3, 5], padding: same}
                    - relu
                    - flatten
                    - {type: linear, outFeatures: 10}
                loss: {type: cross_entropy, labelSmoothing: 0.05}
                optimizer: {type: sgd, lr: 0.1, momentum: 0.9}
                scheduler: {type: cosine, interval: step}
                maxSteps: 300
                metrics: [top3_accuracy, {type: f1}]
                checkpoint: {everySteps: 100, keepLast: 2, keepBest: {metric: val/f1_macro}}
                earlyStopping: {metric: val/loss, patience: 2}
                gradClip: {value: 0.5}
                """;
        String json = """
                {"name": "cnn", "seed": 3,
                 "dataset": {"name": "mnist", "trainSubset": 500, "validationSplit": 0.2,
                             "normalize": {"mean": [0.1307], "std": [0.3081]}},
                 "model": {"layers": [{"type": "conv2d", "outChannels": 8, "kernelSize": [3, 5], "padding": "same"},
                                      "relu", "flatten", {"type": "linear", "outFeatures": 10}]},
                 "loss": {"type": "cross_entropy", "labelSmoothing": 0.05},
                 "optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9},
                 "scheduler": {"type": "cosine", "interval": "step"},
                 "maxSteps": 300,
                 "metrics": ["top3_accuracy", {"type": "f1"}],
                 "checkpoint": {"everySteps": 100, "keepLast": 2, "keepBest": {"metric": "val/f1_macro"}},
                 "earlyStopping": {"metric": "val/loss", "patience": 2},
                 "gradClip": {"value": 0.5}}
                """;
        RunSpec fromYaml = RunSpecs.parse(yaml, Format.YAML);
        RunSpec fromJson = RunSpecs.parse(json, Format.JSON);
        assertEquals(fromYaml, fromJson);
        assertEquals(fromYaml, RunSpecs.parse(json));           // auto-detected
        RunSpec s = fromYaml;
        LayerSpec conv = s.model().layers().getFirst();
        assertEquals("conv2d", conv.type());
        assertEquals(List.of(3, 5), conv.args().get("kernelSize"));
        assertEquals("same", conv.args().get("padding"));
        assertEquals(1, conv.args().get("stride"));
        assertFalse(conv.args().has("inChannels"));             // inferred by the worker
        assertEquals(300L, s.maxSteps());
        assertTrue(s.scheduler().perStep());
        assertEquals(List.of(new MetricSpec("accuracy", 3, "micro"), new MetricSpec("f1", 1, "macro")), s.metrics());
        assertEquals(List.of("top3_accuracy", "f1_macro"), s.metrics().stream().map(MetricSpec::key).toList());
        assertEquals(List.of("validation", "test"), s.evaluation().splits());
        assertEquals(new CheckpointSpec.KeepBest("val/f1_macro", Mode.MAX), s.checkpoint().keepBest());
        assertEquals(new EarlyStoppingSpec("val/loss", Mode.MIN, 2, 0.0), s.earlyStopping());
        assertEquals(new GradClipSpec(null, 0.5), s.gradClip());
    }

    @Test
    void canonicalJsonRoundTrips() {
        for (String text : List.of(MINIMAL, SpecValidatorTest.BASE, """
                dataset: {name: csv, path: d/train.csv, testPath: d/test.csv, label: 0, header: false, delimiter: ";", task: regression}
                model: {layers: [{type: linear, outFeatures: 1}]}
                loss: {type: smooth_l1, beta: 0.5}
                optimizer: {type: rmsprop, centered: true}
                scheduler: {type: plateau, factor: 0.5}
                maxSteps: 10
                metrics: [mae, rmse]
                """)) {
            RunSpec spec = RunSpecs.parse(text);
            String json = RunSpecs.toJson(spec);
            assertEquals(spec, RunSpecs.parse(json), json);
            assertEquals(json, RunSpecs.toJson(RunSpecs.parse(json)));
            assertEquals(List.of(), SpecValidator.validate(spec));
        }
    }

    @Test
    void plateauDefaultsToTheFirstSplitsLossAndInfersModes() {
        RunSpec s = RunSpecs.parse(MINIMAL + "scheduler: plateau\ncheckpoint: {keepBest: {metric: test/loss}}\n"
                + "earlyStopping: {metric: test/accuracy}\n");
        assertEquals("test/loss", s.scheduler().options().getString("metric"));
        assertEquals("min", s.scheduler().options().getString("mode"));
        assertEquals(Mode.MIN, s.checkpoint().keepBest().mode());
        assertEquals(Mode.MAX, s.earlyStopping().mode());
        assertTrue(s.scheduler().onPlateau());
    }

    @Test
    void csvDefaultsAndTheirAbsenceOnImages() {
        RunSpec csv = RunSpecs.parse("""
                dataset: {name: csv, path: iris.csv}
                model: {builtin: mlp, args: {hidden: []}}
                optimizer: sgd
                epochs: 1
                """);
        assertEquals(0.2, csv.dataset().testSplit());
        assertEquals(-1, csv.dataset().label());
        assertTrue(csv.dataset().header());
        assertEquals(",", csv.dataset().delimiter());
        assertFalse(csv.dataset().isImage());
        RunSpec artifact = RunSpecs.parse(MINIMAL.replace("{name: fashion-mnist}", "{name: fashion-mnist, artifact: SHA256:"
                + "AB".repeat(32) + "}"));
        assertEquals("sha256:" + "ab".repeat(32), artifact.dataset().artifact());
        assertNull(artifact.dataset().path());
    }

    @Test
    void namesAreCaseInsensitiveAndNormalized() {
        RunSpec s = RunSpecs.parse(MINIMAL.replace("optimizer: adam", "optimizer: {type: AdamW}")
                .replace("model: {builtin: mlp}", "model: {layers: [Flatten, {type: Linear, outFeatures: 10}]}"));
        assertEquals("adamw", s.optimizer().type());
        assertEquals(List.of("flatten", "linear"), s.model().layers().stream().map(LayerSpec::type).toList());
    }

    @Test
    void metricKeysAndModes() {
        assertEquals("accuracy", new MetricSpec("accuracy", 1, "micro").key());
        assertEquals("top5_accuracy", new MetricSpec("accuracy", 5, "micro").key());
        assertEquals("accuracy_macro", new MetricSpec("accuracy", 1, "macro").key());
        assertEquals("precision_weighted", new MetricSpec("precision", 1, "weighted").key());
        assertEquals("auroc", new MetricSpec("auroc", 1, "macro").key());
        assertEquals("auroc_weighted", new MetricSpec("auroc", 1, "weighted").key());
        assertEquals("mae", new MetricSpec("mae", 1, null).key());
        assertTrue(Mode.MIN.improves(0.5, 0.6, 0.05));
        assertFalse(Mode.MIN.improves(0.56, 0.6, 0.05));
        assertTrue(Mode.MAX.improves(0.7, null, 0));
        assertFalse(Mode.MAX.improves(Double.NaN, 0.1, 0));
        assertTrue(Mode.MAX.improves(0.1, Double.NaN, 0));
    }

    @Test
    void catalogCoversTheEngineLayersTheWorkerBuilds() {
        assertEquals(List.of("linear", "conv1d", "conv2d", "convtranspose2d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d",
                "batchnorm1d", "batchnorm2d", "layernorm", "groupnorm", "dropout", "embedding", "flatten", "unflatten", "mean",
                "relu", "leakyrelu", "elu", "gelu", "silu", "sigmoid", "tanh", "softmax", "logsoftmax", "identity", "lstm", "gru",
                "rnn", "transformerencoderlayer"), List.copyOf(Catalog.layers().keySet()));
        assertEquals(List.of("step", "multistep", "exponential", "cosine", "linear", "onecycle", "plateau"),
                List.copyOf(Catalog.schedulers().keySet()));
    }

    @Test
    void layerSpecOfFillsDefaultsAndChecksNames() {
        LayerSpec l = LayerSpec.of("conv2d", Map.of("outChannels", 4, "kernelSize", 3));
        assertEquals(Map.of("outChannels", 4, "kernelSize", 3, "stride", 1, "padding", 0, "dilation", 1, "groups", 1, "bias", true),
                l.args().asMap());
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("conv3d", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("linear", Map.of("outFeatures", 2, "units", 3)));
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("linear", Map.of()));
    }
}
