package dev.trainyard.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The production profile reads its database from TRAINYARD_DB_URL, TRAINYARD_DB_USER and TRAINYARD_DB_PASSWORD
 * (given here as command-line properties, which Spring resolves like environment variables) and has no defaults. It
 * never embeds a worker: that is the standalone profile's.
 */
class ProductionProfileTest {

    @Test
    void connectsToTheDatabaseTheEnvironmentNames() {
        TestDatabase.Coordinates db = TestDatabase.get();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("production")
                .run("--TRAINYARD_DB_URL=" + db.url(), "--TRAINYARD_DB_USER=" + db.username(),
                        "--TRAINYARD_DB_PASSWORD=" + db.password(), "--server.port=0",
                        "--spring.main.banner-mode=off", "--trainyard.standalone.worker.enabled=true")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Api.Response health = new Api(port).get("/actuator/health", null);
            assertThat(health.json().get("status").stringValue()).isEqualTo("UP");

            // only ./trainyard standalone embeds a worker and submits the demo, whatever the properties say
            assertThat(app.getBeansOfType(EmbeddedWorker.class)).isEmpty();
            assertThat(app.getBeansOfType(DemoExperiment.class)).isEmpty();
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            // (the test database is shared with other tests: look for what the standalone platform would create)
            assertThat(jdbc.sql("SELECT count(*) FROM worker_tokens WHERE name = 'standalone-worker'")
                    .query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM projects WHERE name = 'demo'").query(Long.class).single())
                    .isZero();
        }
    }

    @Test
    void refusesToStartWithoutThem() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(PlatformApplication.class)
                .profiles("production")
                .run("--server.port=0", "--spring.main.banner-mode=off").close())
                .hasStackTraceContaining("TRAINYARD_DB_URL");
    }
}
