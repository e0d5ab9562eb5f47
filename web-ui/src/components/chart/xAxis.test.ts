import { describe, expect, it } from 'vitest';
import { formatDuration, stepRangeForX, xValues } from './xAxis';
import type { RunSeries } from './seriesArrays';

const bucketed: RunSeries = {
  runId: 1, key: 'loss', count: 300, bucketed: true,
  step: new Float64Array([100, 200, 300]), min: new Float64Array(3), max: new Float64Array(3),
  last: new Float64Array(3), time: null,
};

describe('xValues', () => {
  it('is the steps on a step axis', () => {
    expect(xValues(bucketed, 'step')).toBe(bucketed.step);
  });
  it('interpolates bucket times between the run start and its latest update', () => {
    const anchors = { startedAt: 1000, lastAt: 1200, lastStep: 300 };
    expect(Array.from(xValues(bucketed, 'wall', anchors))).toEqual([1000, 1100, 1200]);
    expect(Array.from(xValues(bucketed, 'relative', anchors))).toEqual([0, 100, 200]);
  });
  it('uses measured times when there are points', () => {
    const withTimes = { ...bucketed, bucketed: false, time: new Float64Array([1005, 1010, 1030]) };
    expect(Array.from(xValues(withTimes, 'relative', { startedAt: 1000, lastAt: 0, lastStep: 0 })))
      .toEqual([5, 10, 30]);
  });
});

describe('stepRangeForX', () => {
  it('maps an x range to the steps it covers, widened by one entry on each side', () => {
    const s = { step: new Float64Array([10, 20, 30, 40, 50]), x: new Float64Array([1, 2, 3, 4, 5]) };
    expect(stepRangeForX([s], 2.5, 3.5)).toEqual([20, 40]);
    expect(stepRangeForX([s], 10, 11)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes and hours', () => {
    expect(formatDuration(4.25)).toBe('4.3s');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(7440)).toBe('2h 04m');
  });
});

describe('relative time', () => {
  it('counts from the first measured time when the points precede the recorded start', () => {
    const s: RunSeries = { ...bucketed, bucketed: false, time: new Float64Array([500, 510]),
      step: new Float64Array([1, 2]) };
    expect(Array.from(xValues(s, 'relative', { startedAt: 1000, lastAt: 1000, lastStep: 2 }))).toEqual([0, 10]);
  });
});
