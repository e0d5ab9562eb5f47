package dev.trainyard.platform.runs;

/**
 * Published inside the transaction that deletes a run, just before the delete, for features that keep things
 * outside the database for it (checkpoint artifacts) to record what must go with it in the same transaction.
 */
public record RunDeleting(long projectId, long runId) {}
