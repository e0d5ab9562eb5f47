import { describe, expect, it } from 'vitest';
import type { ClusterWorker, ItemList, Queue } from '../../api';
import type { Async } from '../../components/useAsync';
import { QueueTable } from './QueueTable';
import { elements, text } from '../../testing/vnodes';

const ready = <T,>(value: T): Async<T> => ({ state: 'ready', value, reload: () => {} });

const worker = { id: 'w1', name: 'w1', status: 'ACTIVE', labels: {}, heartbeatAgeSeconds: 1, otherRuns: 0, runs: [],
  devices: { cpus: 2, memoryMb: 8192, gpus: null }, free: { cpus: 2, memoryMb: 8192, gpus: null } } as unknown as ClusterWorker;

function queued(runId: number, cpus: number, memoryMb: number, labels: Record<string, string>) {
  return { runId, runName: `run-${runId}`, projectId: 1, projectName: 'p', position: runId, priority: 0,
    queuedAt: new Date().toISOString(), labels, resources: { cpus, gpus: 0, memoryMb, labels } };
}

/** The cells of a run's row by column class: its Needs and Labels, hints in [brackets]. */
function row(queue: Queue, runId: number): Record<string, string> {
  const tree = QueueTable({ queue: ready(queue), workers: ready({ items: [worker], nextCursor: null } as ItemList<ClusterWorker>) });
  const tr = [...elements(tree)].find((e) => e.type === 'tr' && e.props['data-run-id'] === runId)!;
  const cells = [...elements(tr.props.children)].filter((e) => e.type === 'td');
  return Object.fromEntries(cells.filter((c) => String(c.props.class).startsWith('queue-')).map((c) => [c.props.class as string, text(c.props.children)]));
}

describe('the queue table', () => {
  const queue = { items: [queued(1, 4, 1536, {}), queued(2, 1, 512, { pool: 'gpu' }), queued(3, 1, 1024, {})],
    projectLimits: [] } as unknown as Queue;

  it('puts a resource hint under what the run needs, in the memory unit the workers table uses', () => {
    expect(row(queue, 1)).toEqual({
      'queue-needs': '4 CPU, 1.5 GiB[Needs 4 CPU; the largest live worker has 2]',
      'queue-labels': '—',
    });
  });

  it('puts a label hint under the labels, and none under the resources', () => {
    expect(row(queue, 2)).toEqual({ 'queue-needs': '1 CPU, 512 MiB', 'queue-labels': 'pool=gpu[No live worker offers pool=gpu]' });
  });

  it('says nothing of a run a live worker can take', () => {
    expect(row(queue, 3)).toEqual({ 'queue-needs': '1 CPU, 1 GiB', 'queue-labels': '—' });
  });
});
