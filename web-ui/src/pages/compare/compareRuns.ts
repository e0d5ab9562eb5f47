import { ApiError, runs as runsApi, type ItemList, type RunSummary } from '../../api';

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

/** The runs list's answer for the ids asked (a page still shows it for a moment after its URL names others). */
export interface CompareRuns {
  asked: readonly number[];
  runs: RunSummary[];
  missing: number[];
}

/**
 * A runs list's answer for other ids narrowed to these: shown while the list for them loads, so that removing a run
 * from the comparison redraws at once and adding one keeps the page as it was until the new run's details are there.
 */
export function narrowed(list: CompareRuns, ids: readonly number[]): { runs: RunSummary[]; missing: number[] } {
  return { runs: inIdOrder(ids, list.runs).runs, missing: list.missing.filter((id) => ids.includes(id)) };
}

/**
 * The compared runs (names, params, start times, latest metrics) in one list request, at low priority: a browser
 * opens at most six connections to a host over HTTP/1.1, one of them held by the live event stream, and the charts'
 * series queries (which the first draw waits for) must not queue behind it. A request per run took two of those
 * connections for as long as 100 runs' details took, two at a time.
 */
export async function loadCompareRuns(projectId: number, ids: readonly number[], signal?: AbortSignal):
  Promise<CompareRuns> {
  if (ids.length === 0) return { asked: ids, runs: [], missing: [] };
  const page = await runsApi.ofIds(projectId, ids, { signal, priority: 'low' });
  return { asked: ids, ...inIdOrder(ids, page.items) };
}

/**
 * Metric summaries of the runs that exist. The first answer (asked for every id in the URL, in parallel with the runs
 * list, so that a URL of existing runs costs one round trip) is a 404 when a run was deleted or is not in the
 * project: then the ids the runs list found are asked for, and only those. The 404 is kept when every run exists.
 */
export async function summariesOfFound<T>(ids: readonly number[], first: Promise<ItemList<T>>,
    found: Promise<readonly number[]>, ask: (ids: readonly number[]) => Promise<ItemList<T>>): Promise<ItemList<T>> {
  try {
    return await first;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    const existing = await found.catch(() => { throw e; });
    if (existing.length === ids.length) throw e;
    return existing.length === 0 ? { items: [], nextCursor: null } : ask(existing);
  }
}

/** A promise settled from outside: the found ids, once the runs list answers. */
export function settleLater<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
