package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunStatus;

/** The sentences of 409s and stop orders: what happened to the run, and what the worker should do about it. */
final class Fencing {

    private Fencing() {}

    /** Why worker {@code workerId} may not write for {@code runId} attempt {@code attempt}, given the run's state. */
    static String refused(String workerId, long runId, int attempt, RunState run) {
        if (run.attempt() < attempt) {
            return "run " + runId + " has no attempt " + attempt + " (its latest is " + run.attempt() + ")";
        }
        if (run.attempt() > attempt) {
            return "worker " + workerId + " no longer holds run " + runId + ": attempt " + attempt + " lost its lease"
                    + " and the run has moved on to attempt " + run.attempt() + " (" + run.status() + "); stop"
                    + " attempt " + attempt + " and discard its results";
        }
        return switch (run.status()) {
            case CANCELLED -> "run " + runId + " was cancelled at " + run.finishedAt() + "; stop attempt " + attempt
                    + " and report CANCELLED";
            case SUCCEEDED, FAILED -> "run " + runId + " attempt " + attempt + " already ended: the run is "
                    + run.status();
            case QUEUED -> "worker " + workerId + " no longer holds run " + runId + ": attempt " + attempt
                    + " lost its lease and the run is queued again (its attempts say why); stop it and discard its"
                    + " results";
            case RUNNING -> workerId.equals(run.workerId())
                    ? "run " + runId + " attempt " + attempt + " is live" // not a refusal; not reached
                    : "run " + runId + " attempt " + attempt + " is held by worker " + run.workerId() + ", not "
                            + workerId;
        };
    }

    static boolean live(RunState run, String workerId, int attempt) {
        return run.status() == RunStatus.RUNNING && run.attempt() == attempt && workerId.equals(run.workerId());
    }
}
