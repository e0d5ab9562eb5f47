package dev.trainyard.helm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart in helm/trainyard, linted and rendered by Helm itself (helm-java runs Helm's Go code in the JVM). */
final class Chart {

    static final Path DIR = Path.of(System.getProperty("trainyard.chart", "trainyard")).toAbsolutePath();
    static final String RELEASE = "ty";
    static final String NAMESPACE = "ml";
    static final YAMLMapper YAML = new YAMLMapper();

    static {
        FakeCluster.start();
    }

    private Chart() {}

    /** A value set: a file in the chart's ci/ folder (the chart-testing convention), or the defaults. */
    static Path values(String name) {
        return name.equals("defaults") ? null : DIR.resolve("ci").resolve(name + "-values.yaml");
    }

    /** The default values and the value set, as text. */
    static String valuesText(String valueSet) {
        try {
            Path file = values(valueSet);
            return Files.readString(DIR.resolve("values.yaml")) + (file == null ? "" : Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** helm template with the chart's defaults overridden by a value set and then by single values. */
    static Rendered template(String valueSet, Map<String, Object> sets) {
        var command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion("1.31.0");
        Path file = values(valueSet);
        if (file != null) {
            command.withValuesFile(file);
        }
        sets.forEach(command::set);
        String yaml = command.call();
        if (sets.isEmpty()) {
            keep(valueSet, yaml);
        }
        return new Rendered(valueSet, parse(yaml));
    }

    static Rendered template(String valueSet) {
        return template(valueSet, Map.of());
    }

    /** Leaves each value set's rendering in target/rendered for a person to read. */
    private static void keep(String valueSet, String yaml) {
        try {
            Path dir = Path.of(System.getProperty("trainyard.rendered", "target/rendered"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(valueSet + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * helm lint --strict for a value set. Lint reads only the chart's own values.yaml, so the set is merged into a
     * copy of the chart's defaults, in a copy of the chart.
     */
    static LintResult lint(String valueSet) {
        Path file = values(valueSet);
        if (file == null) {
            return new Helm(DIR).lint().strict().call();
        }
        try {
            Path copy = Files.createTempDirectory("trainyard-chart-").resolve("trainyard");
            copyTree(DIR, copy);
            JsonNode merged = merge(YAML.readTree(DIR.resolve("values.yaml").toFile()), YAML.readTree(file.toFile()));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            try {
                return new Helm(copy).lint().strict().call();
            } finally {
                deleteTree(copy.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's merge of values: maps merge key by key, anything else (lists too) is replaced. */
    static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode b) || !(override instanceof ObjectNode o)) {
            return override;
        }
        ObjectNode result = b.deepCopy();
        for (var e : o.properties()) {
            result.set(e.getKey(), result.has(e.getKey()) ? merge(result.get(e.getKey()), e.getValue()) : e.getValue());
        }
        return result;
    }

    private static List<JsonNode> parse(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A rendering: every manifest as Helm printed it, and the built-in kinds read strictly into fabric8's model. */
    record Rendered(String valueSet, List<JsonNode> manifests) {

        List<HasMetadata> resources() {
            return manifests.stream()
                    .filter(m -> StrictKubernetesModel.isBuiltIn(m.path("apiVersion").asText(), m.path("kind").asText()))
                    .map(StrictKubernetesModel::read)
                    .toList();
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources().stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(valueSet + ": no " + type.getSimpleName() + " " + name
                            + " among " + all(type).stream().map(r -> r.getMetadata().getName()).toList()));
        }

        List<JsonNode> custom(String apiVersion, String kind) {
            return manifests.stream()
                    .filter(m -> m.path("apiVersion").asText().equals(apiVersion) && m.path("kind").asText().equals(kind))
                    .toList();
        }
    }
}
