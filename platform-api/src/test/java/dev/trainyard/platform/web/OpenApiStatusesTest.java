package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.testing.ObservedStatuses;
import dev.trainyard.platform.testing.ObservedStatuses.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document tells the truth about statuses: every status the platform tests observed for an operation
 * (each request made through {@link Api} is recorded) is documented for that operation, errors as problem+json, and
 * every operation has a summary. Runs after every other test class of the module, so it sees what they saw; on its
 * own it still checks what it sends itself (every operation without a token).
 */
@Order(Integer.MAX_VALUE)
class OpenApiStatusesTest extends IntegrationTest {

    /** An operation of the document: its method, path template (as a regex) and documented statuses. */
    record Op(String method, String template, Pattern regex, Set<String> statuses, String summary, JsonNode node) {

        int literalLength() {
            return template.replaceAll("\\{[^}]+}", "").length();
        }
    }

    static List<Op> operations(JsonNode doc) {
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            String regex = "\\Q" + path.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (!List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    continue;
                }
                Set<String> statuses = new TreeSet<>(op.getValue().get("responses").propertyNames());
                JsonNode summary = op.getValue().get("summary");
                ops.add(new Op(op.getKey().toUpperCase(), path.getKey(), Pattern.compile(regex), statuses,
                        summary == null ? null : summary.stringValue(), op.getValue()));
            }
        }
        return ops;
    }

    /** The operation a request went to: the matching template with the most literal text (/runs/query over /runs/{id}). */
    static Op match(List<Op> ops, String method, String path) {
        Op best = null;
        for (Op op : ops) {
            if (op.method.equals(method) && op.regex.matcher(path).matches()
                    && (best == null || op.literalLength() > best.literalLength())) {
                best = op;
            }
        }
        return best;
    }

    @Test
    void everyObservedStatusIsDocumentedForItsOperation() {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        List<Op> ops = operations(doc);
        assertThat(ops).hasSizeGreaterThan(50);
        for (Op op : ops) {
            // no token: 401 from every operation
            api.send(op.method, op.template.replaceAll("\\{[^}]+}", "1"), null, Map.of(), null);
        }

        Map<String, Set<String>> undocumented = new TreeMap<>();
        Map<String, Set<String>> observed = new TreeMap<>();
        List<String> notProblemJson = new ArrayList<>();
        for (Observation o : ObservedStatuses.all()) {
            Op op = match(ops, o.method(), o.path());
            if (op == null) {
                continue; // not an operation of the API (Actuator, docs, unknown paths, methods a path lacks)
            }
            String key = op.method + " " + op.template;
            observed.computeIfAbsent(key, k -> new TreeSet<>()).add(Integer.toString(o.status()));
            if (!op.statuses.contains(Integer.toString(o.status()))) {
                undocumented.computeIfAbsent(key + " (documented " + op.statuses + ")", k -> new TreeSet<>())
                        .add(Integer.toString(o.status()));
            }
            if (o.status() >= 400 && !o.contentType().equals("application/problem+json")) {
                notProblemJson.add(key + " " + o.status() + " " + o.contentType());
            }
        }
        int pairs = observed.values().stream().mapToInt(Set::size).sum();
        System.out.printf("OpenAPI statuses: %d operations documented, %d observed, %d (operation, status) pairs "
                + "observed, %d responses recorded%n", ops.size(), observed.size(), pairs, ObservedStatuses.all().size());
        assertThat(undocumented).as("statuses observed but not documented").isEmpty();
        assertThat(notProblemJson).as("errors that were not problem+json").isEmpty();
    }

    @Test
    void everyOperationHasASummaryAndProblemJsonErrors() {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        List<String> missing = new ArrayList<>();
        List<String> wrongErrors = new ArrayList<>();
        for (Op op : operations(doc)) {
            if (op.summary == null || op.summary.isBlank()) {
                missing.add(op.method + " " + op.template);
            }
            assertThat(op.statuses).as(op.method + " " + op.template).contains("401");
            for (Map.Entry<String, JsonNode> r : op.node.get("responses").properties()) {
                if (r.getKey().startsWith("4") && (r.getValue().get("content") == null
                        || !r.getValue().get("content").has("application/problem+json"))) {
                    wrongErrors.add(op.method + " " + op.template + " " + r.getKey());
                }
            }
        }
        assertThat(missing).as("operations without a summary").isEmpty();
        assertThat(wrongErrors).as("error responses without problem+json").isEmpty();
        assertThat(doc.get("components").get("schemas").has("Problem")).isTrue();
    }
}
