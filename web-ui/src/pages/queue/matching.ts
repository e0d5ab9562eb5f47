/** A worker as far as leasing goes: whether it is live, and the labels it offers. */
export interface LabelledWorker {
  status: string;
  labels: Record<string, string> | null | undefined;
}

/**
 * Whether a worker offering {@code offered} may lease a run asking for {@code required}: every label the run asks
 * for, with the same value (case and all). The lease query's rule: `r.labels <@ worker labels` in
 * PostgresQueueDialect.CLAIM (LeaseService.offered on other databases); labels the run does not ask for do not matter.
 */
export function offers(offered: Record<string, string> | null | undefined, required: Record<string, string>): boolean {
  return Object.entries(required).every(([k, v]) => offered != null && Object.hasOwn(offered, k) && offered[k] === v);
}

/**
 * Why no live worker can take a run for its labels, or null when one can. Live means ACTIVE: an OFFLINE worker
 * leases nothing until it is heard from again. Names the labels no live worker offers at all; when each is offered
 * by some worker but none offers them all, says so. Resources, run limits and back-off are not looked at here.
 */
export function labelHint(required: Record<string, string> | null | undefined, workers: readonly LabelledWorker[]): string | null {
  const need = required ?? {};
  const live = workers.filter((w) => w.status === 'ACTIVE');
  if (live.length === 0) return 'No live worker: it waits until one starts';
  if (live.some((w) => offers(w.labels, need))) return null;
  const pairs = Object.entries(need);
  const missing = pairs.filter(([k, v]) => !live.some((w) => offers(w.labels, { [k]: v })));
  const named = (ps: [string, string][]) => ps.map(([k, v]) => `${k}=${v}`).join(', ');
  return missing.length > 0
    ? `No live worker offers ${named(missing)}`
    : `No live worker offers ${named(pairs)} together`;
}
