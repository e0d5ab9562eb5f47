package dev.trainyard.platform.scheduling;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, LISTENs on {@value #CHANNEL} (the trigger in V2_1 notifies it whenever a run becomes QUEUED, from
 * any platform-api instance) and wakes this instance's waiting long-polls through {@link QueueSignal}. It holds one
 * connection of its own, outside the pool. When the connection fails it reconnects with back-off; meanwhile the
 * long-polls poll ({@link SchedulingProperties#pollInterval()}).
 */
@Component
class PostgresQueueListener implements SmartLifecycle {

    static final String CHANNEL = "trainyard_runs_queued";
    private static final Logger log = LoggerFactory.getLogger(PostgresQueueListener.class);
    private static final int WAIT_MILLIS = 500;
    private static final long CHECK_EVERY_MILLIS = 30_000;

    private final DataSource dataSource;
    private final Database database;
    private final QueueSignal signal;
    private volatile boolean running;
    private Thread thread;

    PostgresQueueListener(DataSource dataSource, Database database, QueueSignal signal) {
        this.dataSource = dataSource;
        this.database = database;
        this.signal = signal;
    }

    @Override
    public synchronized void start() {
        if (database != Database.POSTGRESQL || running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("trainyard-queue-listener").start(this::listen);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        signal.setListening(false);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        long backoff = 500;
        boolean warned = false;
        while (running) {
            try (Connection c = open(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                Class<?> pg = Class.forName("org.postgresql.PGConnection", true, c.getClass().getClassLoader());
                Object pgConnection = c.unwrap(pg);
                Method notifications = pg.getMethod("getNotifications", int.class);
                signal.setListening(true);
                signal.wake(); // runs queued while nobody listened
                if (warned) {
                    log.info("listening on {} again", CHANNEL);
                }
                backoff = 500;
                warned = false;
                long lastCheck = System.currentTimeMillis();
                while (running) {
                    Object[] got = (Object[]) notifications.invoke(pgConnection, WAIT_MILLIS);
                    if (got != null && got.length > 0) {
                        signal.wake();
                    }
                    if (System.currentTimeMillis() - lastCheck > CHECK_EVERY_MILLIS) {
                        s.execute("SELECT 1"); // a connection that died silently fails here
                        lastCheck = System.currentTimeMillis();
                    }
                }
            } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
                signal.setListening(false);
                if (!running) {
                    break;
                }
                Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null
                        ? ite.getCause() : e;
                if (!warned) {
                    log.warn("LISTEN {} failed ({}); waiting lease requests poll until it works again", CHANNEL,
                            cause.toString());
                    warned = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        signal.setListening(false);
    }

    /** A connection of its own with the pool's settings, so that listening does not take one from the pool. */
    private Connection open() throws SQLException {
        HikariDataSource hikari = dataSource.isWrapperFor(HikariDataSource.class)
                ? dataSource.unwrap(HikariDataSource.class) : null;
        if (hikari == null || hikari.getJdbcUrl() == null) {
            return dataSource.getConnection();
        }
        Properties props = new Properties();
        props.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            props.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            props.setProperty("password", hikari.getPassword());
        }
        props.setProperty("ApplicationName", "trainyard-queue-listener");
        return DriverManager.getConnection(hikari.getJdbcUrl(), props);
    }
}
