package dev.trainyard.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations apply on H2 in PostgreSQL mode (the standalone profile; PostgreSQL itself is exercised by every
 * platform-api integration test), each vendor directory has the same versions, and no migration that has landed
 * was edited.
 */
class MigrationsTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources");
    private static final Path LANDED = Path.of("src/test/resources/landed-migrations.sha256");

    @Test
    void applyOnH2InPostgreSqlMode() throws Exception {
        String url = "jdbc:h2:mem:migrations;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "DB_CLOSE_DELAY=-1";
        MigrateResult result = Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load()
                .migrate();
        assertTrue(result.success);
        assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(2);
        Set<String> tables = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertThat(tables).contains("users", "api_tokens", "projects", "project_members", "experiments", "runs",
                "run_attempts", "run_params", "run_tags", "run_metric_summaries");
    }

    /**
     * The standalone application's pool keeps the database open while the connection that ran the migrations is
     * retired; CHECK constraints must still work from the other connections.
     */
    @Test
    void checkConstraintsOutliveTheConnectionThatCreatedThem(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("trainyard") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH";
        try (Connection pooled = DriverManager.getConnection(url, "sa", "")) {
            Flyway.configure()
                    .dataSource(url, "sa", "")
                    .locations("classpath:db/migration/common", "classpath:db/migration/h2")
                    .load()
                    .migrate();
            insertTokensThroughTheScopeCheck(pooled);
        }
    }

    private static void insertTokensThroughTheScopeCheck(Connection c) throws java.sql.SQLException {
        try (var insert = c.createStatement()) {
            insert.executeUpdate("INSERT INTO users (username) VALUES ('ada')");
            int rows = insert.executeUpdate("INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, scope) "
                    + "SELECT id, 'ci', 'h', 'p', 'write' FROM users WHERE username = 'ada'");
            assertEquals(1, rows);
            try {
                insert.executeUpdate("INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, scope) "
                        + "SELECT id, 'ci', 'h2', 'p', 'root' FROM users WHERE username = 'ada'");
                fail("the scope check accepted 'root'");
            } catch (java.sql.SQLException expected) {
                assertThat(expected.getMessage()).containsIgnoringCase("api_tokens_scope_check");
            }
        }
    }

    @Test
    void everyVendorHasTheSameVersions() throws IOException {
        Map<String, Set<String>> versions = new TreeMap<>();
        for (String vendor : List.of("postgresql", "h2")) {
            Set<String> vs = new HashSet<>();
            try (Stream<Path> files = Files.list(MIGRATIONS.resolve("db/migration/" + vendor))) {
                files.forEach(f -> vs.add(f.getFileName().toString().split("__")[0]));
            }
            versions.put(vendor, vs);
        }
        assertEquals(versions.get("postgresql"), versions.get("h2"),
                "db/migration/postgresql and db/migration/h2 must hold the same versions");
    }

    @Test
    void landedMigrationsAreNeverEdited() throws Exception {
        Map<String, String> landed = new TreeMap<>();
        for (String line : Files.readAllLines(LANDED)) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+", 2);
                landed.put(parts[1], parts[0]);
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MIGRATIONS.resolve("db"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                actual.put(MIGRATIONS.relativize(f).toString().replace('\\', '/'), hash);
            }
        }
        landed.forEach((file, hash) -> {
            if (!actual.containsKey(file)) {
                problems.add(file + " was removed after it landed");
            } else if (!actual.get(file).equals(hash)) {
                problems.add(file + " changed after it landed: migrations are history, add a new version instead");
            }
        });
        actual.keySet().stream().filter(f -> !landed.containsKey(f)).forEach(f -> problems.add(f
                + " is new: add its line to db/src/test/resources/landed-migrations.sha256 ("
                + "cd db/src/main/resources && sha256sum " + f + ")"));
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }
}
