package dev.trainyard.platform.scheduling;

/**
 * A PostgreSQL notification channel this instance LISTENs on, through {@link PostgresListener}'s one connection.
 * Beans of this type are picked up on their own; on H2 nothing listens and they are never called.
 */
public interface NotificationChannel {

    /** The channel's name (an SQL identifier). */
    String name();

    /** One notification, on the listener's thread, in the order they were committed; keep it short. */
    void received(String payload);

    /**
     * Listening started (true: from now on every notification arrives) or stopped (the connection failed or the
     * application is stopping; notifications sent until it works again are lost).
     */
    default void listening(boolean listening) {}
}
