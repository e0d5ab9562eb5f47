package dev.trainyard.platform.bench;

import dev.trainyard.platform.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A named PostgreSQL database that outlives the benchmark (bench/dashboard's DASHBOARD_BENCH_DB), so a long seeding is
 * done once and measured many times. It holds a marker, table {@code dashboard_bench.seeding} (its own schema, out of
 * Flyway's way): the seeding's parameters, whether it finished, and what the driver needs to find it again (ids, as
 * JSON). A database without that marker was not made here and is never dropped.
 */
final class KeptDatabase {

    /** What the database holds: a finished seeding with these parameters (its info JSON), or nothing usable. */
    record Seeding(String info) {}

    private final String name;
    private final String admin;
    private final String user;
    private final String password;

    KeptDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("DASHBOARD_BENCH_DB '" + name + "': lower-case letters, digits and _,"
                    + " at most 63, not starting with a digit");
        }
        this.name = name;
        String host = env("TRAINYARD_TEST_PG_HOST", "127.0.0.1");
        String port = env("TRAINYARD_TEST_PG_PORT", "5432");
        this.user = env("TRAINYARD_TEST_PG_USER", "postgres");
        this.password = env("TRAINYARD_TEST_PG_PASSWORD", "");
        this.admin = "jdbc:postgresql://" + host + ":" + port + "/";
    }

    TestDatabase.Coordinates coordinates() {
        return new TestDatabase.Coordinates(admin + name, user, password);
    }

    /**
     * The finished seeding with these parameters, or null after making the database ready for a new one: created
     * when missing, dropped and created again when it holds another seeding or an unfinished one.
     */
    Seeding open(int points, int tableRuns, int fullRuns) throws SQLException {
        boolean exists;
        try (Connection c = DriverManager.getConnection(admin + "postgres", user, password);
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                exists = rs.next();
            }
        }
        if (exists) {
            String[] marker = marker();
            if (marker == null) {
                throw new IllegalStateException("database " + name + " exists but holds no dashboard_bench.seeding:"
                        + " it was not made by bench/dashboard, so it is left alone; choose another DASHBOARD_BENCH_DB");
            }
            String wanted = points + "/" + tableRuns + "/" + fullRuns + "/true";
            if (marker[0].equals(wanted)) {
                System.out.println("reusing the seeding in database " + name + " (" + points + " points, "
                        + tableRuns + " table runs, " + fullRuns + " full runs)");
                return new Seeding(marker[1]);
            }
            System.out.println("database " + name + " holds " + marker[0] + " (points/table runs/full runs/finished),"
                    + " not " + wanted + ": dropping it and seeding again");
            admin("DROP DATABASE " + name + " WITH (FORCE)");
        }
        admin("CREATE DATABASE " + name);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA dashboard_bench");
            s.execute("CREATE TABLE dashboard_bench.seeding (points INTEGER NOT NULL, table_runs INTEGER NOT NULL,"
                    + " finished BOOLEAN NOT NULL, info TEXT, full_runs INTEGER NOT NULL)");
            s.execute("INSERT INTO dashboard_bench.seeding VALUES (" + points + ", " + tableRuns + ", false, NULL, "
                    + fullRuns + ")");
        }
        System.out.println("seeding database " + name + "; it is kept after exit (DASHBOARD_BENCH_DB)");
        return null;
    }

    /** Marks the seeding finished, with what finds it again. */
    void finished(String info) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("UPDATE dashboard_bench.seeding SET finished = true, info = ?")) {
            s.setString(1, info);
            s.executeUpdate();
        }
    }

    /**
     * "points/tableRuns/fullRuns/finished" and the info, or null when the database has no marker. A marker from
     * before FULL_RUNS was recorded (no full_runs column) seeded every run fully.
     */
    private String[] marker() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM information_schema.tables"
                    + " WHERE table_schema = 'dashboard_bench' AND table_name = 'seeding'")) {
                if (!rs.next()) {
                    return null;
                }
            }
            s.execute("ALTER TABLE dashboard_bench.seeding ADD COLUMN IF NOT EXISTS full_runs INTEGER NOT NULL"
                    + " DEFAULT " + DashboardBench.COMPARE_RUNS);
            try (ResultSet rs = s.executeQuery("SELECT points, table_runs, full_runs, finished, info"
                    + " FROM dashboard_bench.seeding")) {
                return rs.next() ? new String[] {rs.getInt(1) + "/" + rs.getInt(2) + "/" + rs.getInt(3) + "/"
                        + rs.getBoolean(4), rs.getString(5)} : new String[] {"nothing", null};
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(admin + name, user, password);
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(admin + "postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
