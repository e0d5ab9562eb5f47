import { describe, expect, it } from 'vitest';
import { bestRule, mergeSummaries, summaryRows } from './metricSummary';

describe('bestRule', () => {
  it('takes the lowest loss or error and the highest accuracy', () => {
    for (const k of ['loss', 'val/loss', 'train_loss', 'nll_loss', 'valloss', 'test/error']) expect(bestRule(k)).toBe('min');
    for (const k of ['acc', 'val/acc', 'test_accuracy', 'Accuracy']) expect(bestRule(k)).toBe('max');
  });
  it('has no best for other keys and for system metrics', () => {
    for (const k of ['lr', 'epoch', 'accumulate_steps', 'lossless_ratio_x', 'system/loss', 'system/cpu']) {
      expect(bestRule(k), k).toBeNull();
    }
  });
});

describe('summaryRows', () => {
  it('lists keys in the charts order with the last value, the step and the best', () => {
    const rows = summaryRows(new Map([
      ['system/cpu', { last: 20, step: 2, min: 10, max: 20 }],
      ['val/loss', { last: 0.6, step: 3, min: 0.4, max: 0.9 }],
      ['acc', { last: 0.3, step: 3, min: 0.1, max: 0.5 }],
      ['lr', { last: 'NaN', step: 2, min: 0.05, max: 0.1 }],
    ]));
    expect(rows).toEqual([
      { key: 'acc', last: 0.3, step: 3, best: { rule: 'max', value: 0.5 } },
      { key: 'lr', last: NaN, step: 2, best: null },
      { key: 'val/loss', last: 0.6, step: 3, best: { rule: 'min', value: 0.4 } },
      { key: 'system/cpu', last: 20, step: 2, best: null },
    ]);
  });
});

describe('mergeSummaries', () => {
  it('takes a live summary unless the loaded one is at a later step', () => {
    const loaded = [{ key: 'loss', last: 1, step: 10, min: 1, max: 2 }, { key: 'acc', last: 0.5, step: 10, min: 0, max: 0.5 }];
    const merged = mergeSummaries(loaded, new Map([
      ['loss', { last: 0.8, step: 12, min: 0.8, max: 2 }],
      ['acc', { last: 0.4, step: 8, min: 0, max: 0.4 }],
      ['lr', { last: 0.1, step: 12, min: 0.1, max: 0.1 }],
    ]));
    expect(merged.get('loss')!.last).toBe(0.8);
    expect(merged.get('acc')!.last).toBe(0.5);
    expect(merged.get('lr')!.last).toBe(0.1);
  });
});
