import { describe, expect, it } from 'vitest';
import { yRange } from './yRange';

describe('yRange', () => {
  const calm = new Float64Array(100).map((_, i) => 1 + i / 100); // 1.00 .. 1.99
  const spiky = new Float64Array([...calm, 1000]);

  it('covers every finite value with 5% headroom', () => {
    const [lo, hi] = yRange([spiky, new Float64Array([NaN, -Infinity])], { ignoreOutliers: false, log: false })!;
    expect(lo).toBeCloseTo(1 - 0.05 * 999, 9);
    expect(hi).toBeCloseTo(1000 + 0.05 * 999, 9);
  });

  it('ignores a spike when asked: the range stays near the calm values', () => {
    const [lo, hi] = yRange([spiky], { ignoreOutliers: true, log: false })!;
    expect(lo).toBeGreaterThan(0.9);
    expect(hi).toBeLessThan(2.1);
  });

  it('keeps only positive values on a log axis, with multiplicative headroom', () => {
    const [lo, hi] = yRange([new Float64Array([-1, 0, 0.01, 100])], { ignoreOutliers: false, log: true })!;
    expect(lo).toBeCloseTo(0.01 / Math.pow(10, 0.2), 12);
    expect(hi).toBeCloseTo(100 * Math.pow(10, 0.2), 9);
  });

  it('gives a flat series a range around its value, and no range without finite values', () => {
    expect(yRange([new Float64Array([2, 2])], { ignoreOutliers: false, log: false })).toEqual([1.8, 2.2]);
    expect(yRange([new Float64Array([NaN])], { ignoreOutliers: true, log: false })).toBeNull();
  });

  it('keeps a loss curve whole, its high start included, while ignoring outliers', () => {
    // 1000 steps of a loss falling from 2.3 towards 0.1, as a training run's does
    const loss = new Float64Array(1000).map((_, i) => 0.1 + 2.2 * Math.exp(-i / 20));
    const [lo, hi] = yRange([loss], { ignoreOutliers: true, log: false })!;
    const span = 2.3 - loss[999]!;
    expect(hi).toBeCloseTo(2.3 + 0.05 * span, 9);
    expect(lo).toBeCloseTo(loss[999]! - 0.05 * span, 9);
  });

  it('leaves out one run\'s spike among a hundred calm runs, so the others are not flattened', () => {
    const runs = Array.from({ length: 100 }, (_, r) => new Float64Array(50).map((_, i) => 1 + r / 100 + i / 1000));
    runs[37]![20] = 500;
    const [lo, hi] = yRange(runs, { ignoreOutliers: true, log: false })!;
    expect(lo).toBeGreaterThan(0.9);
    expect(hi).toBeLessThan(2.2);
    expect(hi).toBeGreaterThan(2.03); // the calm runs' highest value, 1.99 + 0.049, is in view
    // and on a log axis a spike decades away is left out the same way
    const [, logHi] = yRange(runs, { ignoreOutliers: true, log: true })!;
    expect(logHi).toBeLessThan(2.2);
  });
});
