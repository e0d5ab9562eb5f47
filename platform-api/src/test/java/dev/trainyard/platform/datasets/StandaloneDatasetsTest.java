package dev.trainyard.platform.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Datasets in what {@code ./trainyard standalone} starts (H2, the local store): upload, a repeat, a run naming it,
 * deletion refused while the run is queued, then done once it is cancelled. The PostgreSQL tests ({@link DatasetsTest}) cover the rest.
 */
class StandaloneDatasetsTest {

    @TempDir
    Path workDir;

    @Test
    void uploadRepeatUseAndDeleteOnH2() throws Exception {
        Path home = workDir.resolve(".trainyard");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("standalone")
                .run("--trainyard.home=" + home, "--server.port=0", "--spring.main.banner-mode=off",
                        // the API alone: no embedded worker to take the runs, no demo project
                        "--trainyard.standalone.worker.enabled=false", "--trainyard.standalone.demo.enabled=false")) {
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
            String token = Files.readString(home.resolve("admin-token")).strip();
            long project = api.post("/api/v1/projects", token, Map.of("name", "local")).json().get("id").longValue();
            String datasets = "/api/v1/projects/" + project + "/datasets";
            byte[] csv = "a,b,label\n1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8);

            Api.Response first = upload(api, token, datasets, csv);
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            Api.Response again = upload(api, token, datasets, csv);
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(again.json()).isEqualTo(first.json());
            String digest = first.json().get("digest").stringValue();
            Path stored = home.resolve("artifacts/projects/" + project + "/datasets");
            assertThat(Files.list(stored).count()).isEqualTo(1);

            Map<String, Object> spec = new HashMap<>(Specs.spec("adam", 0.01, 1));
            spec.put("dataset", Map.of("name", "csv", "artifact", digest, "label", "label", "testSplit", 0.5));
            Api.Response run = api.post("/api/v1/projects/" + project + "/runs", token, Map.of("spec", spec));
            assertThat(run.status()).as(run.toString()).isEqualTo(201);
            JsonNode dataset = run.json().get("spec").get("dataset");
            assertThat(dataset.get("artifact").stringValue()).isEqualTo(digest);

            // the queued run (no worker takes it) keeps the dataset until it is cancelled
            String path = datasets + "/" + first.json().get("sha256").stringValue();
            Api.Response inUse = api.delete(path, token);
            assertThat(inUse.status()).as(inUse.toString()).isEqualTo(409);
            assertThat(inUse.json().get("detail").stringValue())
                    .contains("run " + run.json().get("id").longValue() + " (");
            assertThat(api.get(path, token).status()).isEqualTo(200);
            assertThat(api.post("/api/v1/projects/" + project + "/runs/" + run.json().get("id").longValue()
                    + "/cancel", token, Map.of()).status()).isEqualTo(200);
            assertThat(api.delete(path, token).status()).isEqualTo(204);
            assertThat(!Files.exists(stored) || Files.list(stored).findAny().isEmpty()).as("bytes deleted").isTrue();
            assertThat(api.post("/api/v1/projects/" + project + "/runs", token, Map.of("spec", spec)).status())
                    .isEqualTo(400);
        }
    }

    private static Api.Response upload(Api api, String token, String datasets, byte[] data) {
        return api.send(HttpRequest.newBuilder(api.uri(datasets + "?name=toy.csv"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    }
}
