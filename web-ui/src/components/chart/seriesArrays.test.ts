import { describe, expect, it } from 'vitest';
import { indexAtOrBefore, nearestIndex, seriesToArrays } from './seriesArrays';

describe('seriesToArrays', () => {
  it('takes each bucket at its last step with its min, max and last, NaN and infinities decoded', () => {
    const s = seriesToArrays({
      runId: 7, key: 'loss', count: 40,
      buckets: [
        { stepStart: 0, stepEnd: 15, count: 16, nanCount: 0, min: 0.5, max: 2.5, last: 0.75 },
        { stepStart: 16, stepEnd: 31, count: 16, nanCount: 16, min: 'NaN', max: 'NaN', last: 'NaN' },
        { stepStart: 32, stepEnd: 39, count: 8, nanCount: 1, min: '-Infinity', max: 'Infinity', last: 3 },
      ],
    });
    expect(s.bucketed).toBe(true);
    expect(s.runId).toBe(7);
    expect(s.count).toBe(40);
    expect(Array.from(s.step)).toEqual([15, 31, 39]);
    expect(Array.from(s.min)).toEqual([0.5, NaN, -Infinity]);
    expect(Array.from(s.max)).toEqual([2.5, NaN, Infinity]);
    expect(Array.from(s.last)).toEqual([0.75, NaN, 3]);
    expect(s.time).toBeNull();
  });

  it('reads the columns format into the same arrays as the objects', () => {
    const objects = seriesToArrays({
      runId: 7, key: 'loss', count: 40,
      buckets: [
        { stepStart: 0, stepEnd: 15, count: 16, nanCount: 0, min: 0.5, max: 2.5, last: 0.75 },
        { stepStart: 16, stepEnd: 31, count: 16, nanCount: 16, min: 'NaN', max: 'NaN', last: 'NaN' },
        { stepStart: 32, stepEnd: 39, count: 8, nanCount: 1, min: '-Infinity', max: 'Infinity', last: 3 },
      ],
    });
    const columns = seriesToArrays({
      runId: 7, key: 'loss', count: 40,
      bucketColumns: { stepStart: [0, 16, 32], stepEnd: [15, 31, 39], count: [16, 16, 8], nanCount: [0, 16, 1],
        min: [0.5, 'NaN', '-Infinity'], max: [2.5, 'NaN', 'Infinity'], last: [0.75, 'NaN', 3] },
    });
    expect(columns).toEqual(objects);
    expect(Array.from(columns.step)).toEqual([15, 31, 39]);
    expect(Array.from(columns.max)).toEqual([2.5, NaN, Infinity]);
    expect(columns.bucketed).toBe(true);
  });

  it('reads format=chart columns: stepEnd, min, max and last only', () => {
    const s = seriesToArrays({
      runId: 3, key: 'loss', count: 40,
      bucketColumns: { stepEnd: [15, 31, 39], min: [0.5, 'NaN', '-Infinity'], max: [2.5, 'NaN', 'Infinity'],
        last: [0.75, 'NaN', 3.4028235e38] },
    });
    expect(s.bucketed).toBe(true);
    expect(Array.from(s.step)).toEqual([15, 31, 39]);
    expect(Array.from(s.min)).toEqual([0.5, NaN, -Infinity]);
    expect(Array.from(s.last)).toEqual([0.75, NaN, 3.4028235e38]);
    expect(s.time).toBeNull();
  });

  it('reads point columns with their wall times (microseconds) in seconds', () => {
    const s = seriesToArrays({
      runId: 1, key: 'acc', count: 2,
      bucketColumns: { stepStart: [1], stepEnd: [2], count: [2], nanCount: [0], min: [0.1], max: [0.2], last: [0.2] },
      pointColumns: { step: [1, 2], value: [0.1, 'NaN'], timeMicros: [1767268800000000, 1767268801500001] },
    });
    expect(s.bucketed).toBe(false);
    expect(Array.from(s.step)).toEqual([1, 2]);
    expect(Array.from(s.last)).toEqual([0.1, NaN]);
    expect(Array.from(s.time!)).toEqual([1767268800, 1767268801.500001]);
  });

  it('uses the points when the API sent them, with their wall times in seconds', () => {
    const s = seriesToArrays({
      runId: 1, key: 'acc', count: 2,
      buckets: [{ stepStart: 1, stepEnd: 2, count: 2, nanCount: 0, min: 0.1, max: 0.2, last: 0.2 }],
      points: [
        { step: 1, value: 0.1, time: '2026-01-01T12:00:00Z' },
        { step: 2, value: 'NaN', time: '2026-01-01T12:00:01.500Z' },
      ],
    });
    expect(s.bucketed).toBe(false);
    expect(Array.from(s.step)).toEqual([1, 2]);
    expect(Array.from(s.last)).toEqual([0.1, NaN]);
    expect(Array.from(s.min)).toEqual([0.1, NaN]);
    expect(Array.from(s.time!)).toEqual([1767268800, 1767268801.5]);
  });
});

describe('searching x', () => {
  const xs = new Float64Array([10, 20, 30, 40]);
  it('finds the entry at or before x', () => {
    expect(indexAtOrBefore(xs, 5)).toBe(-1);
    expect(indexAtOrBefore(xs, 10)).toBe(0);
    expect(indexAtOrBefore(xs, 29.9)).toBe(1);
    expect(indexAtOrBefore(xs, 99)).toBe(3);
  });
  it('finds the nearest entry', () => {
    expect(nearestIndex(xs, 0)).toBe(0);
    expect(nearestIndex(xs, 24)).toBe(1);
    expect(nearestIndex(xs, 26)).toBe(2);
    expect(nearestIndex(xs, 1000)).toBe(3);
    expect(nearestIndex(new Float64Array(0), 1)).toBe(-1);
  });
});

describe('bucketsFor', () => {
  it('asks one bucket per pixel for a few runs, fewer per run for many', async () => {
    const { bucketsFor } = await import('./buckets');
    expect(bucketsFor(600, 1)).toBe(600);
    expect(bucketsFor(600, 10)).toBe(600);
    expect(bucketsFor(600, 20)).toBe(300);
    expect(bucketsFor(1200, 20)).toBe(600);
    expect(bucketsFor(600, 100)).toBe(160);
    expect(bucketsFor(50, 1)).toBe(100);
  });
});
