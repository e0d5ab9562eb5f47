package dev.trainyard.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL the integration tests run against, one fresh database per test run (per JVM):
 * <ul>
 *   <li>where a Docker engine answers, a Testcontainers {@code postgres:15} container;
 *   <li>otherwise the server at {@code TRAINYARD_TEST_PG_HOST:TRAINYARD_TEST_PG_PORT} (default 127.0.0.1:5432, user
 *       {@code TRAINYARD_TEST_PG_USER}, default postgres), where it creates {@code trainyard_test_<time>_<random>}
 *       and drops it when the JVM exits. Databases that earlier, killed runs left behind are dropped after 6 hours.
 * </ul>
 * {@code TRAINYARD_TEST_DB=local} or {@code =testcontainers} skips the detection.
 */
public final class TestDatabase {

    public record Coordinates(String url, String username, String password) {}

    private static final String PREFIX = "trainyard_test_";
    private static Coordinates coordinates;

    private TestDatabase() {}

    public static synchronized Coordinates get() {
        if (coordinates == null) {
            String mode = env("TRAINYARD_TEST_DB", "auto").toLowerCase(Locale.ROOT);
            boolean docker = switch (mode) {
                case "local" -> false;
                case "testcontainers" -> true;
                default -> dockerAvailable();
            };
            coordinates = docker ? container() : local();
        }
        return coordinates;
    }

    private static boolean dockerAvailable() {
        // Ask Testcontainers only where a Docker engine could be: it logs a long error when there is none.
        String home = System.getProperty("user.home");
        boolean hint = System.getenv("DOCKER_HOST") != null
                || java.util.stream.Stream.of("/var/run/docker.sock", home + "/.docker/run/docker.sock",
                        home + "/.docker/desktop/docker.sock", home + "/.testcontainers.properties")
                        .anyMatch(p -> java.nio.file.Files.exists(java.nio.file.Path.of(p)));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' own shutdown hook (Ryuk)
    private static Coordinates container() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        System.out.println("[TestDatabase] Testcontainers PostgreSQL at " + container.getJdbcUrl());
        return new Coordinates(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static Coordinates local() {
        String host = env("TRAINYARD_TEST_PG_HOST", "127.0.0.1");
        String port = env("TRAINYARD_TEST_PG_PORT", "5432");
        String user = env("TRAINYARD_TEST_PG_USER", "postgres");
        String password = env("TRAINYARD_TEST_PG_PASSWORD", "");
        String admin = "jdbc:postgresql://" + host + ":" + port + "/" + env("TRAINYARD_TEST_PG_ADMIN_DB", "postgres");
        long now = Instant.now().getEpochSecond();
        String name = PREFIX + now + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
        try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
            dropStale(s, now);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("no Docker engine, and cannot create a test database on " + admin
                    + " as " + user + ": " + e.getMessage() + " (set TRAINYARD_TEST_PG_HOST/PORT/USER/PASSWORD)", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("[TestDatabase] could not drop " + name + ": " + e.getMessage());
            }
        }, "drop-" + name));
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + name;
        System.out.println("[TestDatabase] no Docker engine; using the fresh database " + url);
        return new Coordinates(url, user, password);
    }

    private static void dropStale(Statement s, long now) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rs.next()) {
                String[] parts = rs.getString(1).substring(PREFIX.length()).split("_");
                try {
                    if (now - Long.parseLong(parts[0]) > Duration.ofHours(6).toSeconds()) {
                        stale.add(rs.getString(1));
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        for (String db : stale) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
