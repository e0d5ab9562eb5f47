package dev.trainyard.platform.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Which database the queue runs on. PostgreSQL gets the River-style claim (one statement: FOR UPDATE SKIP LOCKED in
 * a materialised CTE, jsonb label matching) and LISTEN/NOTIFY; H2 (standalone, one process by construction: H2
 * locks its database file) gets portable SQL behind a single-instance lock, and polling.
 */
public enum Database {
    POSTGRESQL, H2;

    static Database of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("h2")) {
                return H2;
            }
            throw new IllegalStateException("the scheduler supports PostgreSQL and H2, not " + product);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database the scheduler runs on: " + e.getMessage(), e);
        }
    }
}
