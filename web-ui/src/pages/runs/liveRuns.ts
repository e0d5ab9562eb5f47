import { useEffect, useRef } from 'preact/hooks';
import { experiments, projects, type MetricsEvent, type RunSummary, type RunsSnapshot, type StatusEvent } from '../../api';

/** A loaded row after a status event. */
export function withStatus(r: RunSummary, ev: StatusEvent): RunSummary {
  return { ...r, status: ev.to, attempt: ev.attempt };
}

/** A loaded row after a metrics event: the touched keys' latest values replace the old ones. */
export function withMetrics(r: RunSummary, ev: MetricsEvent): RunSummary {
  return { ...r, metrics: { ...r.metrics, ...ev.keys } };
}

/** The rows whose status a (re)connect's snapshot corrects, with their new status and attempt. */
export function snapshotChanges(rows: readonly RunSummary[], snapshot: RunsSnapshot): Map<number, RunsSnapshot['runs'][number]> {
  const byId = new Map(snapshot.runs.map((r) => [r.id, r]));
  const changes = new Map<number, RunsSnapshot['runs'][number]>();
  for (const row of rows) {
    const now = byId.get(row.id);
    if (now && (now.status !== row.status || now.attempt !== row.attempt)) changes.set(row.id, now);
  }
  return changes;
}

interface LiveTarget {
  rows: RunSummary[];
  update: (ids: Iterable<number>, change: (r: RunSummary) => RunSummary) => void;
}

/**
 * Keeps the loaded rows of an experiment's or a whole project's runs table live: status and latest metric values
 * from the experiment's or the project's event stream. A run submitted meanwhile is only counted (onNewRun), so
 * rows do not move under the pointer.
 */
export function useLiveRuns(projectId: number, experimentId: number | null, pages: LiveTarget, onNewRun: () => void) {
  const rows = useRef(pages.rows);
  rows.current = pages.rows; // a new query replaces the array; the listeners outlive it
  useEffect(() => {
    const source = experimentId === null ? projects.events(projectId) : experiments.events(projectId, experimentId);
    // after a reconnect the snapshot brings what the gap missed
    source.addEventListener('snapshot', (e) => {
      const changes = snapshotChanges(rows.current, JSON.parse((e as MessageEvent).data) as RunsSnapshot);
      pages.update(changes.keys(), (r) => ({ ...r, status: changes.get(r.id)!.status, attempt: changes.get(r.id)!.attempt }));
    });
    source.addEventListener('status', (e) => {
      const ev = JSON.parse((e as MessageEvent).data) as StatusEvent;
      if (ev.from === null) onNewRun();
      else pages.update([ev.runId], (r) => withStatus(r, ev));
    });
    source.addEventListener('metrics', (e) => {
      const ev = JSON.parse((e as MessageEvent).data) as MetricsEvent;
      pages.update([ev.runId], (r) => withMetrics(r, ev));
    });
    return () => source.close();
  }, [projectId, experimentId, pages.update]);
}
