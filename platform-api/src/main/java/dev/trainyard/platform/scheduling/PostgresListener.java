package dev.trainyard.platform.scheduling;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, LISTENs on every {@link NotificationChannel} (the queue's, the event relay's) and hands each
 * notification to its channel. It holds one connection of its own, outside the pool. When the connection fails it
 * reconnects with back-off, telling the channels when listening stops and starts again.
 */
@Component
class PostgresListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);
    private static final int WAIT_MILLIS = 500;
    private static final long CHECK_EVERY_MILLIS = 30_000;

    private final DataSource dataSource;
    private final Database database;
    private final Map<String, NotificationChannel> channels = new LinkedHashMap<>();
    private volatile boolean running;
    private Thread thread;

    PostgresListener(DataSource dataSource, Database database, List<NotificationChannel> channels) {
        this.dataSource = dataSource;
        this.database = database;
        channels.forEach(c -> this.channels.put(c.name(), c));
    }

    @Override
    public synchronized void start() {
        if (database != Database.POSTGRESQL || running || channels.isEmpty()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("trainyard-pg-listener").start(this::listen);
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
        setListening(false);
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
                for (String channel : channels.keySet()) {
                    s.execute("LISTEN " + channel);
                }
                ClassLoader loader = c.getClass().getClassLoader();
                Class<?> pg = Class.forName("org.postgresql.PGConnection", true, loader);
                Class<?> notification = Class.forName("org.postgresql.PGNotification", true, loader);
                Object pgConnection = c.unwrap(pg);
                Method notifications = pg.getMethod("getNotifications", int.class);
                Method name = notification.getMethod("getName");
                Method parameter = notification.getMethod("getParameter");
                setListening(true);
                if (warned) {
                    log.info("listening on {} again", channels.keySet());
                }
                backoff = 500;
                warned = false;
                long lastCheck = System.currentTimeMillis();
                while (running) {
                    Object[] got = (Object[]) notifications.invoke(pgConnection, WAIT_MILLIS);
                    if (got != null) {
                        for (Object n : got) {
                            dispatch((String) name.invoke(n), (String) parameter.invoke(n));
                        }
                    }
                    if (System.currentTimeMillis() - lastCheck > CHECK_EVERY_MILLIS) {
                        s.execute("SELECT 1"); // a connection that died silently fails here
                        lastCheck = System.currentTimeMillis();
                    }
                }
            } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
                setListening(false);
                if (!running) {
                    break;
                }
                Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null
                        ? ite.getCause() : e;
                if (!warned) {
                    log.warn("LISTEN {} failed ({}); waiting lease requests poll and event streams see only this "
                            + "instance's events until it works again", channels.keySet(), cause.toString());
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
        setListening(false);
    }

    private void dispatch(String channel, String payload) {
        NotificationChannel target = channels.get(channel);
        if (target == null) {
            return;
        }
        try {
            target.received(payload);
        } catch (RuntimeException e) {
            log.warn("a notification on {} could not be handled: {}", channel, e.toString()); // keep listening
        }
    }

    private void setListening(boolean listening) {
        channels.values().forEach(c -> c.listening(listening));
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
        props.setProperty("ApplicationName", "trainyard-listener");
        return DriverManager.getConnection(hikari.getJdbcUrl(), props);
    }
}
