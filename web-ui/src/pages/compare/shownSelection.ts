// What the compare page shows while the URL's runs load. Before, a new selection sharing no run with the one on the
// page flashed an empty page (no charts, "These runs have no params.") until its answers came; now the runs compared
// before stay, said to be those and dimmed, until the new ones' names, params and metric keys are all there.
import type { RunSummaries, RunSummary } from '../../api';
import { narrowed, type CompareRuns } from './compareRuns';

/** The answers for one selection: the runs list's and the metric summaries'. */
export interface LoadedSelection {
  runs: CompareRuns;
  summaries: readonly RunSummaries[];
}

export interface ShownSelection {
  /** `current`: the URL's runs (some perhaps still loading); `previous`: the runs compared before, in full */
  of: 'current' | 'previous';
  runs: RunSummary[];
  /** ids of the URL that name no run (none while the previous runs are shown: not known yet) */
  missing: number[];
  /** the shown runs' metric summaries, or null while there are none to show */
  summaries: RunSummaries[] | null;
  /** ids of the URL whose names, params or metric keys are still loading */
  loading: number[];
}

/**
 * From the answers for the URL's ids so far (null until each is there) and the last selection that had both: the
 * URL's runs once both answers are in; else what the last selection said of the runs it shares with the URL (a run
 * removed redraws at once, a run added loads beside the others); else, when it shares none, the last selection
 * itself, as `previous`; null when nothing is known yet (the first load).
 */
export function shownSelection(ids: readonly number[], listed: CompareRuns | null, summaries: readonly RunSummaries[] | null,
    last: LoadedSelection | null): ShownSelection | null {
  if (listed && summaries) return { of: 'current', runs: listed.runs, missing: listed.missing, summaries: [...summaries], loading: [] };
  const before = new Set(last?.runs.asked ?? []);
  const loading = ids.filter((id) => !before.has(id));
  if (last && ids.length > 0 && loading.length === ids.length) {
    return { of: 'previous', runs: last.runs.runs, missing: [], summaries: [...last.summaries], loading };
  }
  const details = listed ?? (last ? narrowed(last.runs, ids) : null);
  if (!details) return null;
  const kept = summaries ?? last?.summaries.filter((s) => ids.includes(s.runId)) ?? null;
  return { of: 'current', runs: details.runs, missing: details.missing, summaries: kept ? [...kept] : null, loading };
}
