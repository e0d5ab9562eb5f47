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
});
