package dev.trainyard.worker;

import dev.trainyard.worker.agent.FakePlatformAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spring Boot application around the agent: configuration, health, and deregistering when the context closes. */
class WorkerApplicationTest {
    @TempDir
    Path dir;

    @Test
    void registersServesHealthAndDeregistersOnClose() throws Exception {
        try (var platform = FakePlatformAccess.start()) {
            Path tokenFile = Files.writeString(dir.resolve("token"), "tyw_test\n");
            ConfigurableApplicationContext context = SpringApplication.run(WorkerApplication.class, "--server.port=0",
                    "--trainyard.worker.platform-url=" + platform.url(), "--trainyard.worker.token-file=" + tokenFile,
                    "--trainyard.worker.name=app-worker", "--trainyard.worker.labels.zone=test",
                    "--trainyard.worker.work-dir=" + dir.resolve("work"), "--trainyard.worker.lease-wait=1s");
            try {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                HttpResponse<String> health;
                try (HttpClient http = HttpClient.newHttpClient()) {
                    health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                }
                assertEquals(200, health.statusCode());
                assertTrue(health.body().contains("\"UP\""), health.body());
                long until = System.nanoTime() + 10_000_000_000L;
                while (platform.kinds().isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertEquals("register", platform.kinds().getFirst());
                assertTrue(platform.firstBody().contains("\"name\":\"app-worker\""), platform.firstBody());
                assertTrue(platform.firstBody().contains("\"zone\":\"test\""), platform.firstBody());
            } finally {
                context.close();
            }
            List<String> kinds = platform.kinds();
            assertEquals("deregister", kinds.getLast(), kinds.toString());
        }
    }

    @Test
    void aMissingTokenIsAClearStartupError() {
        var e = assertThrows(Exception.class, () -> SpringApplication.run(WorkerApplication.class, "--server.port=0",
                "--trainyard.worker.platform-url=http://127.0.0.1:1").close());
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("trainyard.worker.token-file"), root.getMessage());
    }
}
