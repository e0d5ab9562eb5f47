package dev.trainyard.platform.workers;

/** ACTIVE; OFFLINE when not heard from for a while (its next call makes it ACTIVE again); DEREGISTERED for good. */
public enum WorkerStatus {
    ACTIVE, OFFLINE, DEREGISTERED
}
