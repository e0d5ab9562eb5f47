package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every kind of error is RFC 9457 problem+json. */
class ErrorsTest extends IntegrationTest {

    private TestUser alice;
    private String runs;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        runs = "/api/v1/projects/" + newProject(alice) + "/runs";
    }

    @Test
    void oversizeBodiesAre413() {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        JsonNode problem = assertProblem(api.post(runs, alice.token(), big), 413);
        assertThat(problem.get("detail").stringValue()).contains("larger than the limit");
    }

    @Test
    void oversizeChunkedBodiesAre413Too() {
        byte[] big = ("{\"name\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(api.uri(runs))
                .header("Authorization", "Bearer " + alice.token())
                .header("Content-Type", "application/json")
                // an InputStream publisher has no length, so the body goes chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        assertProblem(api.send(request), 413);
    }

    @Test
    void wrongContentTypeIs415() {
        Api.Response r = api.send("POST", runs, alice.token(), Map.of("Content-Type", "text/plain"), "hello");
        assertProblem(r, 415);
    }

    @Test
    void malformedJsonIs400() {
        JsonNode problem = assertProblem(api.post(runs, alice.token(), "{\"spec\": "), 400);
        assertThat(problem.get("detail").stringValue()).contains("not valid JSON");
        assertProblem(api.post(runs, alice.token(), ""), 400);
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() {
        assertProblem(api.get("/api/v1/nothing-here", alice.token()), 404);
        assertProblem(api.send("PATCH", "/api/v1/projects", alice.token(), Map.of(), "{}"), 405);
    }

    @Test
    void problemsComeAsProblemJsonWhateverTheAcceptHeader() {
        Api.Response r = api.send("GET", runs + "/12345678", alice.token(), Map.of("Accept", "application/json"), null);
        assertProblem(r, 404);
        assertThat(r.json().get("instance").stringValue()).isEqualTo(runs + "/12345678");
    }

    @Test
    void theProblemCarriesTypeTitleStatusDetailAndInstance() {
        JsonNode problem = assertProblem(api.get(runs + "?limit=0", alice.token()), 400);
        // RFC 9457: an absent type means about:blank
        assertThat(problem.path("type").stringValue("about:blank")).isEqualTo("about:blank");
        assertThat(problem.get("title").stringValue()).isEqualTo("Bad Request");
        assertThat(problem.get("instance").stringValue()).isEqualTo(runs);
        JsonNode error = problem.get("errors").get(0);
        assertThat(error.get("parameter").stringValue()).isEqualTo("limit");
        assertThat(error.get("rejectedValue").stringValue()).isEqualTo("0");
        assertThat(error.get("detail").stringValue()).isNotBlank();
    }
}
