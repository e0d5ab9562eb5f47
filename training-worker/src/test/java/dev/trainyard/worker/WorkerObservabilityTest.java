package dev.trainyard.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainyard.worker.agent.FakePlatformAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/** What an operator watches on a worker: its Prometheus endpoint while it trains, and its JSON logs. */
@ExtendWith(OutputCaptureExtension.class)
class WorkerObservabilityTest {

    /** 512 Fashion-MNIST images in batches of 64: 8 steps. */
    static final String RUN = """
            {"seed": 3, "dataset": {"name": "fashion-mnist", "trainSubset": 512, "testSubset": 256},
             "model": {"builtin": "mlp"}, "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "epochs": 1,
             "logging": {"everySteps": 4}}""";

    @TempDir
    Path dir;

    @Test
    void countsTrainingStepsAndSamplesOnPrometheusAndLogsEachRunsLinesWithItsIdAsJson(CapturedOutput output)
            throws Exception {
        try (var platform = FakePlatformAccess.start()) {
            Path tokenFile = Files.writeString(dir.resolve("token"), "tyw_test\n");
            ConfigurableApplicationContext context = SpringApplication.run(WorkerApplication.class, "--server.port=0",
                    "--trainyard.worker.platform-url=" + platform.url(), "--trainyard.worker.token-file=" + tokenFile,
                    "--trainyard.worker.name=observed", "--trainyard.worker.work-dir=" + dir.resolve("work"),
                    "--trainyard.worker.lease-wait=1s", "--trainyard.worker.gpus=none",
                    "--logging.structured.format.console=ecs");
            try {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                String before = scrape(port);
                double steps = value(before, "trainyard_worker_training_steps_total");
                double samples = value(before, "trainyard_worker_training_samples_total");

                platform.queueRun(21, 1, RUN);
                long until = System.nanoTime() + 120_000_000_000L;
                while (!platform.statusNames().contains("SUCCEEDED") && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertEquals(List.of("RUNNING", "SUCCEEDED"), platform.statusNames());

                String after = scrape(port);
                assertEquals(steps + 8, value(after, "trainyard_worker_training_steps_total"), after);
                assertEquals(samples + 512, value(after, "trainyard_worker_training_samples_total"), after);
                assertTrue(after.contains("jvm_memory_used_bytes"), "the JVM's meters too");
            } finally {
                context.close();
                restoreTextLogs();
            }
        }
        // the run's own log lines (its progress, from its thread) are JSON objects with runId and attempt fields
        List<String> runLines = output.getOut().lines()
                .filter(l -> l.startsWith("{") && l.contains("run 21 attempt 1: ")).toList();
        assertTrue(!runLines.isEmpty(), output.getOut());
        for (String line : runLines) {
            assertTrue(line.contains("\"runId\":\"21\"") && line.contains("\"attempt\":\"1\""), line);
        }
    }

    /** Logging is the JVM's: put back the text format for the tests that run after this one in the same JVM. */
    private static void restoreTextLogs() {
        LoggingSystem logging = LoggingSystem.get(WorkerObservabilityTest.class.getClassLoader());
        logging.cleanUp();
        // Spring hands the format to Logback's configuration as a system property, which outlives the context
        System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return r.body();
        }
    }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(scrape);
        assertTrue(m.find(), name + " is not in\n" + scrape);
        return Double.parseDouble(m.group(2));
    }
}
