import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../api';
import { snapshotChanges, withMetrics, withStatus } from './liveRuns';

function run(id: number, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id, projectId: 1, experimentId: null, name: `r${id}`, status: 'QUEUED', params: {}, tags: [], priority: 0,
    attempt: 0, retries: 0, createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, createdBy: null,
    metrics: {}, ...over,
  };
}

describe('live runs table', () => {
  it('takes the status and attempt of a status event', () => {
    const r = withStatus(run(1), { runId: 1, experimentId: null, from: 'QUEUED', to: 'RUNNING', attempt: 1, at: '' });
    expect(r.status).toBe('RUNNING');
    expect(r.attempt).toBe(1);
  });

  it('merges the keys of a metrics event (sent as an object by key) into the row', () => {
    const before = run(1, { metrics: { loss: { last: 1, step: 0, min: 1, max: 1 }, acc: { last: 0.1, step: 0, min: 0.1, max: 0.1 } } });
    const after = withMetrics(before, {
      runId: 1, points: 2,
      keys: { loss: { last: 0.5, step: 9, min: 0.5, max: 1 }, lr: { last: 0.0003, step: 9, min: 0.0003, max: 0.001 } },
    });
    expect(after.metrics.loss).toEqual({ last: 0.5, step: 9, min: 0.5, max: 1 });
    expect(after.metrics.acc!.last).toBe(0.1);
    expect(after.metrics.lr!.last).toBe(0.0003);
    expect(before.metrics.loss!.last).toBe(1); // rows are replaced, not mutated
  });

  it('corrects only the loaded rows whose status the snapshot changed', () => {
    const rows = [run(1), run(2, { status: 'RUNNING', attempt: 1 }), run(3)];
    const changes = snapshotChanges(rows, {
      truncated: false,
      runs: [
        { id: 1, name: 'r1', experimentId: null, status: 'QUEUED', attempt: 0 },
        { id: 2, name: 'r2', experimentId: null, status: 'SUCCEEDED', attempt: 1 },
        { id: 4, name: 'r4', experimentId: null, status: 'QUEUED', attempt: 0 },
      ],
    });
    expect([...changes.keys()]).toEqual([2]);
    expect(changes.get(2)!.status).toBe('SUCCEEDED');
  });
});
