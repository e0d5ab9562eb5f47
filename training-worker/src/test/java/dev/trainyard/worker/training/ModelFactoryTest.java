package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.spec.ModelSpec;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes and parameter counts; the counts are PyTorch's for the same layers (worked out per layer in the comments). */
class ModelFactoryTest {
    static final int[] IMAGE = {1, 28, 28};

    static ModelSpec model(String yaml) {
        RunSpec spec = RunSpecs.parse("dataset: {name: fashion-mnist}\noptimizer: adam\nepochs: 1\nmodel:\n" + yaml.indent(2));
        return spec.model();
    }

    static ModelFactory.BuiltModel build(String yaml) {
        return ModelFactory.build(model(yaml), IMAGE, 10);
    }

    static List<String> shapes(ModelFactory.BuiltModel m) {
        return m.outputShapes().stream().map(Arrays::toString).toList();
    }

    @Test
    void cnnBuiltinIsTheReferenceCnnWithPyTorchsParameterCountAndKeys() {
        var m = build("builtin: cnn");
        // Conv2d(1,32,3): 288+32; Conv2d(32,64,3): 18432+64; Linear(1600,128): 204800+128; Linear(128,10): 1280+10
        assertEquals(225_034, m.parameterCount());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                List.copyOf(m.module().stateDict().keySet()));
        assertEquals(List.of("[32, 26, 26]", "[32, 26, 26]", "[32, 13, 13]", "[64, 11, 11]", "[64, 11, 11]", "[64, 5, 5]",
                "[1600]", "[128]", "[128]", "[10]"), shapes(m));
        assertEquals(List.of("conv2d", "relu", "maxpool2d", "conv2d", "relu", "maxpool2d", "flatten", "linear", "relu", "linear"),
                m.layers().stream().map(l -> l.type()).toList());
        assertEquals(1600, m.layers().get(7).args().getInt("inFeatures"));   // inferred
        assertTrue(m.summary().endsWith("total parameters: 225,034"), m.summary());
        // padding 1 keeps 28x28 through the convolutions: Linear(3136, 128) is 401408+128, so 421,642 in all
        var padded = build("{builtin: cnn, args: {padding: 1}}");
        assertEquals(421_642, padded.parameterCount());
        assertEquals("[3136]", Arrays.toString(padded.outputShapes().get(6)));
    }

    @Test
    void mlpBuiltins() {
        // Linear(784,256): 200704+256; Linear(256,10): 2560+10
        assertEquals(203_530, build("builtin: mlp").parameterCount());
        // Linear(784,128) 100480, BatchNorm1d(128) 256, Linear(128,64) 8256, BatchNorm1d(64) 128, Linear(64,10) 650
        var m = build("{builtin: mlp, args: {hidden: [128, 64], batchNorm: true, dropout: 0.5}}");
        assertEquals(109_770, m.parameterCount());
        assertEquals(List.of("flatten", "linear", "batchnorm1d", "relu", "dropout", "linear", "batchnorm1d", "relu", "dropout",
                "linear"), m.layers().stream().map(l -> l.type()).toList());
        assertEquals(7_850, build("{builtin: mlp, args: {hidden: []}}").parameterCount());   // a linear model: 7840+10
        // two outputs' worth of regression head on 4 features: Linear(4,256) 1280, Linear(256,1) 257
        assertEquals(1_537, ModelFactory.build(model("builtin: mlp"), new int[] {4}, 1).parameterCount());
    }

    @Test
    void everyLayerTypeBuildsWithInferredSizes() {
        var m = build("""
                layers:
                  - {type: conv2d, outChannels: 8, kernelSize: 3, padding: same}      # 72+8 = 80
                  - batchnorm2d                                                       # 16
                  - leakyrelu
                  - {type: convtranspose2d, outChannels: 4, kernelSize: 2, stride: 2} # 8*4*2*2+4 = 132
                  - {type: groupnorm, numGroups: 2}                                   # 8
                  - elu
                  - {type: avgpool2d, kernelSize: 2}
                  - {type: maxpool2d, kernelSize: 2, stride: 2}
                  - {type: adaptiveavgpool2d, outputSize: [7, 7]}
                  - {type: flatten, startDim: 2}
                  - {type: conv1d, outChannels: 6, kernelSize: 3, padding: 1}         # 4*6*3+6 = 78
                  - batchnorm1d                                                       # 12
                  - {type: gelu, approximate: tanh}
                  - layernorm                                                         # 49*2 = 98
                  - {type: dropout, p: 0.1}
                  - silu
                  - flatten
                  - {type: unflatten, dim: 1, sizes: [6, 49]}
                  - {type: mean, dim: 2}
                  - {type: linear, outFeatures: 16}                                   # 96+16 = 112
                  - tanh
                  - sigmoid
                  - identity
                  - {type: linear, outFeatures: 10}                                   # 160+10 = 170
                  - {type: logsoftmax, dim: 1}
                """);
        assertEquals(List.of("[8, 28, 28]", "[8, 28, 28]", "[8, 28, 28]", "[4, 56, 56]", "[4, 56, 56]", "[4, 56, 56]",
                "[4, 28, 28]", "[4, 14, 14]", "[4, 7, 7]", "[4, 49]", "[6, 49]", "[6, 49]", "[6, 49]", "[6, 49]", "[6, 49]",
                "[6, 49]", "[294]", "[6, 49]", "[6]", "[16]", "[16]", "[16]", "[16]", "[10]", "[10]"), shapes(m));
        assertEquals(706, m.parameterCount());
        assertEquals(8, m.layers().get(1).args().getInt("numFeatures"));
        assertEquals(4, m.layers().get(4).args().getInt("numChannels"));
        assertEquals(49, m.layers().get(13).args().getInt("normalizedShape"));
        assertEquals(6, m.layers().get(19).args().getInt("inFeatures"));
    }

    @Test
    void recurrentLayersAreBatchFirstFeatureExtractors() {
        // LSTM(28, 32): 4*32*28 + 4*32*32 + 2*4*32 = 7936; Linear(32, 10): 330
        var lstm = build("layers: [{type: flatten, startDim: 1, endDim: 2}, {type: lstm, hiddenSize: 32}, {type: linear, outFeatures: 10}]");
        assertEquals(8_266, lstm.parameterCount());
        assertEquals(List.of("[28, 28]", "[32]", "[10]"), shapes(lstm));
        assertEquals(List.of("1.rnn.weight_ih_l0", "1.rnn.weight_hh_l0", "1.rnn.bias_ih_l0", "1.rnn.bias_hh_l0", "2.weight", "2.bias"),
                List.copyOf(lstm.module().stateDict().keySet()));
        // GRU(28, 16, 2 layers, bidirectional): layer 0 2*(1344+768+96), layer 1 2*(1536+768+96) = 9216; Linear(32, 10) 330
        var gru = build("layers: [{type: flatten, startDim: 1, endDim: 2}, {type: gru, hiddenSize: 16, numLayers: 2, "
                + "bidirectional: true, output: mean}, {type: linear, outFeatures: 10}]");
        assertEquals(9_546, gru.parameterCount());
        assertEquals(List.of("[28, 28]", "[32]", "[10]"), shapes(gru));
        // RNN(28, 8, relu): 224+64+16 = 304; Linear(224, 10): 2250
        var rnn = build("layers: [{type: flatten, startDim: 1, endDim: 2}, {type: rnn, hiddenSize: 8, nonlinearity: relu, "
                + "output: sequence}, flatten, {type: linear, outFeatures: 10}]");
        assertEquals(2_554, rnn.parameterCount());
        assertEquals(List.of("[28, 28]", "[28, 8]", "[224]", "[10]"), shapes(rnn));
    }

    @Test
    void transformerEncoderLayersStack() {
        // Linear(28, 32) 928; per encoder layer: in_proj 3072+96, out_proj 1024+32, linear1 2048+64, linear2 2048+32,
        // two LayerNorms 128 = 8544, twice; Linear(32, 10) 330
        var m = build("""
                layers:
                  - {type: flatten, startDim: 1, endDim: 2}
                  - {type: linear, outFeatures: 32}
                  - {type: transformerencoderlayer, nhead: 4, dimFeedforward: 64, numLayers: 2}
                  - {type: mean, dim: 1}
                  - {type: linear, outFeatures: 10}
                """);
        assertEquals(18_346, m.parameterCount());
        assertEquals(List.of("[28, 28]", "[28, 32]", "[28, 32]", "[32]", "[10]"), shapes(m));
        assertTrue(m.module().stateDict().containsKey("2.layers.1.self_attn.in_proj_weight"), m.module().stateDict().keySet().toString());
        assertEquals(32, m.layers().get(2).args().getInt("dModel"));
    }

    @Test
    void shapeErrorsNameTheLayer() {
        var given = assertThrows(ModelBuildException.class,
                () -> build("layers: [flatten, {type: linear, inFeatures: 100, outFeatures: 10}]"));
        assertEquals(1, given.layerIndex());
        assertEquals("/model/layers/1", given.pointer());
        assertEquals("layer 1 (linear): inFeatures is 100 but its input has shape [N, 784] (784); remove inFeatures to infer it",
                given.getMessage());

        var rank = assertThrows(ModelBuildException.class,
                () -> build("layers: [flatten, {type: conv2d, outChannels: 4, kernelSize: 3}, flatten, {type: linear, outFeatures: 10}]"));
        assertEquals("/model/layers/1", rank.pointer());
        assertEquals("layer 1 (conv2d) expects input [N, C, H, W] but its input has shape [N, 784]", rank.getMessage());

        var kernel = assertThrows(ModelBuildException.class,
                () -> build("layers: [{type: conv2d, outChannels: 4, kernelSize: 30}, flatten, {type: linear, outFeatures: 10}]"));
        assertEquals(0, kernel.layerIndex());
        assertTrue(kernel.getMessage().startsWith("layer 0 (conv2d) cannot take its input of shape [N, 1, 28, 28]: "), kernel.getMessage());

        var heads = assertThrows(ModelBuildException.class, () -> build(
                "layers: [{type: flatten, startDim: 1, endDim: 2}, {type: transformerencoderlayer, nhead: 5}, {type: mean}, {type: linear, outFeatures: 10}]"));
        assertEquals(1, heads.layerIndex());
        assertTrue(heads.getMessage().startsWith("layer 1 (transformerencoderlayer): "), heads.getMessage());

        var lstm = assertThrows(ModelBuildException.class,
                () -> build("layers: [flatten, {type: lstm, hiddenSize: 8}, {type: linear, outFeatures: 10}]"));
        assertEquals("layer 1 (lstm) expects input [N, T, features] (batch first) but its input has shape [N, 784]", lstm.getMessage());
    }

    @Test
    void theOutputMustFitTheRun() {
        var classes = assertThrows(ModelBuildException.class, () -> build("layers: [flatten, {type: linear, outFeatures: 5}]"));
        assertEquals(1, classes.layerIndex());
        assertEquals("the model's output has shape [N, 5] but the run needs [N, 10] (10 class scores per example); make the "
                + "last layer give 10 outputs", classes.getMessage());
        var spatial = assertThrows(ModelBuildException.class, () -> build("layers: [{type: conv2d, outChannels: 10, kernelSize: 3}]"));
        assertTrue(spatial.getMessage().endsWith("make the last layer give 10 outputs, after a flatten"), spatial.getMessage());
        // one value per example: [N, 1] and [N] both do
        ModelFactory.build(model("layers: [flatten, {type: linear, outFeatures: 1}]"), IMAGE, 1);
        ModelFactory.build(model("layers: [{type: flatten, startDim: 0}]"), new int[] {}, 1);
        // a built-in that does not fit names the builtin and the index in its expansion
        var tiny = assertThrows(ModelBuildException.class, () -> ModelFactory.build(model("builtin: cnn"), new int[] {1, 8, 8}, 10));
        assertEquals("/model/builtin", tiny.pointer());
        assertEquals(5, tiny.layerIndex());
    }

    @Test
    void initializationFollowsTheDefaultGeneratorsSeed() {
        Tensor.manualSeed(3);
        var a = build("builtin: cnn").module().stateDict();
        Tensor.manualSeed(3);
        var b = build("builtin: cnn").module().stateDict();
        Tensor.manualSeed(4);
        var c = build("builtin: cnn").module().stateDict();
        for (var e : a.entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), b.get(e.getKey()).toFloatArray(), e.getKey());
        }
        assertFalse(Arrays.equals(a.get("0.weight").toFloatArray(), c.get("0.weight").toFloatArray()));
    }

    @Test
    void theDocsImageExamplesBuild() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "run-spec.md"));
        Matcher m = Pattern.compile("```(yaml|json)\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> built = new ArrayList<>();
        while (m.find()) {
            RunSpec spec = RunSpecs.parse(m.group(2));
            if (spec.dataset().isImage()) {
                var model = ModelFactory.build(spec.model(), IMAGE, 10);
                built.add(spec.name() + ": " + model.parameterCount());
            }
        }
        assertTrue(built.size() >= 5, built.toString());
        assertTrue(built.contains("fashion-mnist cnn: 225034"), built.toString());
    }

    @Test
    void summaryListsLayers() {
        String s = build("builtin: mlp").summary();
        assertEquals(String.join("\n",
                "  0  flatten                  [N, 784]           0",
                "  1  linear                   [N, 256]           200,960",
                "  2  relu                     [N, 256]           0",
                "  3  linear                   [N, 10]            2,570",
                "     total parameters: 203,530"), s);
        assertEquals(Map.of("inFeatures", 784, "outFeatures", 256, "bias", true), Map.copyOf(
                build("builtin: mlp").layers().get(1).args().asMap()));
    }
}
