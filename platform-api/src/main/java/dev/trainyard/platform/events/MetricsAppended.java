package dev.trainyard.platform.events;

import java.util.List;

/**
 * New metric points were stored for a run (published after the write committed, only when at least one point was
 * new). The streams coalesce these: a subscriber gets at most one {@code metrics} event per run per flush interval,
 * with each key's latest state.
 *
 * @param points how many points were new
 * @param keys the state of each key the batch touched, after the batch
 */
public record MetricsAppended(long projectId, Long experimentId, long runId, int points, List<KeyState> keys) {

    /** A key's summary after a batch: its latest step and value, and its lowest and highest value (NaN left out). */
    public record KeyState(String key, long step, double last, double min, double max) {}
}
