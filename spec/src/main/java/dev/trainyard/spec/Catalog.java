package dev.trainyard.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.trainyard.spec.Kind.bool;
import static dev.trainyard.spec.Kind.choice;
import static dev.trainyard.spec.Kind.integer;
import static dev.trainyard.spec.Kind.intOrPair;
import static dev.trainyard.spec.Kind.list;
import static dev.trainyard.spec.Kind.nonNegative;
import static dev.trainyard.spec.Kind.number;
import static dev.trainyard.spec.Kind.oneOrList;
import static dev.trainyard.spec.Kind.padding;
import static dev.trainyard.spec.Kind.positive;
import static dev.trainyard.spec.Kind.tuple;
import static dev.trainyard.spec.Kind.unit;
import static dev.trainyard.spec.Param.inferred;
import static dev.trainyard.spec.Param.opt;
import static dev.trainyard.spec.Param.req;

/**
 * Everything a spec may name: layer types, built-in models, losses, optimizers, schedulers and metrics, with their
 * arguments, defaults and constraints. Argument names are the engine's constructor parameters (PyTorch's, in
 * camelCase); defaults are PyTorch's unless a comment says otherwise. The validator and the docs are driven by these
 * tables, and the worker maps each name to the engine class named in its summary.
 */
public final class Catalog {
    private Catalog() {
    }

    /** Activation names accepted by the built-in models. */
    public static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "elu", "gelu", "silu", "tanh", "sigmoid");

    private static final Map<String, ComponentType> LAYERS = table(
            ComponentType.of("linear", "nn.Linear: y = x W^T + b over the last dimension",
                    inferred("inFeatures", integer(1, Limits.WIDTH), "input features; inferred from the previous layer if absent"),
                    req("outFeatures", integer(1, Limits.WIDTH), "output features"),
                    opt("bias", bool(), true, "learn an additive bias")),
            ComponentType.of("conv1d", "nn.Conv1d over [N, C, L]",
                    inferred("inChannels", integer(1, Limits.WIDTH), "input channels; inferred if absent"),
                    req("outChannels", integer(1, Limits.WIDTH), "output channels"),
                    req("kernelSize", integer(1, Limits.WINDOW), "kernel length"),
                    opt("stride", integer(1, Limits.WINDOW), 1, "stride"),
                    opt("padding", padding(false), 0, "zero padding on both sides, or 'same' / 'valid'"),
                    opt("dilation", integer(1, Limits.WINDOW), 1, "spacing between kernel elements"),
                    opt("groups", integer(1, Limits.WIDTH), 1, "blocked connections; divides both channel counts"),
                    opt("bias", bool(), true, "learn an additive bias")),
            ComponentType.of("conv2d", "nn.Conv2d over [N, C, H, W]",
                    inferred("inChannels", integer(1, Limits.WIDTH), "input channels; inferred if absent"),
                    req("outChannels", integer(1, Limits.WIDTH), "output channels"),
                    req("kernelSize", intOrPair(1, Limits.WINDOW), "kernel size k or [kh, kw]"),
                    opt("stride", intOrPair(1, Limits.WINDOW), 1, "stride"),
                    opt("padding", padding(true), 0, "zero padding, [ph, pw], or 'same' / 'valid'"),
                    opt("dilation", intOrPair(1, Limits.WINDOW), 1, "spacing between kernel elements"),
                    opt("groups", integer(1, Limits.WIDTH), 1, "blocked connections; divides both channel counts"),
                    opt("bias", bool(), true, "learn an additive bias")),
            ComponentType.of("convtranspose2d", "nn.ConvTranspose2d over [N, C, H, W]",
                    inferred("inChannels", integer(1, Limits.WIDTH), "input channels; inferred if absent"),
                    req("outChannels", integer(1, Limits.WIDTH), "output channels"),
                    req("kernelSize", intOrPair(1, Limits.WINDOW), "kernel size"),
                    opt("stride", intOrPair(1, Limits.WINDOW), 1, "stride"),
                    opt("padding", intOrPair(0, Limits.WINDOW), 0, "implicit zero padding removed from the output"),
                    opt("outputPadding", intOrPair(0, Limits.WINDOW), 0, "extra size added to one side of the output"),
                    opt("groups", integer(1, Limits.WIDTH), 1, "blocked connections"),
                    opt("bias", bool(), true, "learn an additive bias"),
                    opt("dilation", intOrPair(1, Limits.WINDOW), 1, "spacing between kernel elements")),
            ComponentType.of("maxpool2d", "nn.MaxPool2d",
                    req("kernelSize", intOrPair(1, Limits.WINDOW), "window size"),
                    inferred("stride", intOrPair(1, Limits.WINDOW), "stride; the kernel size if absent"),
                    opt("padding", intOrPair(0, Limits.WINDOW), 0, "implicit -inf padding"),
                    opt("dilation", intOrPair(1, Limits.WINDOW), 1, "spacing between window elements"),
                    opt("ceilMode", bool(), false, "round the output size up")),
            ComponentType.of("avgpool2d", "nn.AvgPool2d",
                    req("kernelSize", intOrPair(1, Limits.WINDOW), "window size"),
                    inferred("stride", intOrPair(1, Limits.WINDOW), "stride; the kernel size if absent"),
                    opt("padding", intOrPair(0, Limits.WINDOW), 0, "implicit zero padding"),
                    opt("ceilMode", bool(), false, "round the output size up"),
                    opt("countIncludePad", bool(), true, "count padding in the average")),
            ComponentType.of("adaptiveavgpool2d", "nn.AdaptiveAvgPool2d",
                    req("outputSize", intOrPair(1, Limits.WINDOW), "output size s or [h, w]")),
            ComponentType.of("batchnorm1d", "nn.BatchNorm1d over [N, C] or [N, C, L]",
                    inferred("numFeatures", integer(1, Limits.WIDTH), "C; inferred if absent"),
                    opt("eps", positive(), 1e-5, "added to the variance"),
                    opt("momentum", unit(), 0.1, "running statistics update factor"),
                    opt("affine", bool(), true, "learn a scale and shift"),
                    opt("trackRunningStats", bool(), true, "keep running statistics for evaluation")),
            ComponentType.of("batchnorm2d", "nn.BatchNorm2d over [N, C, H, W]",
                    inferred("numFeatures", integer(1, Limits.WIDTH), "C; inferred if absent"),
                    opt("eps", positive(), 1e-5, "added to the variance"),
                    opt("momentum", unit(), 0.1, "running statistics update factor"),
                    opt("affine", bool(), true, "learn a scale and shift"),
                    opt("trackRunningStats", bool(), true, "keep running statistics for evaluation")),
            ComponentType.of("layernorm", "nn.LayerNorm over the trailing dimensions",
                    inferred("normalizedShape", oneOrList(integer(1, Limits.WIDTH)), "trailing shape; the last dimension if absent"),
                    opt("eps", positive(), 1e-5, "added to the variance"),
                    opt("elementwiseAffine", bool(), true, "learn a scale and shift")),
            ComponentType.of("groupnorm", "nn.GroupNorm over [N, C, ...]",
                    req("numGroups", integer(1, Limits.WIDTH), "groups; divides C"),
                    inferred("numChannels", integer(1, Limits.WIDTH), "C; inferred if absent"),
                    opt("eps", positive(), 1e-5, "added to the variance"),
                    opt("affine", bool(), true, "learn a scale and shift")),
            ComponentType.of("dropout", "nn.Dropout (active in training only)",
                    opt("p", number(0.0, true, 1.0, false), 0.5, "probability of zeroing an element")),
            ComponentType.of("embedding", "nn.Embedding: integer indices to vectors (needs integer inputs)",
                    req("numEmbeddings", integer(1, Limits.ENTRIES), "vocabulary size"),
                    req("embeddingDim", integer(1, Limits.WIDTH), "vector size"),
                    inferred("paddingIdx", integer(0, Limits.ENTRIES), "index whose vector stays zero")),
            ComponentType.of("flatten", "nn.Flatten",
                    opt("startDim", integer(), 1, "first dimension to flatten"),
                    opt("endDim", integer(), -1, "last dimension to flatten")),
            ComponentType.of("unflatten", "nn.Unflatten",
                    req("dim", integer(), "the dimension to split"),
                    req("sizes", list(integer(-1, Limits.ENTRIES), 1, 8), "its new sizes (one may be -1)")),
            ComponentType.of("mean", "mean over one dimension (global average pooling over a sequence or space)",
                    opt("dim", integer(), 1, "the dimension to average"),
                    opt("keepdim", bool(), false, "keep it with size 1")),
            ComponentType.of("relu", "nn.ReLU"),
            ComponentType.of("leakyrelu", "nn.LeakyReLU",
                    opt("negativeSlope", Kind.anyNumber(), 0.01, "slope for x < 0")),
            ComponentType.of("elu", "nn.ELU",
                    opt("alpha", Kind.anyNumber(), 1.0, "scale for x < 0")),
            ComponentType.of("gelu", "nn.GELU",
                    opt("approximate", choice("none", "tanh"), "none", "'tanh' for the tanh approximation")),
            ComponentType.of("silu", "nn.SiLU (swish)"),
            ComponentType.of("sigmoid", "nn.Sigmoid"),
            ComponentType.of("tanh", "nn.Tanh"),
            ComponentType.of("softmax", "nn.Softmax",
                    opt("dim", integer(), -1, "the dimension that sums to 1")),
            ComponentType.of("logsoftmax", "nn.LogSoftmax (pair it with the nll loss)",
                    opt("dim", integer(), -1, "the dimension")),
            ComponentType.of("identity", "nn.Identity"),
            recurrent("lstm", "nn.LSTM, batch first, as a feature extractor"),
            recurrent("gru", "nn.GRU, batch first, as a feature extractor"),
            ComponentType.of("rnn", "nn.RNN (Elman), batch first, as a feature extractor",
                    inferred("inputSize", integer(1, Limits.WIDTH), "features per step; inferred from [N, T, F] input if absent"),
                    req("hiddenSize", integer(1, Limits.WIDTH), "hidden state size"),
                    opt("numLayers", integer(1, Limits.LAYERS), 1, "stacked layers"),
                    opt("nonlinearity", choice("tanh", "relu"), "tanh", "the cell's nonlinearity"),
                    opt("bias", bool(), true, "learn biases"),
                    opt("dropout", number(0.0, true, 1.0, false), 0.0, "dropout between stacked layers"),
                    opt("bidirectional", bool(), false, "run both directions and concatenate"),
                    opt("output", choice("last", "mean", "sequence"), "last",
                            "what the layer passes on: the last step [N, H], the mean over steps [N, H], or all steps [N, T, H]")),
            ComponentType.of("transformerencoderlayer", "nn.TransformerEncoderLayer (batch first), stacked numLayers times",
                    inferred("dModel", integer(1, Limits.WIDTH), "model width; inferred from [N, T, dModel] input if absent"),
                    req("nhead", integer(1, Limits.WIDTH), "attention heads; divides dModel"),
                    opt("dimFeedforward", integer(1, Limits.WIDTH), 2048, "feed-forward width"),
                    opt("dropout", number(0.0, true, 1.0, false), 0.1, "dropout probability"),
                    opt("activation", choice("relu", "gelu"), "relu", "feed-forward activation"),
                    opt("layerNormEps", positive(), 1e-5, "layer norm epsilon"),
                    opt("normFirst", bool(), false, "pre-norm instead of post-norm"),
                    opt("numLayers", integer(1, Limits.LAYERS), 1, "identical layers stacked (nn.TransformerEncoder)")));

    private static ComponentType recurrent(String name, String summary) {
        return ComponentType.of(name, summary,
                inferred("inputSize", integer(1, Limits.WIDTH), "features per step; inferred from [N, T, F] input if absent"),
                req("hiddenSize", integer(1, Limits.WIDTH), "hidden state size"),
                opt("numLayers", integer(1, Limits.LAYERS), 1, "stacked layers"),
                opt("bias", bool(), true, "learn biases"),
                opt("dropout", number(0.0, true, 1.0, false), 0.0, "dropout between stacked layers"),
                opt("bidirectional", bool(), false, "run both directions and concatenate"),
                opt("output", choice("last", "mean", "sequence"), "last",
                        "what the layer passes on: the last step [N, H], the mean over steps [N, H], or all steps [N, T, H]"));
    }

    private static final Map<String, ComponentType> BUILTINS = table(
            ComponentType.of("mlp", "Flatten, then per hidden width: Linear, [BatchNorm1d], activation, [Dropout]; then "
                            + "Linear to the number of classes (outputs for regression)",
                    opt("hidden", list(integer(1, Limits.WIDTH), 0, Limits.LAYERS), List.of(256), "hidden layer widths ([] for a linear model)"),
                    opt("activation", choice(ACTIVATIONS.toArray(String[]::new)), "relu", "activation after each hidden layer"),
                    opt("dropout", number(0.0, true, 1.0, false), 0.0, "dropout after each hidden activation (0: none)"),
                    opt("batchNorm", bool(), false, "BatchNorm1d after each hidden Linear")),
            ComponentType.of("cnn", "per channel count: Conv2d(kernelSize), [BatchNorm2d], activation, MaxPool2d(2); then "
                            + "Flatten, per hidden width: Linear, activation, [Dropout]; then Linear to the classes. "
                            + "The defaults are the Fashion-MNIST reference CNN (225,034 parameters)",
                    opt("channels", list(integer(1, Limits.WIDTH), 1, Limits.LAYERS), List.of(32, 64), "output channels of each conv block"),
                    opt("kernelSize", integer(1, Limits.WINDOW), 3, "conv kernel size"),
                    opt("padding", integer(0, Limits.WINDOW), 0, "conv zero padding"),
                    opt("hidden", list(integer(1, Limits.WIDTH), 0, Limits.LAYERS), List.of(128), "widths of the fully connected layers"),
                    opt("activation", choice(ACTIVATIONS.toArray(String[]::new)), "relu", "activation"),
                    opt("dropout", number(0.0, true, 1.0, false), 0.0, "dropout after each hidden activation (0: none)"),
                    opt("batchNorm", bool(), false, "BatchNorm2d after each conv")));

    private static final Map<String, ComponentType> LOSSES = table(
            ComponentType.of("cross_entropy", "nn.CrossEntropyLoss on logits [N, C] and class indices",
                    opt("labelSmoothing", unit(), 0.0, "mass spread uniformly over the classes"),
                    inferred("classWeights", list(nonNegative(), 1), "a weight per class (absent: equal)")),
            ComponentType.of("nll", "nn.NLLLoss on log-probabilities (end the model with logsoftmax)",
                    inferred("classWeights", list(nonNegative(), 1), "a weight per class (absent: equal)")),
            ComponentType.of("bce_with_logits", "nn.BCEWithLogitsLoss for two classes: the model gives one logit per example",
                    inferred("posWeight", positive(), "weight of the positive class (absent: 1)")),
            ComponentType.of("mse", "nn.MSELoss (regression)"),
            ComponentType.of("l1", "nn.L1Loss (regression)"),
            ComponentType.of("smooth_l1", "nn.SmoothL1Loss (regression)",
                    opt("beta", nonNegative(), 1.0, "where the loss turns from quadratic to linear")),
            ComponentType.of("huber", "nn.HuberLoss (regression)",
                    opt("delta", positive(), 1.0, "where the loss turns from quadratic to linear")));

    /** Losses whose targets are class indices; the others are regression losses. */
    public static final List<String> CLASSIFICATION_LOSSES = List.of("cross_entropy", "nll", "bce_with_logits");

    private static final Kind BETA = number(0.0, true, 1.0, false);

    private static final Map<String, ComponentType> OPTIMIZERS = table(
            ComponentType.of("sgd", "optim.SGD",
                    opt("lr", positive(), 1e-3, "learning rate"),
                    opt("momentum", nonNegative(), 0.0, "momentum factor"),
                    opt("dampening", nonNegative(), 0.0, "dampening for momentum"),
                    opt("weightDecay", nonNegative(), 0.0, "L2 penalty"),
                    opt("nesterov", bool(), false, "Nesterov momentum (needs momentum > 0 and dampening 0)"),
                    opt("maximize", bool(), false, "maximize the objective")),
            ComponentType.of("adam", "optim.Adam",
                    opt("lr", positive(), 1e-3, "learning rate"),
                    opt("betas", tuple(BETA, 2), List.of(0.9, 0.999), "[beta1, beta2], each in [0, 1)"),
                    opt("eps", nonNegative(), 1e-8, "denominator term"),
                    opt("weightDecay", nonNegative(), 0.0, "L2 penalty"),
                    opt("amsgrad", bool(), false, "the AMSGrad variant"),
                    opt("maximize", bool(), false, "maximize the objective")),
            ComponentType.of("adamw", "optim.AdamW (decoupled weight decay)",
                    opt("lr", positive(), 1e-3, "learning rate"),
                    opt("betas", tuple(BETA, 2), List.of(0.9, 0.999), "[beta1, beta2], each in [0, 1)"),
                    opt("eps", nonNegative(), 1e-8, "denominator term"),
                    opt("weightDecay", nonNegative(), 1e-2, "decoupled weight decay"),
                    opt("amsgrad", bool(), false, "the AMSGrad variant"),
                    opt("maximize", bool(), false, "maximize the objective")),
            ComponentType.of("rmsprop", "optim.RMSprop",
                    opt("lr", positive(), 1e-2, "learning rate"),
                    opt("alpha", nonNegative(), 0.99, "smoothing constant"),
                    opt("eps", nonNegative(), 1e-8, "denominator term"),
                    opt("weightDecay", nonNegative(), 0.0, "L2 penalty"),
                    opt("momentum", nonNegative(), 0.0, "momentum factor"),
                    opt("centered", bool(), false, "normalize by the estimated variance"),
                    opt("maximize", bool(), false, "maximize the objective")),
            ComponentType.of("adagrad", "optim.Adagrad",
                    opt("lr", positive(), 1e-2, "learning rate"),
                    opt("lrDecay", nonNegative(), 0.0, "learning rate decay"),
                    opt("weightDecay", nonNegative(), 0.0, "L2 penalty"),
                    opt("initialAccumulatorValue", nonNegative(), 0.0, "starting sum of squares"),
                    opt("eps", nonNegative(), 1e-10, "denominator term"),
                    opt("maximize", bool(), false, "maximize the objective")));

    private static final Param INTERVAL = opt("interval", choice("epoch", "step"), "epoch",
            "step the schedule after every epoch or after every optimizer step");

    private static final Map<String, ComponentType> SCHEDULERS = table(
            ComponentType.of("step", "lr.StepLR: multiply by gamma every stepSize intervals",
                    req("stepSize", integer(1, Limits.STEPS), "intervals between decays"),
                    opt("gamma", positive(), 0.1, "decay factor"),
                    INTERVAL),
            ComponentType.of("multistep", "lr.MultiStepLR: multiply by gamma at each milestone",
                    req("milestones", list(integer(1, Limits.STEPS), 1, Limits.KEEP), "increasing interval indices"),
                    opt("gamma", positive(), 0.1, "decay factor"),
                    INTERVAL),
            ComponentType.of("exponential", "lr.ExponentialLR: multiply by gamma every interval",
                    req("gamma", positive(), "decay factor"),
                    INTERVAL),
            ComponentType.of("cosine", "lr.CosineAnnealingLR",
                    inferred("tMax", integer(1, Limits.STEPS), "intervals of the half cosine; the run's epochs (or steps) if absent"),
                    opt("etaMin", nonNegative(), 0.0, "the lowest learning rate"),
                    INTERVAL),
            ComponentType.of("linear", "lr.LinearLR: scale the rate linearly from startFactor to endFactor",
                    opt("startFactor", number(0.0, false, 1.0, true), 1.0 / 3, "factor at the start, in (0, 1]"),
                    opt("endFactor", unit(), 1.0, "factor after totalIters"),
                    opt("totalIters", integer(1, Limits.STEPS), 5, "intervals to get there"),
                    INTERVAL),
            ComponentType.of("onecycle", "lr.OneCycleLR, stepped after every optimizer step",
                    inferred("maxLr", positive(), "the peak rate; the optimizer's lr if absent"),
                    inferred("totalSteps", integer(1, Limits.STEPS), "steps in the cycle; the run's total steps if absent"),
                    opt("pctStart", number(0.0, false, 1.0, false), 0.3, "fraction of the cycle spent warming up"),
                    opt("annealStrategy", choice("cos", "linear"), "cos", "shape of the annealing"),
                    opt("cycleMomentum", bool(), true, "cycle momentum (or Adam's beta1) inversely to the rate"),
                    opt("baseMomentum", unit(), 0.85, "lowest momentum"),
                    opt("maxMomentum", unit(), 0.95, "highest momentum"),
                    opt("divFactor", positive(), 25.0, "initial rate = maxLr / divFactor"),
                    opt("finalDivFactor", positive(), 1e4, "final rate = initial rate / finalDivFactor"),
                    opt("threePhase", bool(), false, "use the three-phase schedule")),
            ComponentType.of("plateau", "lr.ReduceLROnPlateau: multiply by factor when a metric stops improving "
                            + "(stepped after every evaluation)",
                    inferred("metric", Kind.string(), "the metric to watch; the first evaluation split's loss if absent"),
                    inferred("mode", choice("min", "max"), "min or max; from the metric's name if absent"),
                    opt("factor", number(0.0, false, 1.0, false), 0.1, "new rate = rate * factor"),
                    opt("patience", integer(0, Limits.KEEP), 10, "evaluations without improvement before reducing"),
                    opt("threshold", nonNegative(), 1e-4, "minimal relative (or absolute) improvement"),
                    opt("thresholdMode", choice("rel", "abs"), "rel", "relative or absolute threshold"),
                    opt("cooldown", integer(0, Limits.KEEP), 0, "evaluations to wait after a reduction"),
                    opt("minLr", nonNegative(), 0.0, "lower bound on the rate")));

    /** Metric types, with the averages each allows (empty: not averaged). */
    static final Map<String, List<String>> METRIC_AVERAGES = Map.of(
            "accuracy", List.of("micro", "macro", "weighted"),
            "precision", List.of("micro", "macro", "weighted"),
            "recall", List.of("micro", "macro", "weighted"),
            "f1", List.of("micro", "macro", "weighted"),
            "auroc", List.of("macro", "weighted"),
            "mse", List.of(),
            "mae", List.of(),
            "rmse", List.of());

    /** Metric types in the order the docs list them. */
    public static final List<String> METRIC_TYPES = List.of("accuracy", "precision", "recall", "f1", "auroc", "mse", "mae", "rmse");

    /** Metrics of regression runs; the others need class targets. */
    public static final List<String> REGRESSION_METRICS = List.of("mse", "mae", "rmse");

    public static Map<String, ComponentType> layers() {
        return LAYERS;
    }

    public static Map<String, ComponentType> builtins() {
        return BUILTINS;
    }

    public static Map<String, ComponentType> losses() {
        return LOSSES;
    }

    public static Map<String, ComponentType> optimizers() {
        return OPTIMIZERS;
    }

    public static Map<String, ComponentType> schedulers() {
        return SCHEDULERS;
    }

    private static Map<String, ComponentType> table(ComponentType... types) {
        Map<String, ComponentType> m = new LinkedHashMap<>();
        for (ComponentType t : types) {
            m.put(t.name(), t);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
