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

// The y range as it was computed by sorting every value (every value compared with the fence; the walk in from both ends must give the very same numbers)
function sortedReference(arrays: Float64Array[], log: boolean, ignoreOutliers: boolean): [number, number] | null {
  const all = arrays.flatMap((a) => [...a]).filter((v) => Number.isFinite(v) && (!log || v > 0)).sort((a, b) => a - b);
  if (all.length === 0) return null;
  const q = (p: number) => {
    const pos = (all.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return all[lo]! + (all[hi]! - all[lo]!) * (pos - lo);
  };
  const t = log ? Math.log10 : (v: number) => v;
  let lo = all[0]!;
  let hi = all[all.length - 1]!;
  if (ignoreOutliers) {
    const q0 = t(q(0.02));
    const q1 = t(q(0.98));
    const fence = (q1 - q0) * 3;
    const kept = all.filter((v) => t(v) >= q0 - fence && t(v) <= q1 + fence);
    lo = kept[0]!;
    hi = kept[kept.length - 1]!;
  }
  if (log) {
    if (lo === hi) return [lo / 2, hi * 2];
    const span = Math.log10(hi) - Math.log10(lo);
    return [lo / Math.pow(10, span * 0.05), hi * Math.pow(10, span * 0.05)];
  }
  if (lo === hi) return [lo - (lo === 0 ? 1 : Math.abs(lo) * 0.1), hi + (lo === 0 ? 1 : Math.abs(lo) * 0.1)];
  return [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05];
}

describe('yRange, walking in past the outliers', () => {
  it('gives exactly what sorting every value gave, on noisy runs with spikes, ties and non-finite values', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 60; trial++) {
      const runs = Array.from({ length: 1 + (trial % 7) }, () => new Float64Array(1 + Math.floor(random() * 400)).map(() => {
        const r = random();
        if (r < 0.01) return NaN;
        if (r < 0.015) return r < 0.0125 ? Infinity : -Infinity;
        if (r < 0.03) return 1e4 * random(); // spikes
        if (r < 0.1) return 0.5; // ties
        return trial % 3 === 0 ? Math.round(random() * 10) : Math.exp(-5 * random()) - (trial % 5 === 0 ? 0.3 : 0);
      }));
      for (const log of [false, true]) {
        for (const ignoreOutliers of [false, true]) {
          expect(yRange(runs, { log, ignoreOutliers })).toEqual(sortedReference(runs, log, ignoreOutliers));
        }
      }
    }
  });

  it('leaves the arrays it is given as they were', () => {
    const a = new Float64Array([5, 1, 4, 2, 3, NaN]);
    yRange([a], { ignoreOutliers: true, log: false });
    expect([...a]).toEqual([5, 1, 4, 2, 3, NaN]);
  });
});
