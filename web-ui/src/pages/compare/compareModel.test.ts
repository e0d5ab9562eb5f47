import { describe, expect, it } from 'vitest';
import { brushed, chartKeys, brushesFromQuery, brushesToQuery, metricAxis, paramAxis, paramKeys, paramsView, parseRunIds,
  runSearch, searchMatches, withRun, withoutRuns, type CompareRun } from './compareModel';

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

  it('shows one run\'s own params, not that every param is the same', () => {
    const one = paramsView([runs[0]!], false);
    expect(one).toEqual({ keys: ['batchSize', 'optimizer.lr', 'optimizer.type'], label: 'Params', toggle: false, empty: null });
    expect(paramsView([runs[0]!], true).keys).toEqual(one.keys);
    expect(paramsView([{ ...runs[0]!, params: {} }], false).empty).toBe('This run has no params.');
  });

  it('of more runs, the differing params, all when asked, and says when every param is the same', () => {
    expect(paramsView(runs, false)).toEqual({ keys: ['optimizer.lr', 'optimizer.type'], label: 'Differing params', toggle: true,
      empty: null });
    expect(paramsView(runs, true).keys).toEqual(['batchSize', 'optimizer.lr', 'optimizer.type']);
    const same = [runs[0]!, { ...runs[0]!, id: 9 }];
    expect(paramsView(same, false)).toMatchObject({ keys: [], empty: 'Every param is the same in these runs.', toggle: true });
    expect(paramsView(same, true).keys).toEqual(['batchSize', 'optimizer.lr', 'optimizer.type']);
    expect(paramsView([{ ...runs[0]!, params: {} }, { ...runs[1]!, params: {} }], false).empty).toBe('These runs have no params.');
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

  it('adds a run to the URL at the end, once', () => {
    expect(withRun('3,1', 7)).toBe('3,1,7');
    expect(withRun(null, 7)).toBe('7');
    expect(withRun('', 7)).toBe('7');
    expect(withRun('3, 7,1', 7)).toBe('3,7,1');
    expect(parseRunIds(withRun('3,x,1', 9)).ids).toEqual([3, 1, 9]);
  });
  it('removes runs from the URL, keeping the others in their order', () => {
    expect(withoutRuns('3,7,1', [7])).toBe('3,1');
    expect(withoutRuns('3, 7 ,1,7', [7, 3])).toBe('1');
    expect(withoutRuns('7', [7])).toBe('');
    expect(withoutRuns(null, [7])).toBe('');
    // undoing an add gives the address back as it was
    expect(withoutRuns(withRun('3,1', 7), [7])).toBe('3,1');
  });
  it('searches by #id, by a number as id and name, and by name', () => {
    expect(runSearch('#12')).toEqual({ id: 12, name: null });
    expect(runSearch(' 12 ')).toEqual({ id: 12, name: '12' });
    expect(runSearch('adam-lr')).toEqual({ id: null, name: 'adam-lr' });
    expect(runSearch('#0')).toEqual({ id: null, name: null });
    expect(runSearch('#adam')).toEqual({ id: null, name: '#adam' });
    expect(runSearch('   ')).toBeNull();
  });
  it('lists the run of the id first, then the names, without the runs compared already', () => {
    const r = (id: number) => ({ id });
    expect(searchMatches([r(12)], [r(4), r(12), r(5), r(6)], [5], 8)).toEqual([r(12), r(4), r(6)]);
    expect(searchMatches([], [r(1), r(2), r(3)], [], 2)).toEqual([r(1), r(2)]);
    expect(searchMatches([r(3)], [], [3], 8)).toEqual([]);
  });
});
