package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.testing.Specs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Parameters captured from the spec on submit and clone, so param.* filters and sorts work on every run. */
class SpecParamsTest extends IntegrationTest {

    @Test
    void theSpecIsCapturedAsDottedParamsAndUserParamsWin() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        String runs = "/api/v1/projects/" + project + "/runs";
        long a = submitRun(project, alice, Map.of("spec", Specs.spec("adam", 0.001, 3, List.of(256, 128)),
                "params", Map.of("optimizer.type", "my-adam", "note", "first"))).get("id").longValue();
        long b = submitRun(project, alice, Map.of("spec", Specs.spec("sgd", 0.01, 2))).get("id").longValue();
        long c = submitRun(project, alice, Map.of("spec", Specs.spec("adam", 0.0001, 1))).get("id").longValue();

        JsonNode params = api.get(runs + "/" + a, alice.token()).json().get("params");
        assertThat(params.get("optimizer.lr").isNumber()).isTrue();
        assertThat(params.get("optimizer.lr").doubleValue()).isEqualTo(0.001);
        assertThat(params.get("optimizer.type").stringValue()).isEqualTo("my-adam"); // the user's value wins
        assertThat(params.get("note").stringValue()).isEqualTo("first");
        assertThat(params.get("epochs").isIntegralNumber()).isTrue();
        assertThat(params.get("epochs").intValue()).isEqualTo(3);
        assertThat(params.get("seed").intValue()).isZero();
        assertThat(params.get("model.builtin").stringValue()).isEqualTo("mlp");
        assertThat(params.get("model.args.hidden").stringValue()).isEqualTo("[256,128]");
        assertThat(params.get("dataset.name").stringValue()).isEqualTo("fashion-mnist");
        assertThat(params.get("dataset.trainSubset").intValue()).isEqualTo(1000);
        assertThat(params.get("batchSize").isIntegralNumber()).isTrue(); // a default, written out
        assertThat(params.has("optimizer")).isFalse();

        // filters and sorts by a captured parameter, on runs that were given no params at all
        assertThat(ids(api.get(runs + "?param.optimizer.lr>0.0005&sort=param.optimizer.lr,asc", alice.token())))
                .containsExactly(a, b);
        assertThat(ids(api.get(runs + "?sort=param.optimizer.lr,desc", alice.token()))).containsExactly(b, a, c);
        assertThat(ids(api.get(runs + "?filter=param.model.builtin=mlp&param.epochs<=2", alice.token())))
                .containsExactly(c, b);

        // a clone captures its own spec's values; what the user gave the source stays
        Api.Response clone = api.post(runs + "/" + a + "/clone", alice.token(),
                Map.of("spec", Map.of("optimizer", Map.of("lr", 0.02), "epochs", 5)));
        assertThat(clone.status()).as(clone.toString()).isEqualTo(201);
        JsonNode cloned = clone.json().get("params");
        assertThat(cloned.get("optimizer.lr").doubleValue()).isEqualTo(0.02);
        assertThat(cloned.get("epochs").intValue()).isEqualTo(5);
        assertThat(cloned.get("optimizer.type").stringValue()).isEqualTo("my-adam");
        assertThat(cloned.get("note").stringValue()).isEqualTo("first");
        Api.Response plain = api.post(runs + "/" + b + "/clone", alice.token(),
                Map.of("spec", Map.of("optimizer", Map.of("lr", 0.03), "epochs", 4)));
        assertThat(plain.status()).as(plain.toString()).isEqualTo(201);
        JsonNode plainClone = plain.json().get("params");
        assertThat(plainClone.get("optimizer.type").stringValue()).isEqualTo("sgd");
        assertThat(plainClone.get("optimizer.lr").doubleValue()).isEqualTo(0.03);
        assertThat(plainClone.get("epochs").intValue()).isEqualTo(4);
    }

    @Test
    void migrationV16GivesEarlierRunsTheSameParamsOnPostgreSql() throws IOException {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        Map<String, Object> spec = new LinkedHashMap<>(Specs.spec("adamw", 1.0E-5, 2, List.of(32, 16)));
        spec.put("gradClip", Map.of("maxNorm", 5.0));
        spec.put("evaluation", Map.of("splits", List.of("test")));
        JsonNode submitted = submitRun(project, alice, Map.of("spec", spec));
        long earlier = submitRun(project, alice, Map.of("spec", spec, "params", Map.of("optimizer.lr", 0.5)))
                .get("id").longValue();
        // as before capture: only what the user gave
        jdbc.sql("DELETE FROM run_params WHERE run_id = :id AND name <> 'optimizer.lr'").param("id", earlier).update();

        String migration = new String(getClass().getResourceAsStream(
                "/db/migration/postgresql/V16__spec_params_backfill.sql").readAllBytes(), StandardCharsets.UTF_8);
        String onlyThisProject = migration.replace("WHERE jsonb_typeof(r.spec) = 'object'",
                "WHERE jsonb_typeof(r.spec) = 'object' AND r.project_id = " + project);
        assertThat(onlyThisProject).isNotEqualTo(migration);
        jdbc.sql(onlyThisProject).update();

        Map<String, JsonNode> captured = new TreeMap<>();
        submitted.get("params").properties().forEach(e -> captured.put(e.getKey(), e.getValue()));
        Map<String, JsonNode> backfilled = new TreeMap<>();
        api.get("/api/v1/projects/" + project + "/runs/" + earlier, alice.token()).json().get("params").properties()
                .forEach(e -> backfilled.put(e.getKey(), e.getValue()));
        assertThat(backfilled.get("optimizer.lr").doubleValue()).isEqualTo(0.5); // the user's value stays
        assertThat(captured.get("optimizer.lr").doubleValue()).isEqualTo(1.0E-5);
        assertThat(backfilled.get("gradClip.maxNorm").doubleValue()).isEqualTo(5.0);
        assertThat(backfilled.get("model.args.hidden").stringValue()).isEqualTo("[32,16]");
        assertThat(backfilled.get("evaluation.splits").stringValue()).isEqualTo("[\"test\"]");
        captured.remove("optimizer.lr");
        backfilled.remove("optimizer.lr");
        captured.values().removeIf(v -> v.isString() && v.stringValue().startsWith("[") && v.stringValue().contains("{"));
        assertThat(captured).hasSizeGreaterThan(10);
        assertThat(backfilled.keySet()).isEqualTo(captured.keySet());
        captured.forEach((name, value) -> {
            JsonNode other = backfilled.get(name);
            if (value.isNumber()) {
                assertThat(other.doubleValue()).as(name).isEqualTo(value.doubleValue());
            } else {
                assertThat(other).as(name).isEqualTo(value);
            }
        });
        assertThat(ids(api.get("/api/v1/projects/" + project + "/runs?param.gradClip.maxNorm=5", alice.token())))
                .hasSize(2);
    }

    @Test
    void flatteningKeepsTypesAndLeavesOutWhatAParameterCannotHold() {
        JsonNode spec = Api.JSON.readTree("""
                {"a": {"b": 1.5, "c": true, "d": null, "e": [1, {"y": "s", "x": 2}], "f": {}},
                 "bad key": 1, "n": 7, "long": [%s]}""".formatted("1,".repeat(600) + "1"));
        Map<String, JsonNode> flat = SpecParams.flatten(spec);
        assertThat(flat).containsOnlyKeys("a.b", "a.c", "a.e", "n");
        assertThat(flat.get("a.b").doubleValue()).isEqualTo(1.5);
        assertThat(flat.get("a.c").booleanValue()).isTrue();
        assertThat(flat.get("a.e").stringValue()).isEqualTo("[1,{\"x\":2,\"y\":\"s\"}]");
        assertThat(flat.get("n").isIntegralNumber()).isTrue();
    }

    private static List<Long> ids(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        r.json().get("items").forEach(i -> ids.add(i.get("id").longValue()));
        return ids;
    }
}
