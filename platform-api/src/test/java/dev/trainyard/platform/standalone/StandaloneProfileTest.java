package dev.trainyard.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What {@code ./trainyard standalone} starts: the standalone profile, its H2 database, artifact directory and admin
 * token under a {@code .trainyard} directory (here a temporary one), the same Flyway migrations as PostgreSQL.
 */
class StandaloneProfileTest {

    @TempDir
    Path workDir;

    private ConfigurableApplicationContext start(Path home) {
        return new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("standalone")
                .run("--trainyard.home=" + home, "--server.port=0", "--spring.main.banner-mode=off",
                        // the API alone: no embedded worker to take the runs, no demo project
                        "--trainyard.standalone.worker.enabled=false", "--trainyard.standalone.demo.enabled=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The ids of every page of a list, one run a page. */
    private static List<Long> walk(Api api, String token, String list) {
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get(list + "&limit=1" + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(item -> ids.add(item.get("id").longValue()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.stringValue();
        } while (cursor != null && ids.size() < 20);
        return ids;
    }

    @Test
    void startsOnH2WithAPrivateTokenFileAndKeepsItsDataAcrossRestarts() throws Exception {
        Path home = workDir.resolve(".trainyard");
        Path tokenFile = home.resolve("admin-token");
        String token;
        long project;
        long runId;
        try (ConfigurableApplicationContext app = start(home)) {
            assertThat(home.resolve("artifacts")).isDirectory();
            assertThat(tokenFile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            token = Files.readString(tokenFile).strip();
            assertThat(home.resolve("db")).isDirectoryContaining(p -> p.getFileName().toString().endsWith(".mv.db"));

            Api api = new Api(port(app));
            assertThat(api.get("/api/v1/users/me", token).json().get("user").get("username").stringValue())
                    .isEqualTo("admin");
            project = api.post("/api/v1/projects", token, Map.of("name", "local")).json().get("id").longValue();
            String runs = "/api/v1/projects/" + project + "/runs";
            Map<String, Object> body = Map.of(
                    "name", "h2-run",
                    "spec", Specs.spec("sgd", 0.1, 2),
                    "params", Map.of("lr", 0.001, "optimizer", "sgd"),
                    "tags", List.of("local"));
            Api.Response submitted = api.send("POST", runs, token, Map.of("Idempotency-Key", "k"), body);
            assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
            runId = submitted.json().get("id").longValue();
            assertThat(submitted.json().get("spec").get("optimizer").get("lr").doubleValue()).isEqualTo(0.1);

            long second = api.post(runs, token, Map.of("spec", body.get("spec"), "params", Map.of("lr", 0.5))).json()
                    .get("id").longValue();
            JsonNode list = api.get(runs + "?param.lr<0.01&tag=local&sort=createdAt,desc", token).json();
            assertThat(list.get("items")).extracting(i -> i.get("id").longValue()).containsExactly(runId);
            assertThat(api.get(runs + "?sort=param.lr,desc&limit=1", token).json().get("nextCursor").isNull())
                    .isFalse();
            // sorted by a metric only the second run has, the first comes after it (both of a page's statements
            // run in one read-only REPEATABLE READ transaction, on H2 too)
            Api.Response loss = api.post(runs + "/" + second + "/metrics", token,
                    Map.of("points", List.of(Map.of("key", "loss", "step", 1, "value", 0.5))));
            assertThat(loss.status()).as(loss.toString()).isEqualTo(200);
            JsonNode byMetric = api.get(runs + "?sort=metric.loss,asc&limit=1", token).json();
            assertThat(byMetric.get("items")).extracting(i -> i.get("id").longValue()).containsExactly(second);
            JsonNode rest = api.get(runs + "?sort=metric.loss,asc&limit=1&cursor="
                    + byMetric.get("nextCursor").stringValue(), token).json();
            assertThat(rest.get("items")).extracting(i -> i.get("id").longValue()).containsExactly(runId);
            assertThat(rest.get("nextCursor").isNull()).isTrue();
            // sorted by a parameter: its numbers, then its strings, then the runs without it, one a page
            long text = api.post(runs, token, Map.of("spec", body.get("spec"), "params", Map.of("lr", "auto"))).json()
                    .get("id").longValue();
            long none = api.post(runs, token, Map.of("spec", body.get("spec"))).json().get("id").longValue();
            assertThat(walk(api, token, runs + "?sort=param.lr,asc")).containsExactly(runId, second, text, none);
            assertThat(walk(api, token, runs + "?sort=param.lr,desc")).containsExactly(second, runId, text, none);
            assertThat(walk(api, token, runs + "?sort=param.optimizer,desc"))
                    .containsExactly(runId, none, text, second);
            assertThat(api.post(runs + "/" + runId + "/cancel", token, null).json().get("status").stringValue())
                    .isEqualTo("CANCELLED");

            Api.Response problem = api.post(runs, token, Map.of("spec", Map.of("epochs", 0)));
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.contentType()).startsWith("application/problem+json");
        }

        // a restart finds the same database: no new admin, the same token, the run, the idempotency key
        try (ConfigurableApplicationContext app = start(home)) {
            assertThat(Files.readString(tokenFile).strip()).isEqualTo(token);
            Api api = new Api(port(app));
            String runs = "/api/v1/projects/" + project + "/runs";
            JsonNode run = api.get(runs + "/" + runId, token).json();
            assertThat(run.get("status").stringValue()).isEqualTo("CANCELLED");
            assertThat(run.get("params").get("lr").doubleValue()).isEqualTo(0.001);
            Api.Response replay = api.send("POST", runs, token, Map.of("Idempotency-Key", "k"), Map.of(
                    "name", "h2-run",
                    "spec", Specs.spec("sgd", 0.1, 2),
                    "params", Map.of("lr", 0.001, "optimizer", "sgd"),
                    "tags", List.of("local")));
            assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
            assertThat(replay.json().get("id").longValue()).isEqualTo(runId);
        }
    }
}
