package dev.trainyard.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every validation error path: a valid base spec is changed at one or more places (a JSON pointer set to a JSON value,
 * or removed) and the validator must report exactly one problem, at the expected pointer, with the expected message.
 */
class SpecValidatorTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOVE = "<remove>";

    static final String BASE = """
            name: base
            seed: 1
            dataset: {name: fashion-mnist, trainSubset: 1000, validationSplit: 0.1}
            model:
              layers:
                - flatten
                - {type: linear, outFeatures: 64}
                - relu
                - {type: linear, outFeatures: 10}
            loss: {type: cross_entropy}
            optimizer: {type: adam, lr: 0.001}
            scheduler: {type: step, stepSize: 1}
            batchSize: 32
            epochs: 2
            metrics: [accuracy]
            """;

    static final String CSV = "{\"name\": \"csv\", \"path\": \"iris/iris.csv\", \"label\": \"species\"}";

    @Test
    void baseSpecIsValid() {
        assertEquals(List.of(), SpecValidator.validate(BASE, Format.YAML));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // top level
                arguments("/version", "2", "/version", "must be in [1, 1], got 2"),
                arguments("/name", "5", "/name", "must be a non-empty string, got 5"),
                arguments("/seed", "-1", "/seed", "must be >= 0, got -1"),
                arguments("/extra", "1", "/extra", "unknown field 'extra' in the run spec; expected one of [version, name, seed"),
                arguments("/a~1b", "1", "/a~1b", "unknown field 'a/b'"),
                arguments("/batchSize", "0", "/batchSize", "must be in [1, 65536], got 0"),
                arguments("/batchSize", "\"64\"", "/batchSize", "must be an integer, got '64'"),
                arguments("/epochs", "1.5", "/epochs", "must be an integer, got 1.5"),
                arguments("/epochs", "2.0", "/epochs", "must be an integer, got 2.0 (write it without a decimal point)"),
                arguments("/maxSteps", "100", "/maxSteps", "epochs and maxSteps are mutually exclusive; give one of them"),
                arguments("/epochs", REMOVE, "", "one of epochs or maxSteps is required"),
                // dataset
                arguments("/dataset", REMOVE, "/dataset", "missing required field 'dataset' (an object)"),
                arguments("/dataset", "\"fmnist\"", "/dataset", "must be an object, got 'fmnist'"),
                arguments("/dataset/name", REMOVE, "/dataset/name", "missing required field 'name' (one of [fashion-mnist, mnist, csv])"),
                arguments("/dataset/name", "\"cifar10\"", "/dataset/name", "must be one of [fashion-mnist, mnist, csv], got 'cifar10'"),
                arguments("/dataset/name", "\"fashion_mnist\"", "/dataset/name", "(did you mean 'fashion-mnist'?)"),
                arguments("/dataset/path", "\"../etc\"", "/dataset/path", "must be a path relative to the worker's data root, without '..', got '../etc'"),
                arguments("/dataset/path", "\"/etc/passwd\"", "/dataset/path", "must be a path relative to the worker's data root"),
                arguments("/dataset/artifact", "\"md5:abc\"", "/dataset/artifact", "must be 'sha256:' followed by 64 hex digits, got 'md5:abc'"),
                arguments("/dataset/trainSubset", "0", "/dataset/trainSubset", "must be in [1, 100000000], got 0"),
                arguments("/dataset/testSubset", "-5", "/dataset/testSubset", "must be in [1, 100000000], got -5"),
                arguments("/dataset/validationSplit", "1", "/dataset/validationSplit", "must be in [0, 1), got 1"),
                arguments("/dataset/splitSeed", "-1", "/dataset/splitSeed", "must be >= 0, got -1"),
                arguments("/dataset/label", "\"y\"", "/dataset/label", "only applies to csv datasets"),
                arguments("/dataset/testSplit", "0.2", "/dataset/testSplit", "only applies to csv datasets"),
                arguments("/dataset/task", "\"regression\"", "/dataset/task", "fashion-mnist is a classification dataset; regression needs a csv dataset"),
                arguments("/dataset/task", "\"ranking\"", "/dataset/task", "must be one of [classification, regression], got 'ranking'"),
                arguments("/dataset/normalize", "{\"mean\": [0.5, 0.5, 0.5], \"std\": [0.5]}", "/dataset/normalize/mean", "must have 1 value (the images have 1 channel), got 3"),
                arguments("/dataset/normalize", "{\"mean\": [0.5], \"std\": [0]}", "/dataset/normalize/std/0", "must be > 0, got 0"),
                arguments("/dataset/normalize", "{\"mean\": [0.5]}", "/dataset/normalize/std", "missing required field 'std'"),
                arguments("/dataset/augment", "{\"rotate\": 10}", "/dataset/augment/rotate", "unknown field 'rotate' in augment; expected one of [randomCropPadding, horizontalFlip]"),
                arguments("/dataset/augment", "{\"horizontalFlip\": 2}", "/dataset/augment/horizontalFlip", "must be in [0, 1], got 2"),
                arguments("/dataset/shuffle", "true", "/dataset/shuffle", "unknown field 'shuffle' in dataset"),
                // model
                arguments("/model", REMOVE, "/model", "missing required field 'model' (an object)"),
                arguments("/model/builtin", "\"mlp\"", "/model/builtin", "layers and builtin are mutually exclusive; give one of them"),
                arguments("/model/layers", REMOVE, "/model", "needs either layers (a list) or builtin (one of [mlp, cnn])"),
                arguments("/model/layers", "{}", "/model/layers", "must be a list of layers, got an object"),
                arguments("/model/layers", "[]", "/model/layers", "must have at least one layer"),
                arguments("/model/layers/3", "{\"type\": \"conv3d\", \"kernelSize\": 3}", "/model/layers/3/type",
                        "unknown layer type 'conv3d'; expected one of [linear, conv1d, conv2d, convtranspose2d, maxpool2d"),
                arguments("/model/layers/2", "\"rleu\"", "/model/layers/2", "unknown layer type 'rleu'; expected one of"),
                arguments("/model/layers/2", "\"rleu\"", "/model/layers/2", "(did you mean 'relu'?)"),
                arguments("/model/layers/2", "{\"type\": 7}", "/model/layers/2/type", "must be the name of a layer type (one of [linear"),
                arguments("/model/layers/2", "{\"negativeSlope\": 0.1}", "/model/layers/2/type", "missing required field 'type' (one of [linear"),
                arguments("/model/layers/2", "5", "/model/layers/2", "must be an object (a layer type (an object with a type, or just the type's name)), got 5"),
                arguments("/model/layers/1", "\"linear\"", "/model/layers/1/outFeatures", "missing required field 'outFeatures' of layer type 'linear' (an integer in [1, 16384])"),
                arguments("/model/layers/1", "{\"type\": \"linear\"}", "/model/layers/1/outFeatures", "missing required field 'outFeatures' of layer type 'linear' (an integer in [1, 16384])"),
                arguments("/model/layers/1/outFeatures", "0", "/model/layers/1/outFeatures", "must be in [1, 16384], got 0"),
                arguments("/model/layers/1/bais", "false", "/model/layers/1/bais", "unknown field 'bais' in layer type 'linear'; expected one of [type, inFeatures, outFeatures, bias] (did you mean 'bias'?)"),
                arguments("/model/layers/1/bias", "\"yes\"", "/model/layers/1/bias", "must be true or false, got 'yes'"),
                arguments("/model/layers/0", "{\"type\": \"conv2d\", \"outChannels\": 8, \"kernelSize\": [3, 3, 3]}", "/model/layers/0/kernelSize", "must be an integer or a pair [h, w], got a list of 3"),
                arguments("/model/layers/0", "{\"type\": \"conv2d\", \"outChannels\": 8, \"kernelSize\": [3, 0]}", "/model/layers/0/kernelSize/1", "must be in [1, 1024], got 0"),
                arguments("/model/layers/0", "{\"type\": \"conv2d\", \"outChannels\": 8, \"kernelSize\": 3, \"padding\": \"full\"}", "/model/layers/0/padding", "must be an integer in [0, 1024], a pair [h, w], 'same' or 'valid', got 'full'"),
                arguments("/model/layers/2", "{\"type\": \"dropout\", \"p\": 1}", "/model/layers/2/p", "must be in [0, 1), got 1"),
                arguments("/model/layers/2", "{\"type\": \"gelu\", \"approximate\": \"fast\"}", "/model/layers/2/approximate", "must be one of [none, tanh], got 'fast'"),
                arguments("/model/layers/2", "{\"type\": \"lstm\", \"hiddenSize\": 8, \"output\": \"first\"}", "/model/layers/2/output", "must be one of [last, mean, sequence], got 'first'"),
                arguments("/model/layers/2", "{\"type\": \"unflatten\", \"dim\": 1, \"sizes\": []}", "/model/layers/2/sizes", "must have at least 1 element, got 0"),
                arguments("/model/args", "{\"hidden\": [32]}", "/model/args", "only applies to a builtin model; give each layer its own arguments"),
                // built-in models
                arguments("/model", "{\"builtin\": \"resnet\"}", "/model/builtin", "must be one of [mlp, cnn], got 'resnet'"),
                arguments("/model", "{\"builtin\": \"mlp\", \"args\": {\"hidden\": [0]}}", "/model/args/hidden/0", "must be in [1, 16384], got 0"),
                arguments("/model", "{\"builtin\": \"mlp\", \"args\": {\"hiden\": [64]}}", "/model/args/hiden", "unknown field 'hiden' in builtin model 'mlp'; expected one of [hidden, activation, dropout, batchNorm] (did you mean 'hidden'?)"),
                arguments("/model", "{\"builtin\": \"mlp\", \"args\": {\"activation\": \"swish\"}}", "/model/args/activation", "must be one of [relu, leakyrelu, elu, gelu, silu, tanh, sigmoid], got 'swish'"),
                arguments("/model", "{\"builtin\": \"mlp\", \"args\": [1]}", "/model/args", "must be an object, got [1]"),
                // loss
                arguments("/loss", "\"hinge\"", "/loss", "unknown loss 'hinge'; expected one of [cross_entropy, nll, bce_with_logits, mse, l1, smooth_l1, huber]"),
                arguments("/loss/type", "\"crossentropy\"", "/loss/type", "(did you mean 'cross_entropy'?)"),
                arguments("/loss", "{\"type\": \"mse\"}", "/loss/type", "mse is a regression loss but the dataset's task is classification; use one of [cross_entropy, nll, bce_with_logits]"),
                arguments("/loss/labelSmoothing", "1.5", "/loss/labelSmoothing", "must be in [0, 1], got 1.5"),
                arguments("/loss/classWeights", "[1, -1]", "/loss/classWeights/1", "must be >= 0, got -1"),
                // optimizer
                arguments("/optimizer", REMOVE, "/optimizer", "missing required field 'optimizer' (one of [sgd, adam, adamw, rmsprop, adagrad])"),
                arguments("/optimizer/type", "\"adamx\"", "/optimizer/type", "unknown optimizer 'adamx'; expected one of [sgd, adam, adamw, rmsprop, adagrad]"),
                arguments("/optimizer/lr", "-0.1", "/optimizer/lr", "must be > 0, got -0.1"),
                arguments("/optimizer/lr", "\".nan\"", "/optimizer/lr", "must be a number, got '.nan'"),
                arguments("/optimizer/momentun", "0.9", "/optimizer/momentun", "unknown field 'momentun' in optimizer 'adam'; expected one of [type, lr, betas, eps, weightDecay, amsgrad, maximize]"),
                arguments("/optimizer/betas", "[0.9, 1.0]", "/optimizer/betas/1", "must be in [0, 1), got 1.0"),
                arguments("/optimizer/betas", "[0.9]", "/optimizer/betas", "must be a list of 2 values, got [0.9]"),
                arguments("/optimizer", "{\"type\": \"sgd\", \"lr\": 0.1, \"nesterov\": true}", "/optimizer/nesterov", "needs momentum > 0 and dampening 0, got momentum 0 and dampening 0"),
                // scheduler
                arguments("/scheduler/type", "\"cyclic\"", "/scheduler/type", "unknown scheduler 'cyclic'; expected one of [step, multistep, exponential, cosine, linear, onecycle, plateau]"),
                arguments("/scheduler", "\"step\"", "/scheduler/stepSize", "missing required field 'stepSize' of scheduler 'step' (an integer in [1, 1000000000]); write it as an object {type: step, stepSize: ...}"),
                arguments("/scheduler", "{\"type\": \"step\"}", "/scheduler/stepSize", "missing required field 'stepSize' of scheduler 'step' (an integer in [1, 1000000000])"),
                arguments("/scheduler/interval", "\"batch\"", "/scheduler/interval", "must be one of [epoch, step], got 'batch'"),
                arguments("/scheduler", "{\"type\": \"multistep\", \"milestones\": [5, 3]}", "/scheduler/milestones", "must be strictly increasing, got [5, 3]"),
                arguments("/scheduler", "{\"type\": \"onecycle\", \"baseMomentum\": 0.99}", "/scheduler/baseMomentum", "must be <= maxMomentum (0.95), got 0.99"),
                arguments("/scheduler", "{\"type\": \"plateau\", \"metric\": \"val/acc\"}", "/scheduler/metric", "unknown metric 'val/acc'; this run reports [val/loss, val/accuracy, test/loss, test/accuracy, train/epoch_loss]"),
                arguments("/scheduler", "{\"type\": \"plateau\", \"mode\": \"up\"}", "/scheduler/mode", "must be one of [min, max], got 'up'"),
                arguments("/scheduler", "{\"type\": \"linear\", \"startFactor\": 0}", "/scheduler/startFactor", "must be in (0, 1], got 0"),
                arguments("/scheduler", "{\"type\": \"cosine\", \"interval\": \"epoch\", \"stepSize\": 3}", "/scheduler/stepSize", "unknown field 'stepSize' in scheduler 'cosine'"),
                // metrics
                arguments("/metrics", "\"accuracy\"", "/metrics", "must be a list of metrics, got 'accuracy'"),
                arguments("/metrics/0", "\"acc\"", "/metrics/0", "unknown metric 'acc'; expected one of [accuracy, top5_accuracy"),
                arguments("/metrics/0", "{\"type\": \"kappa\"}", "/metrics/0/type", "must be one of [accuracy, precision, recall, f1, auroc, mse, mae, rmse], got 'kappa'"),
                arguments("/metrics/0", "{\"type\": \"f1\", \"topK\": 3}", "/metrics/0/topK", "only applies to accuracy"),
                arguments("/metrics/0", "\"top3_f1\"", "/metrics/0", "top-k only applies to accuracy"),
                arguments("/metrics/0", "{\"type\": \"auroc\", \"average\": \"micro\"}", "/metrics/0/average", "auroc supports the averages [macro, weighted], got 'micro'"),
                arguments("/metrics/0", "\"auroc_micro\"", "/metrics/0", "auroc supports the averages [macro, weighted], got 'micro'"),
                arguments("/metrics/0", "{\"type\": \"accuracy\", \"topK\": 20}", "/metrics/0/topK", "must be <= 10 (fashion-mnist has 10 classes), got 20"),
                arguments("/metrics/0", "\"mse\"", "/metrics/0", "mse is a regression metric but the dataset's task is classification"),
                arguments("/metrics", "[\"accuracy\", {\"type\": \"accuracy\"}]", "/metrics/1", "duplicate metric 'accuracy'"),
                arguments("/metrics/0", "{\"type\": \"accuracy\", \"k\": 5}", "/metrics/0/k", "unknown field 'k' in a metric; expected one of [type, topK, average]"),
                // evaluation and logging
                arguments("/evaluation", "{\"everyEpochs\": 1, \"everySteps\": 100}", "/evaluation/everySteps", "everyEpochs and everySteps are mutually exclusive; give one of them"),
                arguments("/evaluation", "{\"splits\": [\"test\", \"test\"]}", "/evaluation/splits/1", "duplicate split 'test'"),
                arguments("/evaluation", "{\"splits\": [\"train\"]}", "/evaluation/splits/0", "must be one of [validation, test], got 'train'"),
                arguments("/evaluation", "{\"batchSize\": 0}", "/evaluation/batchSize", "must be in [1, 65536], got 0"),
                arguments("/evaluation", "{\"every\": 1}", "/evaluation/every", "unknown field 'every' in evaluation; expected one of [everyEpochs, everySteps, batchSize, splits]"),
                arguments("/logging", "{\"everySteps\": 0}", "/logging/everySteps", "must be in [1, 1000000000], got 0"),
                arguments("/logging", "{\"interval\": 10}", "/logging/interval", "unknown field 'interval' in logging; expected one of [everySteps]"),
                // checkpoints, early stopping, clipping
                arguments("/checkpoint", "{\"everyEpochs\": 1, \"everySteps\": 100}", "/checkpoint/everySteps", "everyEpochs and everySteps are mutually exclusive; give one of them"),
                arguments("/checkpoint", "{\"keepLast\": 0}", "/checkpoint/keepLast", "must be in [1, 10000], got 0"),
                arguments("/checkpoint", "{\"keepBest\": {\"mode\": \"max\"}}", "/checkpoint/keepBest/metric", "missing required field 'metric' (a non-empty string)"),
                arguments("/checkpoint", "{\"keepBest\": {\"metric\": \"val/f1\"}}", "/checkpoint/keepBest/metric", "unknown metric 'val/f1'; this run reports [val/loss, val/accuracy"),
                arguments("/checkpoint", "{\"keepBest\": {\"metric\": \"val/loss\", \"mode\": \"lowest\"}}", "/checkpoint/keepBest/mode", "must be one of [min, max], got 'lowest'"),
                arguments("/earlyStopping", "{\"metric\": \"val/los\"}", "/earlyStopping/metric", "unknown metric 'val/los'; this run reports [val/loss, val/accuracy, test/loss, test/accuracy, train/epoch_loss] (did you mean 'val/loss'?)"),
                arguments("/earlyStopping", "{\"metric\": \"val/loss\", \"patience\": 0}", "/earlyStopping/patience", "must be in [1, 10000], got 0"),
                arguments("/earlyStopping", "{\"metric\": \"val/loss\", \"minDelta\": -1}", "/earlyStopping/minDelta", "must be >= 0, got -1"),
                arguments("/earlyStopping", "{\"patience\": 2}", "/earlyStopping/metric", "missing required field 'metric' (a non-empty string)"),
                arguments("/gradClip", "{\"maxNorm\": 1, \"value\": 1}", "/gradClip/value", "maxNorm and value are mutually exclusive; give one of them"),
                arguments("/gradClip", "{}", "/gradClip", "needs maxNorm (clip the gradient norm) or value (clip each element)"),
                arguments("/gradClip", "{\"maxNorm\": 0}", "/gradClip/maxNorm", "must be > 0, got 0"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("errors")
    void reportsOneProblemAtItsPointer(String at, String value, String pointer, String message) throws Exception {
        List<SpecProblem> problems = SpecValidator.validate(with(BASE, at, value));
        assertEquals(1, problems.size(), "expected one problem, got " + problems);
        SpecProblem p = problems.getFirst();
        assertEquals(pointer, p.pointer(), p.toString());
        assertTrue(p.message().contains(message), "message '" + p.message() + "' should contain '" + message + "'");
    }

    static Stream<Arguments> csvErrors() {
        return Stream.of(
                arguments("/dataset", "{\"name\": \"csv\", \"label\": \"species\"}", "/dataset/path", "a csv dataset needs a path (relative to the worker's data root) or an artifact"),
                arguments("/dataset/artifact", "\"sha256:" + "ab".repeat(32) + "\"", "/dataset/artifact", "path and artifact are mutually exclusive; give one of them"),
                arguments("/dataset/normalize", "{\"mean\": [0], \"std\": [1]}", "/dataset/normalize", "only applies to image datasets (fashion-mnist, mnist)"),
                arguments("/dataset/testPath", "\"../test.csv\"", "/dataset/testPath", "must be a path relative to the worker's data root, without '..', got '../test.csv'"),
                arguments("/dataset/testPath", "\"iris/test.csv\"", "/dataset/testSplit", "testPath and testSplit are mutually exclusive; give one of them"),
                arguments("/dataset/delimiter", "\";;\"", "/dataset/delimiter", "must be a single character, got ';;'"),
                arguments("/dataset/header", "false", "/dataset/label", "a column name needs header: true; give the column's index instead"),
                arguments("/dataset/label", "1.5", "/dataset/label", "must be a column name or index, got 1.5"),
                arguments("/dataset/testSplit", "1", "/dataset/testSplit", "must be in (0, 1), got 1"),
                arguments("/model", "{\"builtin\": \"cnn\"}", "/model/builtin", "cnn needs images [1, 28, 28] but the csv dataset gives feature vectors; use mlp or a layer list"),
                arguments("/dataset/task", "\"regression\"", "/loss/type", "cross_entropy needs class labels but the dataset's task is regression; use one of [mse, l1, smooth_l1, huber]"));
    }

    /** The same, on a csv variant of the base spec (dataset replaced, testSplit given). */
    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("csvErrors")
    void csvProblems(String at, String value, String pointer, String message) throws Exception {
        String base = JSON.writeValueAsString(with(BASE, "/dataset", CSV, "/dataset/testSplit", "0.2", "/metrics", "[\"accuracy\"]"));
        List<SpecProblem> problems = SpecValidator.validate(with(base, at, value));
        assertTrue(problems.stream().anyMatch(p -> p.pointer().equals(pointer) && p.message().contains(message)),
                "expected " + pointer + ": ..." + message + " in " + problems);
    }

    @Test
    void regressionMetricsNeedRegressionTasksAndTheOtherWayRound() throws Exception {
        JsonNode regression = with(BASE, "/dataset", CSV, "/dataset/task", "\"regression\"", "/loss", "\"mse\"",
                "/metrics", "[\"mse\", \"accuracy\"]");
        List<SpecProblem> problems = SpecValidator.validate(regression);
        assertEquals(List.of(new SpecProblem("/metrics/1", "accuracy needs class labels but the dataset's task is regression",
                "accuracy")), problems);
    }

    @Test
    void reportsEveryProblemAtOnceInSpecOrder() throws Exception {
        JsonNode spec = with(BASE, "/optimizer/lr", "-0.1", "/model/layers/3", "{\"type\": \"conv3d\"}", "/batchSize", "0",
                "/extra", "true");
        List<String> pointers = SpecValidator.validate(spec).stream().map(SpecProblem::pointer).toList();
        assertEquals(List.of("/model/layers/3/type", "/optimizer/lr", "/batchSize", "/extra"), pointers);
    }

    @Test
    void problemsPrintAsPointerColonMessageAndKeepTheRejectedValue() throws Exception {
        SpecProblem p = SpecValidator.validate(with(BASE, "/optimizer/lr", "-0.1")).getFirst();
        assertEquals("/optimizer/lr: must be > 0, got -0.1", p.toString());
        assertEquals(-0.1, p.rejectedValue());
        SpecProblem missing = SpecValidator.validate(with(BASE, "/epochs", REMOVE)).getFirst();
        assertEquals("(document): one of epochs or maxSteps is required", missing.toString());
        assertEquals(null, missing.rejectedValue());
    }

    @Test
    void syntaxErrorsAndDuplicateKeysAreProblemsOfTheDocument() {
        List<SpecProblem> json = SpecValidator.validate("{\"epochs\": 2,}", Format.AUTO);
        assertEquals(1, json.size());
        assertEquals("", json.getFirst().pointer());
        assertTrue(json.getFirst().message().startsWith("not valid JSON at line 1, column 14: "), json.toString());

        List<SpecProblem> yaml = SpecValidator.validate("epochs: 2\nepochs: 3\n", Format.YAML);
        assertTrue(yaml.getFirst().message().startsWith("not valid YAML at line 2"), yaml.toString());
        assertTrue(yaml.getFirst().message().contains("Duplicate field 'epochs'"), yaml.toString());

        assertEquals("the spec is empty", SpecValidator.validate("  \n", Format.AUTO).getFirst().message());
        assertEquals("must be an object (the run spec), got [1, 2]", SpecValidator.validate("[1, 2]", Format.AUTO).getFirst().message());
    }

    @Test
    void nonFiniteNumbersAreRejected() throws Exception {
        List<SpecProblem> yaml = SpecValidator.validate(BASE.replace("lr: 0.001", "lr: .inf"), Format.YAML);
        assertEquals(1, yaml.size());
        assertTrue(yaml.getFirst().message().contains("'.inf'"), yaml.toString());
        JsonNode tree = with(BASE);
        ((ObjectNode) tree.get("optimizer")).put("lr", Double.NaN);
        assertEquals(List.of(new SpecProblem("/optimizer/lr", "must be a finite number, got NaN", Double.NaN)),
                SpecValidator.validate(tree));
    }

    @Test
    void anInvalidMaxStepsIsReportedWithTheConflict() throws Exception {
        assertEquals(List.of("/maxSteps: must be in [1, 1000000000], got 0"),
                SpecValidator.validate(with(BASE, "/epochs", REMOVE, "/maxSteps", "0")).stream().map(SpecProblem::toString).toList());
        assertEquals(List.of(), SpecValidator.validate(with(BASE, "/epochs", REMOVE, "/maxSteps", "500")));
    }

    @Test
    void parseThrowsWithEveryProblem() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSpecException.class,
                () -> RunSpecs.parse(BASE.replace("lr: 0.001", "lr: 0").replace("batchSize: 32", "batchSize: -1")));
        assertEquals(2, e.problems().size());
        assertEquals("""
                invalid run spec (2 problems)
                  /optimizer/lr: must be > 0, got 0
                  /batchSize: must be in [1, 65536], got -1""", e.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    /** The spec text parsed, with each (pointer, JSON value) pair applied: set, or removed for {@link #REMOVE}. */
    static JsonNode with(String spec, String... changes) throws Exception {
        JsonNode root = YAML.readTree(spec);
        for (int i = 0; i < changes.length; i += 2) {
            String pointer = changes[i];
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = root.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            if (changes[i + 1].equals(REMOVE)) {
                if (parent instanceof ObjectNode o) {
                    o.remove(last);
                } else {
                    ((ArrayNode) parent).remove(Integer.parseInt(last));
                }
                continue;
            }
            JsonNode value = JSON.readTree(changes[i + 1]);
            if (parent instanceof ObjectNode o) {
                o.set(last, value);
            } else {
                ArrayNode a = (ArrayNode) parent;
                int index = Integer.parseInt(last);
                if (index < a.size()) {
                    a.set(index, value);
                } else {
                    a.add(value);
                }
            }
        }
        return root;
    }
}
