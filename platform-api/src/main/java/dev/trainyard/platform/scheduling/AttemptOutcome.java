package dev.trainyard.platform.scheduling;

/** How a run attempt ended, as its run_attempts row records it. */
public enum AttemptOutcome {
    /** the worker reported the run finished */
    SUCCEEDED,
    /** the worker reported a failure; the retry policy decided whether the run goes back to the queue */
    FAILED,
    /** cancelled through the API, or by the worker on its own */
    CANCELLED,
    /** the lease expired or the worker went away; the retry policy decided what happens next */
    LOST
}
