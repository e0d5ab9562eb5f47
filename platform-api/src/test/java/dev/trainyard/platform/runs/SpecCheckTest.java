package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SpecCheckTest extends IntegrationTest {

    private static final String YAML = """
            name: check me
            dataset:
              name: fashion-mnist
              trainSubset: 2000
            model:
              builtin: mlp
            optimizer:
              type: adam
              lr: %s
            batchSize: 64
            epochs: 1
            """;

    @Test
    void aGoodYamlSpecAnswersItWithItsDefaultsWrittenOutAndSubmitsNothing() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        Api.Response r = api.post(check(project), alice.token(), Map.of("spec", YAML.formatted("0.001")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode spec = r.json().get("spec");
        assertThat(spec.get("optimizer").get("lr").doubleValue()).isEqualTo(0.001);
        assertThat(spec.get("loss").get("type").stringValue()).isEqualTo("cross_entropy");
        assertThat(api.get("/api/v1/projects/" + project + "/runs", alice.token()).json().get("items")).isEmpty();
    }

    @Test
    void aBadSpecIs400WithTheSamePointersAsASubmission() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        String bad = YAML.formatted("-0.1").replace("epochs: 1", "epoch: 1");
        JsonNode checked = assertProblem(api.post(check(project), alice.token(), Map.of("spec", bad)), 400);
        JsonNode submitted = assertProblem(api.post("/api/v1/projects/" + project + "/runs", alice.token(),
                Map.of("spec", bad)), 400);
        assertThat(checked.get("errors")).isEqualTo(submitted.get("errors"));
        assertThat(checked.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .contains("/spec/optimizer/lr", "/spec/epoch");
        assertThat(checked.get("detail").stringValue()).contains("more)");
    }

    @Test
    void onlyMembersMayCheckAndTheSpecIsRequired() {
        TestUser alice = newUser("alice");
        TestUser mallory = newUser("mallory");
        long project = newProject(alice);
        assertProblem(api.post(check(project), mallory.token(), Map.of("spec", YAML.formatted("0.001"))), 404);
        assertThat(assertProblem(api.post(check(project), alice.token(), Map.of()), 400).get("errors").get(0)
                .get("pointer").stringValue()).isEqualTo("/spec");
    }

    private static String check(long project) {
        return "/api/v1/projects/" + project + "/run-specs/check";
    }
}
