import { describe, expect, it } from 'vitest';
// @ts-expect-error: no @types/node in this project; the tests run in node, where vitest stubs a stylesheet's import
import { readFileSync } from 'node:fs';
import type { ClusterWorker, ItemList, Queue } from '../api';
import type { Async } from '../components/useAsync';
import { QueueTable } from '../pages/queue/QueueTable';
import { WorkersTable } from '../pages/queue/WorkersTable';
import { MetricTable } from '../pages/compare/MetricTable';
import { cellClass } from '../pages/runs/RunsTable';
import { columnsFor } from '../pages/runs/columns';
import { classes, elements, text, type Element } from '../testing/vnodes';

const css: string = readFileSync(new URL('./app.css', import.meta.url), 'utf8');

/** The declarations of the stylesheet's rule for exactly this selector. */
function rule(selector: string): Record<string, string> {
  const at = css.indexOf(`\n${selector} {`);
  expect(at, `a rule for ${selector}`).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  return Object.fromEntries(body.split(';').map((d) => d.split(':').map((p) => p.trim())).filter((d) => d.length === 2 && d[0])
    .map(([k, v]) => [k!, v!]));
}

/** Each body row's key cells' text (the cells marked key), row by row. */
function keyCells(tree: unknown): string[][] {
  const rows = [...elements(tree)].filter((e) => e.type === 'tr');
  return rows.map((r) => [...elements(r.props.children)].filter((c: Element) => classes(c).includes('key')).map((c) => text(c.props.children)));
}

const ready = <T,>(value: T): Async<T> => ({ state: 'ready', value, reload: () => {} });

describe('a table\'s key column stays in view when the table scrolls sideways', () => {
  it('is sticky at the scroller\'s left edge, opaque, in the data tables and the runs table', () => {
    for (const selector of ['.table-scroll table.data .key', '.rt-key']) {
      const r = rule(selector);
      expect(r, selector).toMatchObject({ position: 'sticky', left: '0' });
      expect(r.background, selector).toMatch(/^var\(--bg\)$/);
    }
  });

  it('is the run\'s name in the runs table, and no other column', () => {
    const sticky = columnsFor(['param.lr', 'metric.loss']).filter((c) => cellClass(c).split(' ').includes('rt-key'));
    expect(sticky.map((c) => c.id)).toEqual(['name']);
  });

  it('is the run in the queue, the worker in the workers table, the metric in the compare page\'s values', () => {
    const queue = { items: [{ runId: 7, runName: 'resnet-lr3', projectId: 1, projectName: 'p', position: 1, priority: 0,
      queuedAt: new Date().toISOString(), labels: {}, resources: { cpus: 1, gpus: 0, memoryMb: 512, labels: {} } }],
    projectLimits: [] } as unknown as Queue;
    const workers = ready({ items: [{ id: 'w-1', name: 'gpu-box', status: 'ACTIVE', labels: {}, otherRuns: 0, runs: [],
      heartbeatAgeSeconds: 2, devices: { cpus: 8, memoryMb: 32768, gpus: null }, free: { cpus: 8, memoryMb: 32768, gpus: null } }],
    nextCursor: null } as unknown as ItemList<ClusterWorker>);
    expect(keyCells(QueueTable({ queue: ready(queue), workers }))).toEqual([['Run'], ['resnet-lr3']]);
    expect(keyCells(WorkersTable({ workers }))).toEqual([['Worker'], ['gpu-box[w-1]']]);
    const runs = [{ id: 1, name: 'a', params: {}, metrics: {} }, { id: 2, name: 'b', params: {}, metrics: {} }];
    const rows = [{ key: 'val/loss', rule: null, leaders: [], cells: [null, null] }];
    expect(keyCells(MetricTable({ runs, rows: rows as never, styles: new Map(), selected: new Set([1, 2]) })))
      .toEqual([['Metric (last value)'], ['val/loss']]);
  });
});
