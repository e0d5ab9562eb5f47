package dev.trainyard.platform.runs;

/** Where a run is in its life. QUEUED and RUNNING are live; the others are final until a retry re-queues it. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
