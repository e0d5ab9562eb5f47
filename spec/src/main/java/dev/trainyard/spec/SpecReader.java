package dev.trainyard.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a parsed spec document into a {@link RunSpec}, collecting every problem (with its JSON pointer) instead of
 * stopping at the first. Each object reader remembers which members it consumed, so unknown members are reported
 * where they are.
 */
final class SpecReader {
    private static final Pattern ARTIFACT = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern METRIC = Pattern.compile(
            "(?:top(\\d+)_)?(accuracy|precision|recall|f1|auroc|mse|mae|rmse)(?:_(micro|macro|weighted))?");
    static final List<String> TOP_LEVEL = List.of("version", "name", "seed", "dataset", "model", "loss",
            "optimizer", "scheduler", "batchSize", "epochs", "maxSteps", "metrics", "evaluation", "logging", "checkpoint",
            "earlyStopping", "gradClip");
    private static final List<String> CSV_ONLY = List.of("testPath", "testSplit", "label", "header", "delimiter");
    private static final List<String> IMAGE_ONLY = List.of("normalize", "augment");
    private static final int IMAGE_CLASSES = 10;

    private final Problems problems = new Problems();

    List<SpecProblem> problems() {
        return problems.list();
    }

    /** The spec, or null if there were problems. */
    RunSpec read(JsonNode root) {
        Obj top = object(root, "", "the run spec");
        if (top == null) {
            return null;
        }
        int version = top.value("version", Kind.integer(1, 1), 1);
        String name = top.value("name", Kind.string(), null);
        long seed = top.value("seed", Kind.longInteger(0), 0L);

        DatasetSpec dataset = readDataset(top);
        boolean classification = dataset == null || dataset.task() == DatasetSpec.Task.CLASSIFICATION;
        ModelSpec model = readModel(top, dataset);
        LossSpec loss = readLoss(top, classification);
        OptimizerSpec optimizer = readOptimizer(top);

        int batchSize = top.value("batchSize", Kind.integer(1, Limits.BATCH_SIZE), 64);
        Integer epochs = top.value("epochs", Kind.integer(1, Limits.EPOCHS), null);
        Long maxSteps = top.value("maxSteps", Kind.longInteger(1, Limits.STEPS), null);
        if (top.has("epochs") && top.has("maxSteps")) {
            problems.add(top.at("maxSteps"), "epochs and maxSteps are mutually exclusive; give one of them", top.raw("maxSteps"));
        } else if (!top.has("epochs") && !top.has("maxSteps")) {
            problems.add("", "one of epochs or maxSteps is required", (Object) null);
        }

        List<MetricSpec> metrics = readMetrics(top, dataset, classification);
        double validationSplit = dataset == null ? 0 : dataset.validationSplit();
        EvaluationSpec evaluation = readEvaluation(top, validationSplit);
        LoggingSpec logging = readLogging(top);

        // the metric names that early stopping, keep-best and the plateau scheduler may refer to
        List<String> keys = evaluation == null ? List.of() : new RunSpec(version, name, seed, dataset, model, loss,
                optimizer, null, batchSize, epochs, maxSteps, metrics, evaluation, logging, null, null, null)
                .evaluationMetricKeys();
        SchedulerSpec scheduler = readScheduler(top, optimizer, keys, evaluation);
        CheckpointSpec checkpoint = readCheckpoint(top, keys);
        EarlyStoppingSpec earlyStopping = readEarlyStopping(top, keys);
        GradClipSpec gradClip = readGradClip(top);
        top.finish(TOP_LEVEL, "the run spec");
        if (!problems.isEmpty()) {
            return null;
        }
        return new RunSpec(version, name, seed, dataset, model, loss, optimizer, scheduler, batchSize, epochs, maxSteps,
                metrics, evaluation, logging, checkpoint, earlyStopping, gradClip);
    }

    // ------------------------------------------------------------------ dataset

    private DatasetSpec readDataset(Obj top) {
        Obj d = top.object("dataset", true);
        if (d == null) {
            return null;
        }
        String name = d.required("name", Kind.choice(DatasetSpec.NAMES.toArray(String[]::new)));
        boolean csv = "csv".equals(name);
        String path = d.value("path", Kind.string(), null);
        if (path != null && !isSafeRelative(path)) {
            problems.add(d.at("path"), "must be a path relative to the worker's data root, without '..', got '" + path + "'", path);
        }
        String artifact = null;
        if (d.has("artifact")) {
            String a = d.value("artifact", Kind.string(), null);
            if (a != null) {
                String lower = a.toLowerCase(Locale.ROOT);
                if (ARTIFACT.matcher(lower).matches()) {
                    artifact = lower;
                } else {
                    problems.add(d.at("artifact"), "must be 'sha256:' followed by 64 hex digits, got '" + a + "'", a);
                }
            }
            if (d.has("path")) {
                problems.add(d.at("artifact"), "path and artifact are mutually exclusive; give one of them", a);
            }
        }
        if (csv && !d.has("path") && !d.has("artifact")) {
            problems.add(d.at("path"), "a csv dataset needs a path (relative to the worker's data root) or an artifact",
                    (Object) null);
        }
        if (name != null && !csv && path == null && artifact == null) {
            path = name; // <dataRoot>/fashion-mnist, <dataRoot>/mnist
        }
        Integer trainSubset = d.value("trainSubset", Kind.integer(1, Limits.SUBSET), null);
        Integer testSubset = d.value("testSubset", Kind.integer(1, Limits.SUBSET), null);
        double validationSplit = d.value("validationSplit", Kind.number(0.0, true, 1.0, false), 0.0);
        long splitSeed = d.value("splitSeed", Kind.longInteger(0), 0L);

        if (name != null) {
            for (String f : csv ? IMAGE_ONLY : CSV_ONLY) {
                if (d.has(f)) {
                    d.get(f);
                    problems.add(d.at(f), csv ? "only applies to image datasets (fashion-mnist, mnist)"
                            : "only applies to csv datasets", d.raw(f));
                }
            }
        }
        String testPath = null;
        Double testSplit = null;
        Object label = -1;
        boolean header = true;
        String delimiter = ",";
        DatasetSpec.Task task = DatasetSpec.Task.CLASSIFICATION;
        String taskName = d.value("task", Kind.choice("classification", "regression"), "classification");
        if (taskName.equals("regression")) {
            if (csv) {
                task = DatasetSpec.Task.REGRESSION;
            } else if (name != null) {
                problems.add(d.at("task"), name + " is a classification dataset; regression needs a csv dataset", "regression");
            }
        }
        DatasetSpec.NormalizeSpec normalize = null;
        DatasetSpec.AugmentSpec augment = null;
        if (csv) {
            testPath = d.value("testPath", Kind.string(), null);
            if (testPath != null && !isSafeRelative(testPath)) {
                problems.add(d.at("testPath"), "must be a path relative to the worker's data root, without '..', got '"
                        + testPath + "'", testPath);
            }
            testSplit = d.value("testSplit", Kind.number(0.0, false, 1.0, false), null);
            if (testPath != null && testSplit != null) {
                problems.add(d.at("testSplit"), "testPath and testSplit are mutually exclusive; give one of them", testSplit);
            }
            if (testPath == null && testSplit == null) {
                testSplit = 0.2;
            }
            label = d.value("label", Kind.column(), -1);
            header = d.value("header", Kind.bool(), true);
            delimiter = d.value("delimiter", Kind.string(), ",");
            if (delimiter.length() != 1) {
                problems.add(d.at("delimiter"), "must be a single character, got '" + delimiter + "'", delimiter);
            }
            if (!header && label instanceof String) {
                problems.add(d.at("label"), "a column name needs header: true; give the column's index instead", label);
            }
        } else if (name != null) {
            normalize = readNormalize(d);
            augment = readAugment(d);
        }
        d.finish(List.of("name", "path", "artifact", "testPath", "trainSubset", "testSubset", "validationSplit",
                "testSplit", "splitSeed", "normalize", "augment", "label", "header", "delimiter", "task"), "dataset");
        if (name == null) {
            return null;
        }
        return new DatasetSpec(name, artifact != null ? null : path, artifact, testPath, trainSubset, testSubset,
                validationSplit, testSplit, splitSeed, normalize, augment, label, header, delimiter, task);
    }

    private DatasetSpec.NormalizeSpec readNormalize(Obj d) {
        Obj n = d.object("normalize", false);
        if (n == null) {
            return null;
        }
        List<Double> mean = n.required("mean", Kind.list(Kind.anyNumber(), 1));
        List<Double> std = n.required("std", Kind.list(Kind.positive(), 1));
        if (mean != null && mean.size() != 1) {
            problems.add(n.at("mean"), "must have 1 value (the images have 1 channel), got " + mean.size(), mean);
        }
        if (std != null && std.size() != 1) {
            problems.add(n.at("std"), "must have 1 value (the images have 1 channel), got " + std.size(), std);
        }
        n.finish(List.of("mean", "std"), "normalize");
        return mean == null || std == null ? null : new DatasetSpec.NormalizeSpec(mean, std);
    }

    private DatasetSpec.AugmentSpec readAugment(Obj d) {
        Obj a = d.object("augment", false);
        if (a == null) {
            return null;
        }
        int pad = a.value("randomCropPadding", Kind.integer(0, 64), 0);
        double flip = a.value("horizontalFlip", Kind.unit(), 0.0);
        a.finish(List.of("randomCropPadding", "horizontalFlip"), "augment");
        return new DatasetSpec.AugmentSpec(pad, flip);
    }

    private static boolean isSafeRelative(String path) {
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            return false;
        }
        for (String part : path.split("[/\\\\]")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ model

    private ModelSpec readModel(Obj top, DatasetSpec dataset) {
        Obj m = top.object("model", true);
        if (m == null) {
            return null;
        }
        ModelSpec result = null;
        boolean hasLayers = m.has("layers");
        boolean hasBuiltin = m.has("builtin");
        if (hasLayers && hasBuiltin) {
            problems.add(m.at("builtin"), "layers and builtin are mutually exclusive; give one of them", m.raw("builtin"));
        } else if (!hasLayers && !hasBuiltin) {
            problems.add(m.pointer, "needs either layers (a list) or builtin (one of " + Catalog.builtins().keySet() + ")",
                    (Object) null);
        }
        if (hasLayers) {
            JsonNode layers = m.get("layers");
            String ptr = m.at("layers");
            if (!layers.isArray()) {
                problems.add(ptr, "must be a list of layers, got " + Problems.show(layers), layers);
            } else if (layers.isEmpty()) {
                problems.add(ptr, "must have at least one layer", layers);
            } else if (layers.size() > Limits.LAYERS) {
                problems.add(ptr, "must have at most " + Limits.LAYERS + " layers, got " + layers.size(), layers);
            } else {
                List<LayerSpec> list = new ArrayList<>();
                for (int i = 0; i < layers.size(); i++) {
                    Component c = component(layers.get(i), Problems.child(ptr, i), Catalog.layers(), "layer type");
                    if (c != null) {
                        list.add(new LayerSpec(c.type, c.options));
                    }
                }
                if (list.size() == layers.size()) {
                    result = ModelSpec.ofLayers(list);
                }
            }
            if (m.has("args")) {
                m.get("args");
                problems.add(m.at("args"), "only applies to a builtin model; give each layer its own arguments", m.raw("args"));
            }
        }
        if (hasBuiltin) {
            String builtin = m.required("builtin", Kind.choice(Catalog.builtins().keySet().toArray(String[]::new)));
            if (builtin != null) {
                ComponentType type = Catalog.builtins().get(builtin);
                Obj args = m.has("args") ? m.object("args", false) : null;
                Options options = args == null ? defaults(type) : options(args, type, "builtin model '" + builtin + "'", false);
                if (builtin.equals("cnn") && dataset != null && !dataset.isImage()) {
                    problems.add(m.at("builtin"), "cnn needs images [1, 28, 28] but the csv dataset gives feature vectors; "
                            + "use mlp or a layer list", builtin);
                }
                if (options != null) {
                    result = ModelSpec.ofBuiltin(builtin, options);
                }
            }
        }
        m.finish(List.of("layers", "builtin", "args"), "model");
        return result;
    }

    // ------------------------------------------------------------------ loss, optimizer, scheduler

    private LossSpec readLoss(Obj top, boolean classification) {
        if (!top.has("loss")) {
            top.get("loss");
            String type = classification ? "cross_entropy" : "mse";
            return new LossSpec(type, defaults(Catalog.losses().get(type)));
        }
        Component c = component(top.get("loss"), top.at("loss"), Catalog.losses(), "loss");
        if (c == null) {
            return null;
        }
        LossSpec loss = new LossSpec(c.type, c.options);
        if (loss.isClassification() != classification) {
            List<String> fitting = new ArrayList<>();
            for (String t : Catalog.losses().keySet()) {
                if (Catalog.CLASSIFICATION_LOSSES.contains(t) == classification) {
                    fitting.add(t);
                }
            }
            problems.add(c.typePointer, c.type + (classification ? " is a regression loss but the dataset's task is "
                    + "classification" : " needs class labels but the dataset's task is regression") + "; use one of "
                    + fitting, c.type);
        }
        return loss;
    }

    private OptimizerSpec readOptimizer(Obj top) {
        if (!top.has("optimizer")) {
            top.get("optimizer");
            problems.add(top.at("optimizer"), "missing required field 'optimizer' (one of " + Catalog.optimizers().keySet()
                    + ")", (Object) null);
            return null;
        }
        Component c = component(top.get("optimizer"), top.at("optimizer"), Catalog.optimizers(), "optimizer");
        if (c == null) {
            return null;
        }
        if (c.type.equals("sgd") && c.options.getBoolean("nesterov")
                && (c.options.getDouble("momentum") <= 0 || c.options.getDouble("dampening") != 0)) {
            problems.add(Problems.child(top.at("optimizer"), "nesterov"), "needs momentum > 0 and dampening 0, got momentum "
                    + Kind.fmt(c.options.getDouble("momentum")) + " and dampening " + Kind.fmt(c.options.getDouble("dampening")), true);
        }
        return new OptimizerSpec(c.type, c.options);
    }

    private SchedulerSpec readScheduler(Obj top, OptimizerSpec optimizer, List<String> keys, EvaluationSpec evaluation) {
        if (!top.has("scheduler")) {
            top.get("scheduler");
            return null;
        }
        String ptr = top.at("scheduler");
        Component c = component(top.get("scheduler"), ptr, Catalog.schedulers(), "scheduler");
        if (c == null) {
            return null;
        }
        Options o = c.options;
        switch (c.type) {
            case "multistep" -> {
                List<Integer> ms = o.getInts("milestones");
                for (int i = 1; i < ms.size(); i++) {
                    if (ms.get(i) <= ms.get(i - 1)) {
                        problems.add(Problems.child(ptr, "milestones"), "must be strictly increasing, got " + ms, ms);
                        break;
                    }
                }
            }
            case "onecycle" -> {
                if (o.getBoolean("cycleMomentum") && optimizer != null && optimizer.type().equals("adagrad")) {
                    problems.add(Problems.child(ptr, "cycleMomentum"), "adagrad has neither momentum nor betas to cycle; "
                            + "set cycleMomentum: false or use another optimizer", true);
                }
                if (o.getDouble("baseMomentum") > o.getDouble("maxMomentum")) {
                    problems.add(Problems.child(ptr, "baseMomentum"), "must be <= maxMomentum ("
                            + Kind.fmt(o.getDouble("maxMomentum")) + "), got " + Kind.fmt(o.getDouble("baseMomentum")),
                            o.getDouble("baseMomentum"));
                }
            }
            case "plateau" -> {
                Map<String, Object> filled = new LinkedHashMap<>(o.asMap());
                String metric = o.has("metric") ? o.getString("metric")
                        : evaluation == null ? null : EvaluationSpec.prefix(evaluation.splits().getFirst()) + "/loss";
                if (metric != null) {
                    checkMetricKey(Problems.child(ptr, "metric"), metric, keys);
                    filled.put("metric", metric);
                    if (!o.has("mode")) {
                        filled.put("mode", inferMode(metric).json());
                    }
                }
                // keep the catalog's order: metric, mode, then the rest
                Map<String, Object> ordered = new LinkedHashMap<>();
                for (Param p : Catalog.schedulers().get("plateau").params()) {
                    if (filled.containsKey(p.name())) {
                        ordered.put(p.name(), filled.get(p.name()));
                    }
                }
                o = Options.of(ordered);
            }
            default -> {
            }
        }
        return new SchedulerSpec(c.type, o);
    }

    // ------------------------------------------------------------------ metrics, evaluation, logging

    private List<MetricSpec> readMetrics(Obj top, DatasetSpec dataset, boolean classification) {
        if (!top.has("metrics")) {
            top.get("metrics");
            return List.of(classification ? new MetricSpec("accuracy", 1, "micro") : new MetricSpec("mse", 1, null));
        }
        JsonNode list = top.get("metrics");
        String ptr = top.at("metrics");
        if (!list.isArray()) {
            problems.add(ptr, "must be a list of metrics, got " + Problems.show(list), list);
            return List.of();
        }
        if (list.size() > Limits.METRICS) {
            problems.add(ptr, "must have at most " + Limits.METRICS + " metrics, got " + list.size(), list);
            return List.of();
        }
        List<MetricSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = Problems.child(ptr, i);
            MetricSpec m = readMetric(list.get(i), at, dataset);
            if (m == null) {
                continue;
            }
            boolean regression = Catalog.REGRESSION_METRICS.contains(m.type());
            if (regression == classification) {
                problems.add(at, m.key() + (classification ? " is a regression metric but the dataset's task is classification"
                        : " needs class labels but the dataset's task is regression"), m.key());
                continue;
            }
            if (!seen.add(m.key())) {
                problems.add(at, "duplicate metric '" + m.key() + "'", m.key());
                continue;
            }
            out.add(m);
        }
        return List.copyOf(out);
    }

    private MetricSpec readMetric(JsonNode n, String at, DatasetSpec dataset) {
        if (n.isTextual()) {
            Matcher mt = METRIC.matcher(n.asText().toLowerCase(Locale.ROOT));
            if (!mt.matches()) {
                List<String> examples = List.of("accuracy", "top5_accuracy", "accuracy_macro", "precision_macro",
                        "recall_macro", "f1_macro", "f1_micro", "f1_weighted", "auroc", "mse", "mae", "rmse");
                problems.add(at, "unknown metric '" + n.asText() + "'; expected one of " + examples
                        + " or an object {type, topK, average}" + Suggest.didYouMean(n, examples), n);
                return null;
            }
            String type = mt.group(2);
            int topK = mt.group(1) == null ? 1 : Integer.parseInt(mt.group(1));
            String average = mt.group(3);
            return checkMetric(type, topK, average, at, at, at, n, dataset);
        }
        Obj o = object(n, at, "a metric");
        if (o == null) {
            return null;
        }
        String type = o.required("type", Kind.choice(Catalog.METRIC_TYPES.toArray(String[]::new)));
        Integer topK = o.value("topK", Kind.integer(1, Limits.METRICS), null);
        String average = o.value("average", Kind.choice("micro", "macro", "weighted"), null);
        o.finish(List.of("type", "topK", "average"), "a metric");
        if (type == null) {
            return null;
        }
        if (topK != null && !type.equals("accuracy")) {
            problems.add(o.at("topK"), "only applies to accuracy", topK);
            return null;
        }
        return checkMetric(type, topK == null ? 1 : topK, average, o.at("topK"), o.at("average"), at, n, dataset);
    }

    private MetricSpec checkMetric(String type, int topK, String average, String topKAt, String averageAt, String at,
                                   JsonNode n, DatasetSpec dataset) {
        List<String> averages = Catalog.METRIC_AVERAGES.get(type);
        if (average != null && !averages.contains(average)) {
            problems.add(averageAt, averages.isEmpty() ? type + " is not averaged over classes; remove the average"
                    : type + " supports the averages " + averages + ", got '" + average + "'", average);
            return null;
        }
        if (topK != 1 && !type.equals("accuracy")) {
            problems.add(topKAt, "top-k only applies to accuracy", topK);
            return null;
        }
        if (dataset != null && dataset.isImage() && topK > IMAGE_CLASSES) {
            problems.add(topKAt, "must be <= " + IMAGE_CLASSES + " (" + dataset.name() + " has " + IMAGE_CLASSES
                    + " classes), got " + topK, topK);
            return null;
        }
        if (average == null && !averages.isEmpty()) {
            average = type.equals("accuracy") ? "micro" : "macro";
        }
        return new MetricSpec(type, topK, average);
    }

    private EvaluationSpec readEvaluation(Obj top, double validationSplit) {
        List<String> defaultSplits = validationSplit > 0 ? List.of("validation", "test") : List.of("test");
        Obj e = top.object("evaluation", false);
        if (e == null) {
            return new EvaluationSpec(1, null, 1000, defaultSplits);
        }
        Integer everyEpochs = e.value("everyEpochs", Kind.integer(1, Limits.EPOCHS), null);
        Integer everySteps = e.value("everySteps", Kind.integer(1, Limits.STEPS), null);
        if (e.has("everyEpochs") && e.has("everySteps")) {
            problems.add(e.at("everySteps"), "everyEpochs and everySteps are mutually exclusive; give one of them", everySteps);
        }
        if (!e.has("everyEpochs") && !e.has("everySteps")) {
            everyEpochs = 1;
        }
        int batchSize = e.value("batchSize", Kind.integer(1, Limits.BATCH_SIZE), 1000);
        List<String> splits = defaultSplits;
        if (e.has("splits")) {
            List<String> given = e.value("splits", Kind.list(Kind.choice("validation", "test"), 1), null);
            if (given != null) {
                List<String> unique = new ArrayList<>();
                for (int i = 0; i < given.size(); i++) {
                    String s = given.get(i);
                    String at = Problems.child(e.at("splits"), i);
                    if (unique.contains(s)) {
                        problems.add(at, "duplicate split '" + s + "'", s);
                    } else if (s.equals("validation") && validationSplit == 0) {
                        problems.add(at, "needs dataset.validationSplit > 0 to hold out validation data", s);
                    } else {
                        unique.add(s);
                    }
                }
                splits = unique.isEmpty() ? defaultSplits : unique;
            }
        }
        e.finish(List.of("everyEpochs", "everySteps", "batchSize", "splits"), "evaluation");
        return new EvaluationSpec(everyEpochs, everySteps, batchSize, splits);
    }

    private LoggingSpec readLogging(Obj top) {
        Obj l = top.object("logging", false);
        if (l == null) {
            return new LoggingSpec(50);
        }
        int every = l.value("everySteps", Kind.integer(1, Limits.STEPS), 50);
        l.finish(List.of("everySteps"), "logging");
        return new LoggingSpec(every);
    }

    // ------------------------------------------------------------------ checkpoints, early stopping, clipping

    private CheckpointSpec readCheckpoint(Obj top, List<String> keys) {
        Obj c = top.object("checkpoint", false);
        if (c == null) {
            return new CheckpointSpec(1, null, 1, null);
        }
        Integer everyEpochs = c.value("everyEpochs", Kind.integer(1, Limits.EPOCHS), null);
        Integer everySteps = c.value("everySteps", Kind.integer(1, Limits.STEPS), null);
        if (c.has("everyEpochs") && c.has("everySteps")) {
            problems.add(c.at("everySteps"), "everyEpochs and everySteps are mutually exclusive; give one of them", everySteps);
        }
        if (!c.has("everyEpochs") && !c.has("everySteps")) {
            everyEpochs = 1;
        }
        int keepLast = c.value("keepLast", Kind.integer(1, Limits.KEEP), 1);
        CheckpointSpec.KeepBest keepBest = null;
        Obj b = c.object("keepBest", false);
        if (b != null) {
            String metric = b.required("metric", Kind.string());
            String modeName = b.value("mode", Kind.choice("min", "max"), null);
            b.finish(List.of("metric", "mode"), "keepBest");
            if (metric != null && checkMetricKey(b.at("metric"), metric, keys)) {
                keepBest = new CheckpointSpec.KeepBest(metric, modeName == null ? inferMode(metric) : Mode.valueOf(modeName.toUpperCase(Locale.ROOT)));
            }
        }
        c.finish(List.of("everyEpochs", "everySteps", "keepLast", "keepBest"), "checkpoint");
        return new CheckpointSpec(everyEpochs, everySteps, keepLast, keepBest);
    }

    private EarlyStoppingSpec readEarlyStopping(Obj top, List<String> keys) {
        Obj e = top.object("earlyStopping", false);
        if (e == null) {
            return null;
        }
        String metric = e.required("metric", Kind.string());
        String modeName = e.value("mode", Kind.choice("min", "max"), null);
        int patience = e.value("patience", Kind.integer(1, Limits.KEEP), 3);
        double minDelta = e.value("minDelta", Kind.nonNegative(), 0.0);
        e.finish(List.of("metric", "mode", "patience", "minDelta"), "earlyStopping");
        if (metric == null || !checkMetricKey(e.at("metric"), metric, keys)) {
            return null;
        }
        return new EarlyStoppingSpec(metric, modeName == null ? inferMode(metric) : Mode.valueOf(modeName.toUpperCase(Locale.ROOT)),
                patience, minDelta);
    }

    private GradClipSpec readGradClip(Obj top) {
        Obj g = top.object("gradClip", false);
        if (g == null) {
            return null;
        }
        Double maxNorm = g.value("maxNorm", Kind.positive(), null);
        Double value = g.value("value", Kind.positive(), null);
        if (g.has("maxNorm") && g.has("value")) {
            problems.add(g.at("value"), "maxNorm and value are mutually exclusive; give one of them", value);
        } else if (!g.has("maxNorm") && !g.has("value")) {
            problems.add(g.pointer, "needs maxNorm (clip the gradient norm) or value (clip each element)", (Object) null);
        }
        g.finish(List.of("maxNorm", "value"), "gradClip");
        return new GradClipSpec(maxNorm, value);
    }

    /** The mode a metric is optimized in when the spec does not say: losses and errors go down, the rest up. */
    static Mode inferMode(String metric) {
        String base = metric.substring(metric.indexOf('/') + 1);
        return base.endsWith("loss") || Catalog.REGRESSION_METRICS.contains(base) ? Mode.MIN : Mode.MAX;
    }

    private boolean checkMetricKey(String pointer, String metric, List<String> keys) {
        if (keys.isEmpty() || keys.contains(metric)) {
            return true;
        }
        problems.add(pointer, "unknown metric '" + metric + "'; this run reports " + keys + Suggest.didYouMean(metric, keys), metric);
        return false;
    }

    // ------------------------------------------------------------------ components

    private record Component(String type, Options options, String typePointer) {
    }

    /** A {@code {type: ..., args...}} object, or just the type as a string; null after a problem. */
    private Component component(JsonNode n, String ptr, Map<String, ComponentType> table, String what) {
        if (n.isTextual()) {
            ComponentType t = lookup(n, ptr, table, what);
            if (t == null) {
                return null;
            }
            for (Param p : t.params()) {
                if (p.required()) {
                    problems.add(Problems.child(ptr, p.name()), "missing required field '" + p.name() + "' of " + what + " '"
                            + t.name() + "' (" + p.kind().describe() + "); write it as an object {type: " + t.name() + ", "
                            + p.name() + ": ...}", (Object) null);
                    return null;
                }
            }
            return new Component(t.name(), defaults(t), ptr);
        }
        Obj o = object(n, ptr, "a " + what + " (an object with a type, or just the type's name)");
        if (o == null) {
            return null;
        }
        if (!o.has("type")) {
            o.get("type");
            problems.add(o.at("type"), "missing required field 'type' (one of " + table.keySet() + ")", (Object) null);
            o.finish(List.copyOf(o.fieldNames()), what);
            return null;
        }
        ComponentType t = lookup(o.get("type"), o.at("type"), table, what);
        if (t == null) {
            o.finish(List.copyOf(o.fieldNames()), what);
            return null;
        }
        Options options = options(o, t, what + " '" + t.name() + "'", true);
        return options == null ? null : new Component(t.name(), options, o.at("type"));
    }

    private ComponentType lookup(JsonNode n, String ptr, Map<String, ComponentType> table, String what) {
        if (!n.isTextual()) {
            problems.add(ptr, "must be the name of a " + what + " (one of " + table.keySet() + "), got " + Problems.show(n), n);
            return null;
        }
        ComponentType t = table.get(n.asText().toLowerCase(Locale.ROOT));
        if (t == null) {
            problems.add(ptr, "unknown " + what + " '" + n.asText() + "'; expected one of " + table.keySet()
                    + Suggest.didYouMean(n, table.keySet()), n);
        }
        return t;
    }

    /** Reads a component's arguments from {@code o} (which may also hold {@code type}); null after a problem. */
    private Options options(Obj o, ComponentType t, String what, boolean hasTypeField) {
        int before = problems.size();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : t.params()) {
            if (!o.has(p.name())) {
                o.get(p.name());
                if (p.required()) {
                    problems.add(o.at(p.name()), "missing required field '" + p.name() + "' of " + what + " ("
                            + p.kind().describe() + ")", (Object) null);
                } else if (p.defaultValue() != null) {
                    values.put(p.name(), p.defaultValue());
                }
                continue;
            }
            Object v = p.kind().read(o.get(p.name()), o.at(p.name()), problems);
            if (v != null) {
                values.put(p.name(), v);
            }
        }
        List<String> allowed = new ArrayList<>();
        if (hasTypeField) {
            allowed.add("type");
        }
        allowed.addAll(t.paramNames());
        o.finish(allowed, what);
        return problems.size() == before ? Options.of(values) : null;
    }

    private static Options defaults(ComponentType t) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : t.params()) {
            if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            }
        }
        return Options.of(values);
    }

    // ------------------------------------------------------------------ object reader

    private Obj object(JsonNode n, String pointer, String what) {
        if (n == null || !n.isObject()) {
            problems.add(pointer, "must be an object (" + what + "), got " + Problems.show(n), n);
            return null;
        }
        return new Obj(n, pointer);
    }

    /** An object being read: typed member access that records problems, then {@link #finish} for unknown members. */
    private final class Obj {
        final JsonNode node;
        final String pointer;

        Obj(JsonNode node, String pointer) {
            this.node = node;
            this.pointer = pointer;
        }

        String at(String name) {
            return Problems.child(pointer, name);
        }

        /** Present and not null (YAML's {@code ~} and JSON's null mean "absent"). */
        boolean has(String name) {
            JsonNode v = node.get(name);
            return v != null && !v.isNull();
        }

        JsonNode raw(String name) {
            return node.get(name);
        }

        JsonNode get(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : v;
        }

        Collection<String> fieldNames() {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }

        @SuppressWarnings("unchecked")
        <T> T value(String name, Kind kind, T fallback) {
            JsonNode v = get(name);
            if (v == null) {
                return fallback;
            }
            Object r = kind.read(v, at(name), problems);
            return r == null ? fallback : (T) r;
        }

        <T> T required(String name, Kind kind) {
            if (!has(name)) {
                problems.add(at(name), "missing required field '" + name + "' (" + kind.describe() + ")", (Object) null);
                return null;
            }
            return value(name, kind, null);
        }

        Obj object(String name, boolean required) {
            JsonNode v = get(name);
            if (v == null) {
                if (required) {
                    problems.add(at(name), "missing required field '" + name + "' (an object)", (Object) null);
                }
                return null;
            }
            if (!v.isObject()) {
                problems.add(at(name), "must be an object, got " + Problems.show(v), v);
                return null;
            }
            return new Obj(v, at(name));
        }

        /** Reports every member not in {@code allowed}. */
        void finish(List<String> allowed, String what) {
            for (String f : fieldNames()) {
                if (!allowed.contains(f)) {
                    problems.add(at(f), "unknown field '" + f + "' in " + what + "; expected one of " + allowed
                            + Suggest.didYouMean(f, allowed), node.get(f));
                }
            }
        }
    }
}
