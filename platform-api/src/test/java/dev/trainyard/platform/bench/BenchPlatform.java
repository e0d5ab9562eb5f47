package dev.trainyard.platform.bench;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.TokenService;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import dev.trainyard.platform.testing.TestDatabase;
import dev.trainyard.platform.web.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The platform as the benchmarks run it: the whole application on a random port, on a fresh PostgreSQL database
 * (the test suite's {@link TestDatabase}: the local server, dropped at exit), with an admin user's token and a
 * project.
 */
final class BenchPlatform implements AutoCloseable {

    final ConfigurableApplicationContext app;
    final Api api;
    final String token;
    final long project;

    BenchPlatform() throws Exception {
        this(TestDatabase.get(), null);
    }

    /**
     * On the given database; with {@code project} (a database seeded before: its user "bench" exists) a new token
     * for that user and that project, else a new user and project.
     */
    BenchPlatform(TestDatabase.Coordinates db, Long existingProject) throws Exception {
        Path tokenFile = Files.createTempDirectory("trainyard-bench-").resolve("admin-token");
        app = new SpringApplicationBuilder(PlatformApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--spring.datasource.hikari.maximum-pool-size=20",
                "--trainyard.bootstrap.token-file=" + tokenFile);
        api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
        UserRepository users = app.getBean(UserRepository.class);
        User user = existingProject == null ? users.save(new User("bench", null, false, Times.now()))
                : users.findByUsername("bench").orElseThrow();
        token = app.getBean(TokenService.class).issue(user.getId(), "bench", Scope.ADMIN,
                Times.now().plus(Duration.ofDays(1))).token();
        project = existingProject != null ? existingProject
                : api.post("/api/v1/projects", token, Map.of("name", "bench")).json().get("id").longValue();
    }

    long newRun(String name) {
        Map<String, Object> spec = Specs.spec("adam", 0.001, 1, List.of(256));
        Api.Response r = api.post("/api/v1/projects/" + project + "/runs", token, Map.of("name", name, "spec", spec));
        if (r.status() != 201) {
            throw new IllegalStateException("cannot submit a run: " + r);
        }
        return r.json().get("id").longValue();
    }

    <T> T bean(Class<T> type) {
        return app.getBean(type);
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, load average "
                + String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    @Override
    public void close() {
        app.close();
    }
}
