package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class IdempotencyTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private String runs;

    @BeforeEach
    void project() {
        alice = newUser("alice");
        project = newProject(alice);
        runs = "/api/v1/projects/" + project + "/runs";
    }

    private Api.Response submit(String key, Object body) {
        return api.send("POST", runs, alice.token(), Map.of("Idempotency-Key", key), body);
    }

    @Test
    void aRetriedSubmissionAnswersTheSameRun() {
        Api.Response first = submit("build-42", runBody());
        assertThat(first.status()).isEqualTo(201);
        Api.Response again = submit("build-42", runBody());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(first.json().get("idempotencyKey").stringValue()).isEqualTo("build-42");
        assertThat(count("build-42")).isEqualTo(1);
    }

    @Test
    void keysArePerProject() {
        long other = newProject(alice);
        assertThat(submit("same", runBody()).status()).isEqualTo(201);
        Api.Response elsewhere = api.send("POST", "/api/v1/projects/" + other + "/runs", alice.token(),
                Map.of("Idempotency-Key", "same"), runBody());
        assertThat(elsewhere.status()).isEqualTo(201);
    }

    @Test
    void aKeyReusedForADifferentRequestIs409() {
        assertThat(submit("k1", runBody()).status()).isEqualTo(201);
        JsonNode problem = assertProblem(submit("k1", with(runBody(), "name", "something else")), 409);
        assertThat(problem.get("detail").stringValue()).contains("Idempotency-Key 'k1'").contains("different");
        assertThat(count("k1")).isEqualTo(1);
    }

    @Test
    void anInvalidKeyIs400() {
        JsonNode problem = assertProblem(submit("x".repeat(256), runBody()), 400);
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("Idempotency-Key");
    }

    @Test
    void concurrentRetriesCreateOneRun() throws Exception {
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 3; round++) {
                String key = "concurrent-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Api.Response>> futures = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return submit(key, runBody());
                    }));
                }
                start.countDown();
                List<Api.Response> responses = new ArrayList<>();
                for (Future<Api.Response> f : futures) {
                    responses.add(f.get());
                }
                assertThat(responses).extracting(Api.Response::status).as(responses.toString())
                        .containsOnly(200, 201).containsOnlyOnce(201);
                assertThat(responses).extracting(r -> r.json().get("id").longValue()).as(key).containsOnly(
                        responses.getFirst().json().get("id").longValue());
                assertThat(count(key)).as(key).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clonesTakeKeysToo() {
        long source = submitRun(project, alice, runBody()).get("id").longValue();
        Map<String, String> key = Map.of("Idempotency-Key", "clone-1");
        Api.Response first = api.send("POST", runs + "/" + source + "/clone", alice.token(), key, Map.of("name", "c"));
        Api.Response again = api.send("POST", runs + "/" + source + "/clone", alice.token(), key, Map.of("name", "c"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertProblem(api.send("POST", runs + "/" + source + "/clone", alice.token(), key, Map.of("name", "d")), 409);
    }

    private long count(String key) {
        return jdbc.sql("SELECT count(*) FROM runs WHERE project_id = ? AND idempotency_key = ?")
                .param(project).param(key).query(Long.class).single();
    }
}
