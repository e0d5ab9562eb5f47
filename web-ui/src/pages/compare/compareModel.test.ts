import { describe, expect, it } from 'vitest';
import { brushed, chartKeys, brushesFromQuery, brushesToQuery, metricAxis, paramAxis, paramKeys, parseRunIds,
  type CompareRun } from './compareModel';

const runs: CompareRun[] = [
  { id: 1, name: 'a', params: { 'optimizer.lr': 0.001, 'optimizer.type': 'adam', batchSize: 64 }, metrics: { loss: 0.5 } },
  { id: 2, name: 'b', params: { 'optimizer.lr': 0.01, 'optimizer.type': 'adam', batchSize: 64 }, metrics: { loss: 0.3 } },
  { id: 3, name: 'c', params: { 'optimizer.lr': 0.1, 'optimizer.type': 'sgd', batchSize: 64 }, metrics: { loss: NaN } },
];

describe('compare model', () => {
  it('reads run ids from the URL, keeping order and at most 100', () => {
    expect(parseRunIds('3, 1,x,3,2')).toEqual({ ids: [3, 1, 2], tooMany: false, invalid: ['x'] });
    const many = parseRunIds(Array.from({ length: 120 }, (_, i) => i + 1).join(','));
    expect(many.ids.length).toBe(100);
    expect(many.tooMany).toBe(true);
    // the API takes positive ids that fit a long; the page keeps to those a number holds exactly
    expect(parseRunIds('0,7,007,99999999999999999999')).toEqual({ ids: [7], tooMany: false,
      invalid: ['0', '99999999999999999999'] });
  });

  it('charts every key any run has, not only those all share', () => {
    expect(chartKeys([{ metrics: { loss: 1, acc: 2 } }, { metrics: { loss: 1, 'val/loss': 3 } }, { metrics: {} }]))
      .toEqual(['acc', 'loss', 'val/loss']);
    expect(chartKeys([])).toEqual([]);
  });

  it('lists only the params that differ, unless asked for all', () => {
    expect(paramKeys(runs, true)).toEqual(['optimizer.lr', 'optimizer.type']);
    expect(paramKeys(runs, false)).toEqual(['batchSize', 'optimizer.lr', 'optimizer.type']);
  });

  it('puts a learning rate on a log axis and categories in order', () => {
    const lr = paramAxis('optimizer.lr', runs);
    expect(lr.kind).toBe('number');
    expect(lr.log).toBe(true);
    expect(runs.map((r) => lr.position(r))).toEqual([0, 0.5, 1]);
    const type = paramAxis('optimizer.type', runs);
    expect(type.categories).toEqual(['adam', 'sgd']);
    expect(runs.map((r) => type.position(r))).toEqual([0, 0, 1]);
  });

  it('brushes filter the runs; a missing value is outside', () => {
    const axes = [paramAxis('optimizer.lr', runs), metricAxis('loss', runs)];
    expect(brushed(runs, axes, [{ axis: 'param.optimizer.lr', from: 0.4, to: 1 }]).map((r) => r.id)).toEqual([2, 3]);
    expect(brushed(runs, axes, [{ axis: 'param.optimizer.lr', from: 0.4, to: 1 },
      { axis: 'metric.loss', from: 0, to: 1 }]).map((r) => r.id)).toEqual([2]);
  });

  it('keeps brushes in the URL', () => {
    const b = [{ axis: 'param.optimizer.lr', from: 0.25, to: 0.75 }];
    expect(brushesFromQuery(brushesToQuery(b))).toEqual(b);
  });
});
