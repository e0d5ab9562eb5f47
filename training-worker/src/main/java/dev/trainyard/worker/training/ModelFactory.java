package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.nn.AdaptiveAvgPool2d;
import dev.trainyard.engine.nn.AvgPool2d;
import dev.trainyard.engine.nn.BatchNorm1d;
import dev.trainyard.engine.nn.BatchNorm2d;
import dev.trainyard.engine.nn.Conv1d;
import dev.trainyard.engine.nn.Conv2d;
import dev.trainyard.engine.nn.ConvTranspose2d;
import dev.trainyard.engine.nn.Dropout;
import dev.trainyard.engine.nn.ELU;
import dev.trainyard.engine.nn.Embedding;
import dev.trainyard.engine.nn.Flatten;
import dev.trainyard.engine.nn.GELU;
import dev.trainyard.engine.nn.GRU;
import dev.trainyard.engine.nn.GroupNorm;
import dev.trainyard.engine.nn.Identity;
import dev.trainyard.engine.nn.LSTM;
import dev.trainyard.engine.nn.LayerNorm;
import dev.trainyard.engine.nn.LeakyReLU;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.LogSoftmax;
import dev.trainyard.engine.nn.MaxPool2d;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.RNN;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.nn.SiLU;
import dev.trainyard.engine.nn.Sigmoid;
import dev.trainyard.engine.nn.Softmax;
import dev.trainyard.engine.nn.Tanh;
import dev.trainyard.engine.nn.TransformerEncoder;
import dev.trainyard.engine.nn.TransformerEncoderLayer;
import dev.trainyard.engine.nn.Unflatten;
import dev.trainyard.spec.LayerSpec;
import dev.trainyard.spec.ModelSpec;
import dev.trainyard.spec.Options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the engine model of a {@link ModelSpec}: a {@link Sequential} whose child {@code i} is layer {@code i} of the
 * spec (so state-dict keys are PyTorch's, {@code "0.weight"}), or of the built-in's expansion.
 *
 * <p>Layers are built one at a time and each is run (in eval mode, without gradients) on a batch of two zero inputs,
 * so arguments left out of the spec (a layer's {@code inFeatures}, {@code inChannels}, ...) are inferred from the
 * previous layer's output, and a layer that cannot take its input fails with a {@link ModelBuildException} naming its
 * index, its type, and the input shape. Parameters are initialized as PyTorch does, from the engine's default
 * generator: seed it first ({@code Tensor.manualSeed}) for a reproducible model.
 *
 * <pre>{@code
 * Tensor.manualSeed(0);
 * var built = ModelFactory.build(spec.model(), new int[] {1, 28, 28}, 10);
 * built.parameterCount();   // 225034 for the cnn built-in
 * }</pre>
 */
public final class ModelFactory {
    private ModelFactory() {
    }

    /**
     * A built model.
     *
     * @param module       the layers in sequence
     * @param layers       the layer specs with inferred arguments filled in
     * @param outputShapes each layer's output shape for one example (without the batch dimension)
     */
    public record BuiltModel(Sequential module, List<LayerSpec> layers, List<int[]> outputShapes) {

        public long parameterCount() {
            return ModelFactory.parameterCount(module);
        }

        /** One line per layer: index, type, output shape, parameter count. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            List<Module> children = module.children();
            for (int i = 0; i < layers.size(); i++) {
                sb.append(String.format(Locale.ROOT, "%3d  %-24s %-18s %,d%n", i, layers.get(i).type(),
                        perExample(outputShapes.get(i)), ModelFactory.parameterCount(children.get(i))));
            }
            sb.append(String.format(Locale.ROOT, "     total parameters: %,d", parameterCount()));
            return sb.toString();
        }
    }

    /**
     * Builds the model for inputs of {@code inputShape} per example (e.g. {@code [1, 28, 28]}) and checks that it gives
     * {@code outputs} values per example ({@code [N, outputs]}; {@code [N]} is accepted too when {@code outputs} is 1).
     */
    @SuppressWarnings("try") // the no-grad guard is only closed
    public static BuiltModel build(ModelSpec spec, int[] inputShape, int outputs) {
        List<LayerSpec> layers = expand(spec, outputs);
        String base = spec.isBuiltin() ? "/model/builtin" : "/model/layers/";
        Sequential seq = new Sequential();
        List<LayerSpec> resolved = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 2;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        Tensor x = Tensor.zeros(shape);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            String pointer = spec.isBuiltin() ? base : base + i;
            String name = "layer " + i + " (" + layer.type() + ")";
            Map<String, Object> args = new LinkedHashMap<>(layer.args().asMap());
            Module m;
            try {
                m = create(layer.type(), args, shape, name);
            } catch (ModelBuildException e) {
                throw new ModelBuildException(i, pointer, e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ModelBuildException(i, pointer, name + ": " + e.getMessage());
            }
            m.eval();
            try (var g = Autograd.noGrad()) {
                x = m.call(x);
            } catch (RuntimeException e) {
                throw new ModelBuildException(i, pointer, name + " cannot take its input of shape " + shape(shape) + ": "
                        + e.getMessage());
            }
            m.train();
            shape = x.shape();
            seq.add(m);
            resolved.add(new LayerSpec(layer.type(), Options.of(args)));
            shapes.add(Arrays.copyOfRange(shape, 1, shape.length));
        }
        boolean ok = (shape.length == 2 && shape[1] == outputs) || (outputs == 1 && shape.length == 1);
        if (!ok) {
            int last = layers.size() - 1;
            throw new ModelBuildException(last, spec.isBuiltin() ? base : base + last, "the model's output has shape "
                    + shape(shape) + " but the run needs [N, " + outputs + "] (" + (outputs == 1 ? "one value per example"
                    : outputs + " class scores per example") + "); make the last layer give " + outputs + " output"
                    + (outputs == 1 ? "" : "s") + (shape.length > 2 ? ", after a flatten" : ""));
        }
        return new BuiltModel(seq, List.copyOf(resolved), List.copyOf(shapes));
    }

    public static long parameterCount(Module m) {
        long n = 0;
        for (Tensor p : m.parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** The layer list of a spec: its own, or the built-in's expansion for {@code outputs} outputs. */
    public static List<LayerSpec> expand(ModelSpec spec, int outputs) {
        if (!spec.isBuiltin()) {
            return spec.layers();
        }
        Options a = spec.args();
        List<LayerSpec> layers = new ArrayList<>();
        String activation = a.getString("activation");
        double dropout = a.getDouble("dropout");
        boolean batchNorm = a.getBoolean("batchNorm");
        switch (spec.builtin()) {
            case "mlp" -> {
                layers.add(layer("flatten"));
                for (int h : a.getInts("hidden")) {
                    layers.add(layer("linear", "outFeatures", h));
                    if (batchNorm) {
                        layers.add(layer("batchnorm1d"));
                    }
                    layers.add(layer(activation));
                    if (dropout > 0) {
                        layers.add(layer("dropout", "p", dropout));
                    }
                }
            }
            case "cnn" -> {
                for (int c : a.getInts("channels")) {
                    layers.add(layer("conv2d", "outChannels", c, "kernelSize", a.getInt("kernelSize"), "padding", a.getInt("padding")));
                    if (batchNorm) {
                        layers.add(layer("batchnorm2d"));
                    }
                    layers.add(layer(activation));
                    layers.add(layer("maxpool2d", "kernelSize", 2));
                }
                layers.add(layer("flatten"));
                for (int h : a.getInts("hidden")) {
                    layers.add(layer("linear", "outFeatures", h));
                    layers.add(layer(activation));
                    if (dropout > 0) {
                        layers.add(layer("dropout", "p", dropout));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown built-in model '" + spec.builtin() + "'");
        }
        layers.add(layer("linear", "outFeatures", outputs));
        return List.copyOf(layers);
    }

    private static LayerSpec layer(String type, Object... kv) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            args.put((String) kv[i], kv[i + 1]);
        }
        return LayerSpec.of(type, args);
    }

    // ------------------------------------------------------------------ layers

    /** Creates one layer; fills inferred arguments into {@code args}. {@code in} is the input shape, batch first. */
    private static Module create(String type, Map<String, Object> args, int[] in, String name) {
        Options o = Options.of(args);
        return switch (type) {
            case "linear" -> {
                int inFeatures = infer(args, "inFeatures", in, -1, 2, 8, name, "[N, ..., features]");
                yield new Linear(inFeatures, o.getInt("outFeatures"), o.getBoolean("bias"));
            }
            case "conv1d" -> {
                int inChannels = infer(args, "inChannels", in, 1, 3, 3, name, "[N, C, L]");
                Object padding = o.get("padding");
                int k = o.getInt("kernelSize");
                yield padding instanceof String s
                        ? new Conv1d(inChannels, o.getInt("outChannels"), k, o.getInt("stride"), s, o.getInt("dilation"),
                                o.getInt("groups"), o.getBoolean("bias"))
                        : new Conv1d(inChannels, o.getInt("outChannels"), k, o.getInt("stride"), o.getInt("padding"),
                                o.getInt("dilation"), o.getInt("groups"), o.getBoolean("bias"));
            }
            case "conv2d" -> {
                int inChannels = infer(args, "inChannels", in, 1, 4, 4, name, "[N, C, H, W]");
                Object padding = o.get("padding");
                yield padding instanceof String s
                        ? new Conv2d(inChannels, o.getInt("outChannels"), o.getPair("kernelSize"), o.getPair("stride"), s,
                                o.getPair("dilation"), o.getInt("groups"), o.getBoolean("bias"))
                        : new Conv2d(inChannels, o.getInt("outChannels"), o.getPair("kernelSize"), o.getPair("stride"),
                                o.getPair("padding"), o.getPair("dilation"), o.getInt("groups"), o.getBoolean("bias"));
            }
            case "convtranspose2d" -> {
                int inChannels = infer(args, "inChannels", in, 1, 4, 4, name, "[N, C, H, W]");
                yield new ConvTranspose2d(inChannels, o.getInt("outChannels"), o.getPair("kernelSize"), o.getPair("stride"),
                        o.getPair("padding"), o.getPair("outputPadding"), o.getInt("groups"), o.getBoolean("bias"),
                        o.getPair("dilation"));
            }
            case "maxpool2d" -> new MaxPool2d(o.getPair("kernelSize"), o.has("stride") ? o.getPair("stride") : null,
                    o.getPair("padding"), o.getPair("dilation"), false, o.getBoolean("ceilMode"));
            case "avgpool2d" -> new AvgPool2d(o.getPair("kernelSize"), o.has("stride") ? o.getPair("stride") : o.getPair("kernelSize"),
                    o.getPair("padding"), o.getBoolean("ceilMode"), o.getBoolean("countIncludePad"), null);
            case "adaptiveavgpool2d" -> {
                int[] size = o.getPair("outputSize");
                yield new AdaptiveAvgPool2d(size[0], size[1]);
            }
            case "batchnorm1d" -> new BatchNorm1d(infer(args, "numFeatures", in, 1, 2, 3, name, "[N, C] or [N, C, L]"),
                    o.getDouble("eps"), o.getDouble("momentum"), o.getBoolean("affine"), o.getBoolean("trackRunningStats"));
            case "batchnorm2d" -> new BatchNorm2d(infer(args, "numFeatures", in, 1, 4, 4, name, "[N, C, H, W]"),
                    o.getDouble("eps"), o.getDouble("momentum"), o.getBoolean("affine"), o.getBoolean("trackRunningStats"));
            case "layernorm" -> {
                int[] normalized;
                if (args.containsKey("normalizedShape")) {
                    Object v = args.get("normalizedShape");
                    normalized = v instanceof List<?> l ? l.stream().mapToInt(e -> ((Number) e).intValue()).toArray()
                            : new int[] {((Number) v).intValue()};
                } else {
                    normalized = new int[] {in[in.length - 1]};
                    args.put("normalizedShape", normalized[0]);
                }
                yield new LayerNorm(normalized, o.getDouble("eps"), o.getBoolean("elementwiseAffine"));
            }
            case "groupnorm" -> new GroupNorm(o.getInt("numGroups"), infer(args, "numChannels", in, 1, 2, 8, name, "[N, C, ...]"),
                    o.getDouble("eps"), o.getBoolean("affine"));
            case "dropout" -> new Dropout(o.getDouble("p"));
            case "embedding" -> new Embedding(o.getInt("numEmbeddings"), o.getInt("embeddingDim"),
                    o.has("paddingIdx") ? o.getInt("paddingIdx") : null);
            case "flatten" -> new Flatten(o.getInt("startDim"), o.getInt("endDim"));
            case "unflatten" -> new Unflatten(o.getInt("dim"), o.getInts("sizes").stream().mapToInt(Integer::intValue).toArray());
            case "mean" -> new Mean(o.getInt("dim"), o.getBoolean("keepdim"));
            case "relu" -> new ReLU();
            case "leakyrelu" -> new LeakyReLU(o.getDouble("negativeSlope"));
            case "elu" -> new ELU(o.getDouble("alpha"));
            case "gelu" -> new GELU(o.getString("approximate"));
            case "silu" -> new SiLU();
            case "sigmoid" -> new Sigmoid();
            case "tanh" -> new Tanh();
            case "softmax" -> new Softmax(o.getInt("dim"));
            case "logsoftmax" -> new LogSoftmax(o.getInt("dim"));
            case "identity" -> new Identity();
            case "lstm", "gru", "rnn" -> {
                int inputSize = infer(args, "inputSize", in, -1, 3, 3, name, "[N, T, features] (batch first)");
                int hidden = o.getInt("hiddenSize");
                int layers = o.getInt("numLayers");
                boolean bias = o.getBoolean("bias");
                double dropout = o.getDouble("dropout");
                boolean bidirectional = o.getBoolean("bidirectional");
                var rnn = switch (type) {
                    case "lstm" -> new LSTM(inputSize, hidden, layers, bias, true, dropout, bidirectional);
                    case "gru" -> new GRU(inputSize, hidden, layers, bias, true, dropout, bidirectional);
                    default -> new RNN(inputSize, hidden, layers, o.getString("nonlinearity"), bias, true, dropout, bidirectional);
                };
                yield new SequenceFeatures(rnn, SequenceFeatures.Output.valueOf(o.getString("output").toUpperCase(Locale.ROOT)));
            }
            case "transformerencoderlayer" -> {
                int dModel = infer(args, "dModel", in, -1, 3, 3, name, "[N, T, dModel] (batch first)");
                var layer = new TransformerEncoderLayer(dModel, o.getInt("nhead"), o.getInt("dimFeedforward"),
                        o.getDouble("dropout"), o.getString("activation"), o.getDouble("layerNormEps"), true,
                        o.getBoolean("normFirst"));
                int n = o.getInt("numLayers");
                yield n == 1 ? layer : new TransformerEncoder(layer, n);
            }
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "'");
        };
    }

    /**
     * An input size: the given argument (checked against the input) or the input's size at {@code dim} (-1: the last),
     * which must have between {@code minRank} and {@code maxRank} dimensions (batch included).
     */
    private static int infer(Map<String, Object> args, String arg, int[] in, int dim, int minRank, int maxRank, String name,
                             String expected) {
        if (in.length < minRank || in.length > maxRank) {
            throw new ModelBuildException(-1, "", name + " expects input " + expected + " but its input has shape "
                    + shape(in) + (in.length > maxRank && maxRank == 2 ? "; add a flatten before it" : ""));
        }
        int actual = in[dim < 0 ? in.length + dim : dim];
        Object given = args.get(arg);
        if (given != null) {
            int g = ((Number) given).intValue();
            if (g != actual) {
                throw new ModelBuildException(-1, "", name + ": " + arg + " is " + g + " but its input has shape "
                        + shape(in) + " (" + actual + "); remove " + arg + " to infer it");
            }
            return g;
        }
        args.put(arg, actual);
        return actual;
    }

    /** A per-example shape with the batch dimension in front as N: {@code [1600]} gives {@code [N, 1600]}. */
    static String perExample(int[] shape) {
        StringBuilder sb = new StringBuilder("[N");
        for (int s : shape) {
            sb.append(", ").append(s);
        }
        return sb.append(']').toString();
    }

    /** A shape with the batch dimension written as N: {@code [N, 1600]}. */
    static String shape(int[] shape) {
        if (shape.length == 0) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[N");
        for (int i = 1; i < shape.length; i++) {
            sb.append(", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
