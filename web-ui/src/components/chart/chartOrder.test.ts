import { describe, expect, it } from 'vitest';
import { chartOrder } from './chartOrder';

describe('chartOrder', () => {
  it('puts the run\'s own metrics first, by name, and the worker\'s system metrics last', () => {
    expect(chartOrder(['system/memory_mb', 'train/loss', 'system/cpu_percent', 'test/accuracy', 'lr']))
      .toEqual(['lr', 'test/accuracy', 'train/loss', 'system/cpu_percent', 'system/memory_mb']);
  });

  it('keeps each key once and takes any iterable', () => {
    expect(chartOrder(new Set(['b', 'a']))).toEqual(['a', 'b']);
    expect(chartOrder(['a', 'a', 'system/x'])).toEqual(['a', 'system/x']);
  });

  it('does not take a key that merely contains "system/" for a system metric', () => {
    expect(chartOrder(['system/cpu_percent', 'eval/system/x'])).toEqual(['eval/system/x', 'system/cpu_percent']);
  });
});
