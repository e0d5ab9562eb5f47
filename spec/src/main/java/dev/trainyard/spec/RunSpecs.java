package dev.trainyard.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.List;
import java.util.Map;

/**
 * Parses run specs from JSON or YAML and writes them back as canonical JSON.
 *
 * <pre>{@code
 * RunSpec spec = RunSpecs.parse(Files.readString(Path.of("run.yaml")));       // format detected
 * List<SpecProblem> problems = SpecValidator.validate(text, Format.AUTO);     // everything wrong, with pointers
 * String stored = RunSpecs.toJson(spec);                                       // defaults filled in
 * }</pre>
 */
public final class RunSpecs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunSpecs() {
    }

    /** The fields of a run spec's top level, in the order docs/run-spec.md lists them. */
    public static final List<String> FIELDS = SpecReader.TOP_LEVEL;

    /** Parses JSON or YAML (detected); throws {@link InvalidSpecException} listing every problem. */
    public static RunSpec parse(String text) {
        return parse(text, Format.AUTO);
    }

    public static RunSpec parse(String text, Format format) {
        Parsed p = tree(text, format);
        if (p.problem != null) {
            throw new InvalidSpecException(List.of(p.problem));
        }
        return parse(p.tree);
    }

    /** Reads an already parsed document (e.g. a request body's {@code spec} member). */
    public static RunSpec parse(JsonNode tree) {
        SpecReader reader = new SpecReader();
        RunSpec spec = reader.read(tree);
        if (spec == null) {
            throw new InvalidSpecException(reader.problems());
        }
        return spec;
    }

    /** The spec as pretty-printed JSON with every default written out; {@link #parse} gives back an equal spec. */
    public static String toJson(RunSpec spec) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec as a JSON tree, as {@link #toJson}. */
    public static ObjectNode toTree(RunSpec spec) {
        ObjectNode o = NODES.objectNode();
        o.put("version", spec.version());
        if (spec.name() != null) {
            o.put("name", spec.name());
        }
        o.put("seed", spec.seed());
        o.set("dataset", dataset(spec.dataset()));
        o.set("model", model(spec.model()));
        o.set("loss", component(spec.loss().type(), spec.loss().options()));
        o.set("optimizer", component(spec.optimizer().type(), spec.optimizer().options()));
        if (spec.scheduler() != null) {
            o.set("scheduler", component(spec.scheduler().type(), spec.scheduler().options()));
        }
        o.put("batchSize", spec.batchSize());
        if (spec.epochs() != null) {
            o.put("epochs", spec.epochs());
        }
        if (spec.maxSteps() != null) {
            o.put("maxSteps", spec.maxSteps());
        }
        ArrayNode metrics = o.putArray("metrics");
        for (MetricSpec m : spec.metrics()) {
            ObjectNode mo = metrics.addObject().put("type", m.type());
            if (m.type().equals("accuracy")) {
                mo.put("topK", m.topK());
            }
            if (m.average() != null) {
                mo.put("average", m.average());
            }
        }
        EvaluationSpec e = spec.evaluation();
        ObjectNode eo = o.putObject("evaluation");
        putIfSet(eo, "everyEpochs", e.everyEpochs());
        putIfSet(eo, "everySteps", e.everySteps());
        eo.put("batchSize", e.batchSize());
        e.splits().forEach(eo.putArray("splits")::add);
        o.putObject("logging").put("everySteps", spec.logging().everySteps());
        CheckpointSpec c = spec.checkpoint();
        ObjectNode co = o.putObject("checkpoint");
        putIfSet(co, "everyEpochs", c.everyEpochs());
        putIfSet(co, "everySteps", c.everySteps());
        co.put("keepLast", c.keepLast());
        if (c.keepBest() != null) {
            co.putObject("keepBest").put("metric", c.keepBest().metric()).put("mode", c.keepBest().mode().json());
        }
        if (spec.earlyStopping() != null) {
            EarlyStoppingSpec s = spec.earlyStopping();
            o.putObject("earlyStopping").put("metric", s.metric()).put("mode", s.mode().json()).put("patience", s.patience())
                    .put("minDelta", s.minDelta());
        }
        if (spec.gradClip() != null) {
            ObjectNode g = o.putObject("gradClip");
            if (spec.gradClip().maxNorm() != null) {
                g.put("maxNorm", spec.gradClip().maxNorm());
            }
            if (spec.gradClip().value() != null) {
                g.put("value", spec.gradClip().value());
            }
        }
        return o;
    }

    private static ObjectNode dataset(DatasetSpec d) {
        ObjectNode o = NODES.objectNode().put("name", d.name());
        if (d.path() != null) {
            o.put("path", d.path());
        }
        if (d.artifact() != null) {
            o.put("artifact", d.artifact());
        }
        putIfSet(o, "trainSubset", d.trainSubset());
        putIfSet(o, "testSubset", d.testSubset());
        o.put("validationSplit", d.validationSplit());
        o.put("splitSeed", d.splitSeed());
        if (d.isImage()) {
            if (d.normalize() != null) {
                ObjectNode n = o.putObject("normalize");
                d.normalize().mean().forEach(n.putArray("mean")::add);
                d.normalize().std().forEach(n.putArray("std")::add);
            }
            if (d.augment() != null) {
                o.putObject("augment").put("randomCropPadding", d.augment().randomCropPadding())
                        .put("horizontalFlip", d.augment().horizontalFlip());
            }
        } else {
            if (d.testPath() != null) {
                o.put("testPath", d.testPath());
            }
            if (d.testSplit() != null) {
                o.put("testSplit", d.testSplit());
            }
            o.set("label", value(d.label()));
            o.put("header", d.header());
            o.put("delimiter", d.delimiter());
            o.put("task", d.task().json());
        }
        return o;
    }

    private static ObjectNode model(ModelSpec m) {
        ObjectNode o = NODES.objectNode();
        if (m.isBuiltin()) {
            o.put("builtin", m.builtin());
            ObjectNode args = o.putObject("args");
            m.args().asMap().forEach((k, v) -> args.set(k, value(v)));
        } else {
            ArrayNode layers = o.putArray("layers");
            for (LayerSpec l : m.layers()) {
                layers.add(component(l.type(), l.args()));
            }
        }
        return o;
    }

    private static ObjectNode component(String type, Options options) {
        ObjectNode o = NODES.objectNode().put("type", type);
        for (Map.Entry<String, Object> e : options.asMap().entrySet()) {
            o.set(e.getKey(), value(e.getValue()));
        }
        return o;
    }

    private static JsonNode value(Object v) {
        return JSON.valueToTree(v);
    }

    private static void putIfSet(ObjectNode o, String name, Integer v) {
        if (v != null) {
            o.put(name, v);
        }
    }

    // ------------------------------------------------------------------ text to tree

    record Parsed(JsonNode tree, SpecProblem problem) {
    }

    static Parsed tree(String text, Format format) {
        if (text == null || text.isBlank()) {
            return new Parsed(null, new SpecProblem("", "the spec is empty", null));
        }
        Format f = format == Format.AUTO ? (text.stripLeading().startsWith("{") ? Format.JSON : Format.YAML) : format;
        try {
            JsonNode tree = (f == Format.JSON ? JSON : YAML).readTree(text);
            if (tree == null || tree.isMissingNode()) {
                return new Parsed(null, new SpecProblem("", "the spec is empty", null));
            }
            return new Parsed(tree, null);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            String message = e.getOriginalMessage().lines().findFirst().orElse("syntax error").strip();
            return new Parsed(null, new SpecProblem("", "not valid " + f + where + ": " + message, null));
        }
    }
}
