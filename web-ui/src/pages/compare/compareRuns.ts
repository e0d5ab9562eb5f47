import { runs as runsApi, type RunSummary } from '../../api';

/** The runs a list answered, in the order of the ids asked for, and the ids it had no run for. */
export function inIdOrder<R extends { id: number }>(ids: readonly number[], found: readonly R[]): { runs: R[]; missing: number[] } {
  const byId = new Map(found.map((r) => [r.id, r]));
  const runs: R[] = [];
  const missing: number[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r) runs.push(r);
    else missing.push(id);
  }
  return { runs, missing };
}

/**
 * The compared runs (names, params, start times, latest metrics) in one list request, at low priority: a browser
 * opens at most six connections to a host over HTTP/1.1, one of them held by the live event stream, and the charts'
 * series queries (which the first draw waits for) must not queue behind it. A request per run took two of those
 * connections for as long as 100 runs' details took, two at a time.
 */
export async function loadCompareRuns(projectId: number, ids: readonly number[], signal?: AbortSignal):
  Promise<{ runs: RunSummary[]; missing: number[] }> {
  if (ids.length === 0) return { runs: [], missing: [] };
  const page = await runsApi.ofIds(projectId, ids, { signal, priority: 'low' });
  return inIdOrder(ids, page.items);
}
