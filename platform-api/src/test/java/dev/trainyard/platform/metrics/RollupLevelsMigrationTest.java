package dev.trainyard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migration V17 on a database that holds metrics from before it: series are stored under V16 with the levels of
 * factor 16 (16, 256, ... 16^6, as ingestion made them), the database is migrated, and then every level of
 * {@link Rollups#WIDTHS}, old and new, must equal the same level computed from the points themselves. On PostgreSQL
 * and on H2 (the standalone profile), each with its own migrations.
 */
class RollupLevelsMigrationTest {

    /** The levels ingestion maintained before V17. */
    private static final int[] OLD_WIDTHS = {16, 256, 4_096, 65_536, 1_048_576, 16_777_216};

    @Test
    void onPostgreSqlEveryLevelEqualsTheLevelComputedFromThePoints() throws Exception {
        TestDatabase.Coordinates test = TestDatabase.get();
        String server = test.url().substring(0, test.url().lastIndexOf('/') + 1);
        String name = "rollup_levels_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
        admin(test, server, "CREATE DATABASE " + name);
        SingleConnectionDataSource ds = new SingleConnectionDataSource(server + name, test.username(),
                test.password(), true);
        try {
            migratedFromV16(ds, "classpath:db/migration/postgresql");
        } finally {
            ds.destroy();
            admin(test, server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void onH2EveryLevelEqualsTheLevelComputedFromThePoints() {
        // one connection throughout: H2 2.4.240 breaks CHECK constraints once the session that created them closes
        SingleConnectionDataSource ds = new SingleConnectionDataSource("jdbc:h2:mem:rollup-levels-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "",
                true);
        try {
            migratedFromV16(ds, "classpath:db/migration/h2");
        } finally {
            ds.destroy();
        }
    }

    private static void migratedFromV16(DataSource ds, String vendor) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", vendor).target("16").load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        seedPoints(jdbc);
        for (int width : OLD_WIDTHS) {
            jdbc.update("INSERT INTO metric_rollups (run_id, key_id, bucket_width, bucket_start, first_step,"
                    + " last_step, point_count, nan_count, min_value, max_value, last_value) " + levelFromPoints(width));
        }
        assertThat(widths(jdbc)).containsExactly(OLD_WIDTHS);

        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", vendor).load().migrate();

        assertThat(widths(jdbc)).containsExactly(Rollups.WIDTHS);
        for (int width : Rollups.WIDTHS) {
            List<List<Object>> stored = rows(jdbc, "SELECT run_id, key_id, bucket_width, bucket_start, first_step,"
                    + " last_step, point_count, nan_count, min_value, max_value, last_value FROM metric_rollups"
                    + " WHERE bucket_width = " + width + " ORDER BY run_id, key_id, bucket_start");
            List<List<Object>> expected = rows(jdbc, levelFromPoints(width) + " ORDER BY 1, 2, 4");
            assertThat(expected).as("level " + width).hasSizeGreaterThan(2)
                    .allSatisfy(row -> assertThat(row).hasSize(11));
            assertThat(stored).as("level " + width).isEqualTo(expected);
        }
    }

    /**
     * Four series: dense steps past 300,000 (levels up to 262,144 hold whole buckets), sparse steps past 5,000,000
     * (up to 4,194,304), a short one with every value NaN in some buckets, and one with a single point; values with
     * NaN, infinities and repeats.
     */
    private static void seedPoints(JdbcTemplate jdbc) {
        Random random = new Random(17);
        List<Object[]> rows = new ArrayList<>();
        java.sql.Timestamp time = java.sql.Timestamp.valueOf("2026-12-05 12:00:00");
        for (long step = 3; step < 310_000; step += 1 + random.nextInt(2)) {
            rows.add(new Object[] {1L, 1L, step, value(random), time});
        }
        for (long step = 0; step < 5_200_000; step += 1 + random.nextInt(900)) {
            rows.add(new Object[] {1L, 2L, step, value(random), time});
        }
        for (long step = 40; step < 3_000; step++) {
            rows.add(new Object[] {2L, 1L, step, step % 700 < 80 ? Double.NaN : Math.floor(random.nextGaussian() * 4),
                    time});
        }
        rows.add(new Object[] {3L, 1L, 123_456_789L, 0.5, time});
        jdbc.batchUpdate("INSERT INTO metric_points (run_id, key_id, step, num_value, wall_time)"
                + " VALUES (?, ?, ?, ?, ?)", rows);
    }

    private static double value(Random random) {
        int r = random.nextInt(400);
        return r == 0 ? Double.NaN : r == 1 ? Double.POSITIVE_INFINITY : r == 2 ? Double.NEGATIVE_INFINITY
                : random.nextGaussian();
    }

    /**
     * One level straight from the points: its rows in metric_rollups' column order. The last value comes from a
     * scalar subquery: H2 re-runs a grouped derived table for every row of a join with it.
     */
    private static String levelFromPoints(int width) {
        return """
                SELECT g.run_id, g.key_id, %1$d AS bucket_width, g.bucket, g.first_step, g.last_step, g.n, g.nans,
                       g.lo, g.hi,
                       (SELECT p.num_value FROM metric_points p
                        WHERE p.run_id = g.run_id AND p.key_id = g.key_id AND p.step = g.last_step) AS last_value
                FROM (SELECT run_id, key_id, step / %1$d * %1$d AS bucket, MIN(step) AS first_step,
                             MAX(step) AS last_step, COUNT(*) AS n,
                             SUM(CASE WHEN num_value = 'NaN' THEN 1 ELSE 0 END) AS nans,
                             MIN(CASE WHEN num_value = 'NaN' THEN NULL ELSE num_value END) AS lo,
                             MAX(CASE WHEN num_value = 'NaN' THEN NULL ELSE num_value END) AS hi
                      FROM metric_points GROUP BY run_id, key_id, step / %1$d * %1$d) g
                """.formatted(width);
    }

    private static int[] widths(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT DISTINCT bucket_width FROM metric_rollups ORDER BY 1", Integer.class).stream()
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * Rows with numbers made comparable across column types: integers as long, the rest as double. Every column
     * needs its own name: the rows are maps by column label.
     */
    private static List<List<Object>> rows(JdbcTemplate jdbc, String sql) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(sql)) {
            List<Object> values = new ArrayList<>();
            for (Object v : row.values()) {
                values.add(v instanceof Double || v instanceof Float ? (Object) ((Number) v).doubleValue()
                        : v instanceof Number n ? (Object) n.longValue() : v);
            }
            out.add(values);
        }
        return out;
    }

    private static void admin(TestDatabase.Coordinates test, String server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server + "postgres", test.username(), test.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
