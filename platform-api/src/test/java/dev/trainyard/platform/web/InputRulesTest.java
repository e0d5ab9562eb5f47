package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.testing.Specs;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Hostile and careless input gets a 400 naming the field, on PostgreSQL: integers beyond 32 bits in a spec, NUL and
 * other control characters in text, numbers too large for a double, scalars of the wrong type, truncated JSON, huge
 * headers; and the two ways newcomers post a spec (YAML, or without the {"spec": ...} wrapper) are answered helpfully.
 */
class InputRulesTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private String runs;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        runs = "/api/v1/projects/" + project + "/runs";
    }

    // ------------------------------------------------------------------ D3: spec integers beyond 32 bits

    @Test
    void specIntegersBeyond32BitsAre400NamingThePathAndTheRange() {
        for (String field : List.of("batchSize", "epochs")) {
            Map<String, Object> spec = new LinkedHashMap<>(Specs.spec("adam", 0.001, 1));
            spec.put(field, 2_147_483_648L);
            JsonNode problem = assertProblem(api.post(runs, alice.token(), Map.of("spec", spec)), 400);
            assertThat(problem.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/spec/" + field);
            assertThat(problem.get("detail").stringValue()).startsWith("/spec/" + field + ": must be in [1, ");
        }
        String yaml = "seed: 0\ndataset: {name: fashion-mnist, trainSubset: 9223372036854775807}\n"
                + "model: {builtin: mlp}\noptimizer: adam\nepochs: 1\nlogging: {everySteps: 4294967296}\n";
        JsonNode problem = assertProblem(api.post(runs, alice.token(), Map.of("spec", yaml)), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactly("/spec/dataset/trainSubset", "/spec/logging/everySteps");
        assertThat(problem.get("detail").stringValue()).isEqualTo(
                "/spec/dataset/trainSubset: must be in [1, 100000000], got 9223372036854775807 (and 1 more)");
    }

    @Test
    void aHiddenLayerTheTrainerCannotHoldIs400() {
        JsonNode problem = assertProblem(api.post(runs, alice.token(),
                Map.of("spec", Specs.spec("adam", 0.001, 1, List.of(120_000)))), 400);
        assertThat(problem.get("detail").stringValue())
                .isEqualTo("/spec/model/args/hidden/0: must be in [1, 16384], got 120000");
    }

    // ------------------------------------------------------------------ D5: NUL and control characters

    @Test
    void aNulInAnyTextIs400NamingTheField() {
        String nul = "a\u0000b";
        assertField(api.post("/api/v1/projects", alice.token(), Map.of("name", nul)), "/name");
        assertField(api.post("/api/v1/projects", alice.token(), Map.of("name", "ok", "description", nul)), "/description");
        assertField(api.post("/api/v1/projects/" + project + "/experiments", alice.token(), Map.of("name", nul)), "/name");
        assertField(api.post(runs, alice.token(), with(runBody(), "name", nul)), "/name");
        assertField(api.post(runs, alice.token(), with(runBody(), "notes", nul)), "/notes");
        assertField(api.post(runs, alice.token(), with(runBody(), "params", Map.of("optimizer", nul))), "/params/optimizer");
        Map<String, Object> spec = new LinkedHashMap<>(Specs.spec("adam", 0.001, 1));
        spec.put("name", nul);
        JsonNode problem = assertField(api.post(runs, alice.token(), Map.of("spec", spec)), "/spec/name");
        assertThat(problem.get("detail").stringValue()).contains("found U+0000 at index 1");
        assertThat(jdbc.sql("select count(*) from runs where project_id = ?").param(project).query(Long.class).single())
                .isZero();
    }

    @Test
    void namesAreOneLineWhileNotesAndDescriptionsMayHoldTabsAndLineBreaks() {
        assertField(api.post(runs, alice.token(), with(runBody(), "name", "two\nlines")), "/name");
        assertField(api.post(runs, alice.token(), with(runBody(), "notes", "bell\u0007")), "/notes");
        JsonNode run = submitRun(project, alice, with(runBody(), "notes", "first line\n\tsecond line\r\n"));
        assertThat(run.get("notes").stringValue()).isEqualTo("first line\n\tsecond line\r\n");
        Api.Response ok = api.post("/api/v1/projects", alice.token(), Map.of("name", "p-" + System.nanoTime(),
                "description", "a\tb\nc"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    // ------------------------------------------------------------------ D7: coercions and leaks

    @Test
    void scalarsOfTheWrongTypeAreNotCoerced() {
        JsonNode tags = assertField(api.post(runs, alice.token(), with(runBody(), "tags", List.of(1, 2))), "/tags/0");
        assertThat(tags.get("detail").stringValue()).isEqualTo("/tags/0: must be a string, got 1");
        JsonNode name = assertField(api.post(runs, alice.token(), with(runBody(), "name", 123)), "/name");
        assertThat(name.get("detail").stringValue()).isEqualTo("/name: must be a string, got 123");
        assertField(api.post(runs, alice.token(), with(runBody(), "priority", 1.5)), "/priority");
        assertField(api.post(runs, alice.token(), with(runBody(), "priority", "5")), "/priority");
        assertField(api.post(runs, alice.token(), with(runBody(), "maxAttempts", "")), "/maxAttempts");
        assertField(api.post("/api/v1/tokens", alice.token(), Map.of("name", "t", "scope", "")), "/scope");
        assertField(api.post("/api/v1/projects", alice.token(), Map.of("name", true)), "/name");
    }

    @Test
    void detailsNameTypesInWordsNotJavaClasses() {
        List<JsonNode> problems = List.of(
                assertProblem(api.post(runs, alice.token(), with(runBody(), "params", List.of(1))), 400),
                assertProblem(api.post(runs, alice.token(), with(runBody(), "maxAttempts", "x")), 400),
                assertProblem(api.post("/api/v1/projects", alice.token(), Map.of("name", Map.of("a", 1))), 400),
                assertProblem(api.get(runs + "/abc", alice.token()), 400),
                assertProblem(api.get(runs + "/1/logs?attempt=x", alice.token()), 400),
                assertProblem(api.post(runs, alice.token(), with(runBody(), "resources", List.of())), 400));
        for (JsonNode p : problems) {
            assertThat(p.toString()).doesNotContain("java.", "tools.jackson", "JsonNode", "`", "LinkedHashMap");
        }
        assertThat(problems.get(0).get("detail").stringValue()).isEqualTo("/params: must be a JSON object, got an array");
        assertThat(problems.get(3).get("detail").stringValue()).isEqualTo("runId: must be an integer, got 'abc'");
        assertThat(problems.get(5).get("detail").stringValue()).isEqualTo("/resources: must be a JSON object, got an array");
    }

    @Test
    void aTruncatedBodySaysWhereItEndsWithoutParserInternals() {
        JsonNode problem = assertProblem(api.post(runs, alice.token(), "{\"name\": \"x"), 400);
        String detail = problem.get("detail").stringValue();
        assertThat(detail).startsWith("the request body is not valid JSON: it ends too early").contains("(line 1, column");
        assertThat(detail).doesNotContain("StreamReadFeature", "#UNKNOWN", "byte offset", "Source");
        JsonNode inArray = assertProblem(api.post(runs, alice.token(), "{\"tags\": [\"a\", "), 400);
        assertThat(inArray.get("detail").stringValue()).startsWith("the request body is not valid JSON: it ends too early");
        JsonNode word = assertProblem(api.post(runs, alice.token(), "{\"name\": nope}"), 400);
        assertThat(word.get("detail").stringValue()).isEqualTo("the request body is not valid JSON: unrecognized word "
                + "'nope' (strings need double quotes; true, false and null are lowercase) (line 1, column 10)");
    }

    @Test
    void aMetricValueBeyondADoubleIs400NotInfinity() {
        long run = submitRun(project, alice, runBody()).get("id").longValue();
        String body = "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 1e400}, "
                + "{\"key\": \"loss\", \"step\": 2, \"value\": \"Infinity\"}]}";
        JsonNode problem = assertField(api.post(runs + "/" + run + "/metrics", alice.token(), body), "/points/0/value");
        assertThat(problem.get("detail").stringValue()).contains("must fit a 64-bit float");
        assertThat(jdbc.sql("select count(*) from metric_points where run_id = ?").param(run).query(Long.class).single())
                .isZero();
    }

    @Test
    void logStreamsAreStdoutOrStderrAndAttemptsAreNotNegative() {
        long run = submitRun(project, alice, runBody()).get("id").longValue();
        String logs = runs + "/" + run + "/logs";
        JsonNode problem = assertField(api.post(logs, alice.token(), Map.of("lines",
                List.of(Map.of("seq", 1, "text", "x", "stream", "whatever")))), "/lines/0/stream");
        assertThat(problem.get("detail").stringValue()).isEqualTo("/lines/0/stream: must be stdout or stderr");
        Api.Response ok = api.post(logs, alice.token(), Map.of("lines",
                List.of(Map.of("seq", 1, "text", "x", "stream", "stderr"))));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        JsonNode attempt = assertProblem(api.get(logs + "?attempt=-1", alice.token()), 400);
        assertThat(attempt.get("errors").get(0).get("parameter").stringValue()).isEqualTo("attempt");
    }

    @Test
    void headersOverTheLimitGetProblemJsonNotTomcatsPage() {
        HttpRequest request = HttpRequest.newBuilder(api.uri(runs))
                .header("Authorization", "Bearer " + alice.token())
                .header("X-Padding", "a".repeat(10_000))
                .GET().build();
        Api.Response r = api.send(request);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").stringValue()).contains("headers are larger than the server's limit");
        assertThat(r.body()).doesNotContain("<html", "Apache Tomcat");
    }

    // ------------------------------------------------------------------ frictions

    @Test
    void aYamlBodyIsARunSpec() {
        String yaml = "seed: 0\ndataset: {name: fashion-mnist, trainSubset: 100, testSubset: 50}\n"
                + "model: {builtin: mlp, args: {hidden: [8]}}\noptimizer: {type: adam, lr: 0.001}\nepochs: 1\n";
        Api.Response r = api.send("POST", runs, alice.token(), Map.of("Content-Type", "application/yaml"), yaml);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("spec").get("model").get("args").get("hidden").get(0).intValue()).isEqualTo(8);
        assertThat(r.header("Location")).isEqualTo(runs + "/" + r.json().get("id").longValue());
        JsonNode bad = assertProblem(api.send("POST", runs, alice.token(), Map.of("Content-Type", "application/yaml"),
                yaml.replace("epochs: 1", "epochs: 0")), 400);
        assertThat(bad.get("detail").stringValue()).startsWith("/spec/epochs: must be in [1, 100000], got 0");
    }

    @Test
    void aBareSpecIsToldToWrapItInSpec() {
        JsonNode problem = assertProblem(api.post(runs, alice.token(), Specs.spec("adam", 0.001, 1)), 400);
        assertThat(problem.get("detail").stringValue()).startsWith("/seed: unknown field 'seed'; the body is "
                + "{\"spec\": <the run spec>, ...} with the run spec inside \"spec\"");
    }

    private static JsonNode assertField(Api.Response r, String pointer) {
        JsonNode problem = assertProblem(r, 400);
        assertThat(problem.get("errors")).as(problem.toString()).isNotNull();
        assertThat(problem.get("errors").get(0).get("pointer").stringValue()).as(problem.toString()).isEqualTo(pointer);
        return problem;
    }
}
