package dev.trainyard.platform.events;

import java.util.List;

/**
 * New log lines were stored for a run's attempt (published after the write committed, with only the lines that
 * were new, in seq order).
 */
public record LogsAppended(long projectId, Long experimentId, long runId, int attempt, List<LogLine> lines) {}
