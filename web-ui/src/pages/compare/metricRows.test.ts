import { describe, expect, it } from 'vitest';
import type { MetricSummary } from '../../api';
import { metricTableRows } from './metricRows';

type ByRun = Map<number, Record<string, MetricSummary>>;
const s = (last: number | string, step = 3, min: number | string = last, max: number | string = last): MetricSummary =>
  ({ last, step, min, max });

describe('the compare page metric table', () => {
  it('gives each run its last value and marks the lowest loss and the highest accuracy', () => {
    const byRun: ByRun = new Map<number, Record<string, MetricSummary>>([
      [7, { loss: s(0.5, 10, 0.4, 2), 'val/accuracy': s(0.81) }],
      [3, { loss: s(0.25), 'val/accuracy': s(0.8), lr: s(0.1) }],
      [9, { loss: s(0.75), lr: s(0.01) }],
    ]);
    const rows = metricTableRows(['loss', 'lr', 'val/accuracy'], [7, 3, 9], byRun);
    expect(rows.map((r) => [r.key, r.rule, r.leaders])).toEqual([
      ['loss', 'min', [3]],
      ['lr', null, []],
      ['val/accuracy', 'max', [7]],
    ]);
    expect(rows[0]!.cells[0]).toEqual({ last: 0.5, step: 10, min: 0.4, max: 2 });
    expect(rows[1]!.cells[0]).toBeNull();
    expect(rows[2]!.cells[2]).toBeNull();
  });
  it('names no leader with one value, with all values equal, and ignores NaN; ties lead together', () => {
    const byRun: ByRun = new Map<number, Record<string, MetricSummary>>([
      [1, { loss: s(1), acc: s(0.5), err: s('NaN') }],
      [2, { acc: s(0.5), err: s(0.2) }],
      [3, { acc: s(0.25), err: s(0.3) }],
      [4, { acc: s(0.5), err: s('Infinity') }],
    ]);
    const rows = metricTableRows(['loss', 'acc', 'err'], [1, 2, 3, 4], byRun);
    expect(rows[0]!.leaders).toEqual([]);
    expect(rows[1]!.leaders).toEqual([1, 2, 4]);
    expect(rows[2]!.leaders).toEqual([2]);
    expect(rows[2]!.cells[3]!.last).toBe(Infinity);
  });
  it('names no leader when every run has the same value', () => {
    const byRun: ByRun = new Map<number, Record<string, MetricSummary>>([[1, { loss: s(0.5) }], [2, { loss: s(0.5) }]]);
    expect(metricTableRows(['loss'], [1, 2], byRun)[0]!.leaders).toEqual([]);
  });
});
