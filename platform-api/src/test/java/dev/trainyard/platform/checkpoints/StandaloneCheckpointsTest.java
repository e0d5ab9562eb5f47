package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Checkpoints in what {@code ./trainyard standalone} starts: H2, and the local store in {@code .trainyard/artifacts}.
 * One round trip (upload, retention, range download, run deletion); the PostgreSQL tests cover the rest.
 */
class StandaloneCheckpointsTest {

    @TempDir
    Path workDir;

    @Test
    void uploadPruneDownloadAndDeleteOnH2() throws Exception {
        Path home = workDir.resolve(".trainyard");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("standalone")
                .run("--trainyard.home=" + home, "--server.port=0", "--spring.main.banner-mode=off")) {
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
            String token = Files.readString(home.resolve("admin-token")).strip();
            long project = api.post("/api/v1/projects", token, Map.of("name", "local")).json().get("id").longValue();
            String base = "/api/v1/projects/" + project;
            long experiment = api.post(base + "/experiments", token, Map.of("name", "e")).json().get("id").longValue();
            assertThat(api.put(base + "/experiments/" + experiment + "/checkpoint-retention", token,
                    Map.of("keepLast", 1, "keepBest", Map.of("metric", "acc", "mode", "max"))).status()).isEqualTo(200);
            long run = api.post(base + "/runs", token, Map.of("experimentId", experiment, "spec",
                    Specs.spec("sgd", 0.1, 1))).json().get("id").longValue();
            String checkpoints = base + "/runs/" + run + "/checkpoints";

            double[] acc = {0.5, 0.9, 0.7};
            for (int i = 0; i < acc.length; i++) {
                byte[] data = CheckpointTesting.bytes(10_000, i);
                Api.Response r = api.send(HttpRequest.newBuilder(api.uri(checkpoints + "?step=" + i + "&metric.acc="
                                + acc[i]))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/octet-stream")
                        .header("X-Checkpoint-Sha256", CheckpointTesting.sha256(data))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build());
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
            }
            assertThat(api.get(checkpoints, token).json().get("items")).extracting(c -> c.get("step").longValue())
                    .containsExactly(1L, 2L);
            Path runDir = home.resolve("artifacts/projects/" + project + "/runs/" + run);
            assertThat(files(runDir)).hasSize(2);

            HttpResponse<byte[]> range = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            api.uri(checkpoints + "/best/content"))
                    .header("Authorization", "Bearer " + token).header("Range", "bytes=0-99").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(CheckpointTesting.bytes(10_000, 1), 100));

            assertThat(api.delete(base + "/runs/" + run, token).status()).isEqualTo(204);
            assertThat(runDir).doesNotExist();
        }
    }

    private static List<Path> files(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
