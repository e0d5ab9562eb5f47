package dev.trainyard.platform.projects;

/**
 * Published inside the transaction that deletes a project, after its runs are gone and before its row is, for
 * features that keep things outside the database for it (dataset artifacts) to schedule their deletion in the same
 * transaction.
 */
public record ProjectDeleting(long projectId) {}
