package dev.trainyard.platform.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ExperimentsTest extends IntegrationTest {

    @Test
    void createListGet() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        String base = "/api/v1/projects/" + project + "/experiments";
        Api.Response created = api.post(base, alice.token(), Map.of("name", "lr-sweep", "description", "sweep lr"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").longValue();
        assertThat(created.header("Location")).isEqualTo(base + "/" + id);

        assertThat(api.get(base + "/" + id, alice.token()).json().get("name").stringValue()).isEqualTo("lr-sweep");
        api.post(base, alice.token(), Map.of("name", "depth"));
        JsonNode list = api.get(base, alice.token()).json();
        assertThat(list.get("items")).extracting(e -> e.get("name").stringValue()).containsExactly("lr-sweep", "depth");
    }

    @Test
    void errors() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        long other = newProject(alice);
        String base = "/api/v1/projects/" + project + "/experiments";
        long id = api.post(base, alice.token(), Map.of("name", "a")).json().get("id").longValue();

        assertProblem(api.post(base, alice.token(), Map.of("name", "a")), 409);
        assertThat(assertProblem(api.post(base, alice.token(), Map.of("name", "")), 400)
                .get("errors").get(0).get("pointer").stringValue()).isEqualTo("/name");
        assertProblem(api.get(base + "/999999", alice.token()), 404);
        // an experiment is only found under its own project
        assertProblem(api.get("/api/v1/projects/" + other + "/experiments/" + id, alice.token()), 404);
        assertThat(assertProblem(api.get(base + "/abc", alice.token()), 400).get("errors").get(0)
                .get("parameter").stringValue()).isEqualTo("experimentId");
    }
}
