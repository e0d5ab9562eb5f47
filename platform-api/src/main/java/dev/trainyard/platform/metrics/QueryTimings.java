package dev.trainyard.platform.metrics;

/** Where a series query's time went, for the Server-Timing header: the nanoseconds spent reading the database. */
@FunctionalInterface
public interface QueryTimings {

    QueryTimings NONE = nanos -> {};

    void database(long nanos);
}
