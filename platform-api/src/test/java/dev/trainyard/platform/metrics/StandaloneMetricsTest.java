package dev.trainyard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.events.SseStream;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Metrics, logs and event streams on {@code ./trainyard standalone}'s H2 database, end to end. */
class StandaloneMetricsTest {

    @TempDir
    Path workDir;

    @Test
    void ingestQueryLogsAndStreamsWorkOnH2() throws Exception {
        Path home = workDir.resolve(".trainyard");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("standalone")
                .run("--trainyard.home=" + home, "--server.port=0", "--spring.main.banner-mode=off",
                        // the API alone: no embedded worker to take the runs, no demo project
                        "--trainyard.standalone.worker.enabled=false", "--trainyard.standalone.demo.enabled=false")) {
            assertThat(app.getBean(MetricWriter.class)).isInstanceOf(PortableMetricWriter.class);
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
            String token = Files.readString(home.resolve("admin-token")).strip();
            long project = api.post("/api/v1/projects", token, Map.of("name", "local")).json().get("id").longValue();
            Map<String, Object> spec = Specs.spec("sgd", 0.1, 2);
            long run = api.post("/api/v1/projects/" + project + "/runs", token, Map.of("spec", spec)).json()
                    .get("id").longValue();
            String runPath = "/api/v1/projects/" + project + "/runs/" + run;

            try (SseStream stream = SseStream.open(api, runPath + "/events", token)) {
                assertThat(stream.next(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");
                List<Map<String, Object>> points = new ArrayList<>();
                for (int step = 0; step < 3_000; step++) {
                    points.add(Map.of("key", "loss", "step", step, "value", step == 1234 ? "NaN" : 1.0 / (step + 1)));
                }
                Api.Response r = api.post(runPath + "/metrics", token, Map.of("points", points));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().get("inserted").intValue()).isEqualTo(3_000);
                assertThat(api.post(runPath + "/metrics", token, Map.of("points", points)).json().get("duplicates")
                        .intValue()).isEqualTo(3_000);
                JsonNode metrics = stream.await(Duration.ofSeconds(10), e -> e.name().equals("metrics")).json();
                assertThat(metrics.get("keys").get("loss").get("step").longValue()).isEqualTo(2_999);
            }

            JsonNode series = api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + run
                    + "&keys=loss&buckets=100", token).json().get("series").get(0);
            assertThat(series.get("count").longValue()).isEqualTo(3_000);
            assertThat(series.get("buckets")).hasSizeLessThanOrEqualTo(100);
            long nans = 0;
            double max = 0;
            for (JsonNode b : series.get("buckets")) {
                nans += b.get("nanCount").longValue();
                max = Math.max(max, b.get("max").doubleValue());
            }
            assertThat(nans).isEqualTo(1);
            assertThat(max).isEqualTo(1.0);
            JsonNode summary = api.get(runPath + "/metrics", token).json().get("items").get(0);
            assertThat(summary.get("min").doubleValue()).isEqualTo(1.0 / 3_000);

            // the param keys' loose index scan (a recursive query) on H2: the spec's optimizer.* keys, one a page
            String paramKeys = "/api/v1/projects/" + project + "/params/keys?q=OPTIM";
            List<String> optimizer = new ArrayList<>();
            api.get(paramKeys + "&limit=1000", token).json().get("items").forEach(k -> optimizer.add(k.stringValue()));
            assertThat(optimizer).contains("optimizer.lr", "optimizer.type").allMatch(k -> k.startsWith("optimizer."))
                    .isSorted();
            List<String> paged = new ArrayList<>();
            String cursor = "";
            while (cursor != null) {
                JsonNode page = api.get(paramKeys + "&limit=1&cursor=" + cursor, token).json();
                page.get("items").forEach(k -> paged.add(k.stringValue()));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
            }
            assertThat(paged).isEqualTo(optimizer);

            api.post(runPath + "/logs", token, Map.of("lines", List.of(Map.of("seq", 1, "text", "hello"))));
            assertThat(api.get(runPath + "/logs", token).json().get("items").get(0).get("text").stringValue())
                    .isEqualTo("hello");
        }
    }
}
