package dev.trainyard.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./trainyard standalone} with its embedded worker and demo experiment, over real HTTP on H2 and the real
 * Fashion-MNIST files (Debian's dataset-fashion-mnist), with the demo shrunk through its properties.
 */
class EmbeddedWorkerTest {

    private static final Path DATA_ROOT = Path.of("/usr/share/datasets");

    @TempDir
    Path workDir;

    private ConfigurableApplicationContext start(Path home, String... extra) {
        List<String> args = new ArrayList<>(List.of("--trainyard.home=" + home, "--server.port=0",
                "--spring.main.banner-mode=off", "--trainyard.scheduling.backoff-base=200ms"));
        args.addAll(List.of(extra));
        if (args.stream().noneMatch(a -> a.startsWith("--trainyard.standalone.worker.data-root="))) {
            args.add("--trainyard.standalone.worker.data-root=" + DATA_ROOT);
        }
        return new SpringApplicationBuilder(PlatformApplication.class).profiles("standalone")
                .run(args.toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext app) {
        return new Api(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @Test
    void theDemoRunsTrainOnTheEmbeddedWorkerToTheEnd() throws Exception {
        Path home = workDir.resolve(".trainyard");
        try (ConfigurableApplicationContext app = start(home, "--trainyard.standalone.demo.train-subset=640",
                "--trainyard.standalone.demo.test-subset=200", "--trainyard.standalone.demo.epochs=2")) {
            Api api = api(app);
            String token = Files.readString(home.resolve("admin-token")).strip();
            Path workerToken = home.resolve("worker-token");
            assertThat(Files.readString(workerToken)).startsWith("tyw_");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workerToken)))
                    .isEqualTo("rw-------");

            List<JsonNode> projects = items(api.get("/api/v1/projects", token).json());
            assertThat(projects).hasSize(1);
            assertThat(projects.getFirst().get("name").stringValue()).isEqualTo("demo");
            long project = projects.getFirst().get("id").longValue();
            String runs = "/api/v1/projects/" + project + "/runs";
            List<JsonNode> experiments = items(api.get("/api/v1/projects/" + project + "/experiments", token).json());
            assertThat(experiments).extracting(e -> e.get("name").stringValue()).containsExactly("fashion-mnist");

            List<JsonNode> listed = items(api.get(runs + "?sort=createdAt,asc", token).json());
            assertThat(listed).extracting(r -> r.get("name").stringValue())
                    .containsExactly("mlp-lr1e-3", "mlp-lr3e-3", "cnn-small");
            assertThat(listed).allSatisfy(r -> assertThat(r.get("experimentId").longValue())
                    .isEqualTo(experiments.getFirst().get("id").longValue()));
            // params and tags make them comparable in the run list
            assertThat(items(api.get(runs + "?param.lr>0.002", token).json()))
                    .extracting(r -> r.get("name").stringValue()).containsExactly("mlp-lr3e-3");
            assertThat(items(api.get(runs + "?tag=cnn", token).json()))
                    .extracting(r -> r.get("name").stringValue()).containsExactly("cnn-small");

            await("the three demo runs to succeed", 50, () -> items(api.get(runs, token).json()).stream()
                    .allMatch(r -> r.get("status").stringValue().equals("SUCCEEDED")));

            for (JsonNode summary : listed) {
                long id = summary.get("id").longValue();
                JsonNode run = api.get(runs + "/" + id, token).json();
                assertThat(run.get("attempt").intValue()).isEqualTo(1);
                assertThat(run.get("spec").get("dataset").get("trainSubset").intValue()).isEqualTo(640);
                // 640 examples in batches of 64: 10 steps an epoch, logged every 10 steps
                JsonNode loss = api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + id
                        + "&keys=train/loss", token).json().get("series").get(0);
                assertThat(loss.get("count").longValue()).as("train/loss points of run %d", id).isEqualTo(2);
                assertThat(loss.get("points").get(1).get("step").longValue()).isEqualTo(20);
                assertThat(run.get("metrics").get("test/accuracy").get("last").doubleValue()).isBetween(0.1, 1.0);
                assertThat(items(api.get(runs + "/" + id + "/checkpoints", token).json()))
                        .as("checkpoints of run %d", id).isNotEmpty();
            }
        }
    }

    @Test
    void stoppingThePlatformCheckpointsTheRunningRunAndTheNextStartResumesIt() throws Exception {
        Path home = workDir.resolve(".trainyard");
        String[] longerDemo = {"--trainyard.standalone.demo.train-subset=2000",
                "--trainyard.standalone.demo.test-subset=200", "--trainyard.standalone.demo.epochs=6"};
        String token;
        String workerToken;
        long project;
        long first;
        try (ConfigurableApplicationContext app = start(home, longerDemo)) {
            Api api = api(app);
            token = Files.readString(home.resolve("admin-token")).strip();
            workerToken = Files.readString(home.resolve("worker-token")).strip();
            project = items(api.get("/api/v1/projects", token).json()).getFirst().get("id").longValue();
            String runs = "/api/v1/projects/" + project + "/runs";
            first = items(api.get(runs + "?sort=createdAt,asc", token).json()).getFirst().get("id").longValue();
            String firstRun = runs + "/" + first;
            await("the first demo run to report a training loss", 30, () -> {
                JsonNode run = api.get(firstRun, token).json();
                return run.get("status").stringValue().equals("RUNNING") && run.get("metrics").has("train/loss");
            });
        } // closing the context stops the embedded worker first: checkpoint, upload, deregister

        try (ConfigurableApplicationContext app = start(home, longerDemo)) {
            Api api = api(app);
            String runs = "/api/v1/projects/" + project + "/runs";
            String firstRun = runs + "/" + first;
            // the previous stop put the run back in the queue with a checkpoint from the middle of the run
            JsonNode interrupted = api.get(firstRun, token).json();
            assertThat(interrupted.get("attempts").get(0).get("outcome").stringValue()).isEqualTo("LOST");
            List<JsonNode> checkpoints = items(api.get(firstRun + "/checkpoints", token).json());
            assertThat(checkpoints).isNotEmpty();
            long checkpointStep = checkpoints.stream().mapToLong(c -> c.get("step").longValue()).max().orElseThrow();
            assertThat(checkpointStep).isBetween(1L, 6 * 32L - 1);

            // the same worker token, and the demo is not submitted twice
            assertThat(Files.readString(home.resolve("worker-token")).strip()).isEqualTo(workerToken);
            assertThat(items(api.get("/api/v1/worker-tokens", token).json())).hasSize(1);
            assertThat(items(api.get(runs, token).json())).hasSize(3);

            await("the first demo run to finish on its second attempt", 50,
                    () -> api.get(firstRun, token).json().get("status").stringValue().equals("SUCCEEDED"));
            JsonNode run = api.get(firstRun, token).json();
            assertThat(run.get("attempt").intValue()).isEqualTo(2);
            JsonNode logs = api.get(firstRun + "/logs?attempt=2&limit=1000", token).json();
            assertThat(logs.toString()).contains("resuming from checkpoint").contains("at step " + checkpointStep);
            // the resumed attempt reports no step twice: its first loss comes after the checkpoint
            JsonNode loss = api.get("/api/v1/projects/" + project + "/metrics/query?runs=" + first
                    + "&keys=train/loss", token).json().get("series").get(0);
            assertThat(loss.get("count").longValue()).isEqualTo(6 * 32 / 10);
        }
    }

    @Test
    void withoutFashionMnistTheDemoSubmitsNothingAndWorkerAndDemoCanBeSwitchedOff() throws Exception {
        Path home = workDir.resolve(".trainyard");
        Path emptyDataRoot = Files.createDirectories(workDir.resolve("no-datasets"));
        try (ConfigurableApplicationContext app = start(home,
                "--trainyard.standalone.worker.data-root=" + emptyDataRoot,
                "--trainyard.standalone.worker.enabled=false")) {
            String token = Files.readString(home.resolve("admin-token")).strip();
            assertThat(items(api(app).get("/api/v1/projects", token).json())).isEmpty();
            assertThat(app.getBeansOfType(EmbeddedWorker.class)).isEmpty();
            assertThat(home.resolve("worker-token")).doesNotExist();
        }
        // a stored worker token the platform does not know is replaced by a new one
        Files.writeString(home.resolve("worker-token"), "tyw_not-a-token-this-platform-issued\n");
        try (ConfigurableApplicationContext app = start(home, "--trainyard.standalone.demo.enabled=false")) {
            String token = Files.readString(home.resolve("admin-token")).strip();
            Api api = api(app);
            assertThat(items(api.get("/api/v1/projects", token).json())).isEmpty();
            assertThat(app.getBeansOfType(EmbeddedWorker.class)).hasSize(1);
            String workerToken = Files.readString(home.resolve("worker-token")).strip();
            assertThat(workerToken).startsWith("tyw_").isNotEqualTo("tyw_not-a-token-this-platform-issued");
            List<JsonNode> issued = items(api.get("/api/v1/worker-tokens", token).json());
            assertThat(issued).extracting(t -> t.get("name").stringValue()).containsExactly("standalone-worker");
            assertThat(workerToken).startsWith(issued.getFirst().get("prefix").stringValue());
        }
    }

    private static List<JsonNode> items(JsonNode list) {
        return StreamSupport.stream(list.get("items").spliterator(), false).toList();
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
