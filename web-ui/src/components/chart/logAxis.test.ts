import { describe, expect, it } from 'vitest';
import { logLabelled, logSplits, logTickLabels } from './logAxis';
import { yRange } from './yRange';

/** The labels a log axis over [min, max] shows, `height` px tall, as MetricChart asks for them (30 px apart). */
function labels(min: number, max: number, height = 200, linearIncr = 0): string[] {
  const splits = logSplits(min, max, linearIncr);
  const pxPerDecade = height / (Math.log10(max) - Math.log10(min));
  return logTickLabels(logLabelled(splits, pxPerDecade, 30), splits).filter((l): l is string => l !== null);
}

describe('a log axis', () => {
  it('labels 1, 2 and 5 × 10^k of a padded loss range, never the range\'s own ends', () => {
    // a loss from 2.5 down to 0.025: yRange pads it by 5% of its decades, to 0.0199.. and 3.14..
    const [lo, hi] = yRange([Float64Array.of(2.5, 0.4, 0.025)], { ignoreOutliers: false, log: true })!;
    // 2.2 decades in 300 px: 41 px from 1 to 2
    expect(labels(lo, hi, 300)).toEqual(['0.02', '0.05', '0.1', '0.2', '0.5', '1', '2']);
    expect(labels(0.0237, 2.31, 300)).toEqual(['0.05', '0.1', '0.2', '0.5', '1', '2']);
    // in 160 px, 24 px from 1 to 2: the powers of ten alone (uPlot's own rule, the same 30 px)
    expect(labels(0.0237, 2.31, 160)).toEqual(['0.1', '1']);
  });

  it('has a minor tick at every m × 10^k between, unlabelled', () => {
    const splits = logSplits(0.0237, 0.31, 0);
    expect(splits).toEqual([0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.2, 0.3]);
    expect(logLabelled(splits, 200, 30)).toEqual([null, null, 0.05, null, null, null, null, 0.1, 0.2, null]);
  });

  it('labels only the powers of ten when a decade is short, every n-th one when even those crowd', () => {
    // 8 decades in 200 px: 25 px a decade, under the 30 px between labels: every second power
    expect(labels(1e-9, 0.1)).toEqual(['1e-8', '1e-6', '1e-4', '1e-2']);
    // 4 decades in 200 px: 50 px a decade, 15 px from 1 to 2: powers only
    expect(labels(1e-5, 0.1)).toEqual(['1e-5', '1e-4', '0.001', '0.01', '0.1'].map((l) => (l.includes('e') ? l
      : Number(l).toExponential())));
    expect(labels(0.001, 10)).toEqual(['0.001', '0.01', '0.1', '1', '10']);
  });

  it('writes one notation for the axis: plain figures, SI prefixes from 1 up, or exponents', () => {
    expect(labels(0.0011, 0.9, 400)).toEqual(['0.002', '0.005', '0.01', '0.02', '0.05', '0.1', '0.2', '0.5']);
    expect(labels(0.9, 3e6)).toEqual(['1', '10', '100', '1k', '10k', '100k', '1M']);
    expect(labels(2e-7, 3e-6, 300)).toEqual(['2e-7', '5e-7', '1e-6', '2e-6']);
  });

  it('falls back to linear ticks when the range holds fewer than two of 1, 2, 5 × 10^k', () => {
    // an accuracy between 0.91 and 0.97 on a log axis: uPlot's linear increment for the range, 0.01
    expect(logSplits(0.905, 0.975, 0.01)).toEqual([0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97]);
    expect(labels(0.905, 0.975, 200, 0.01)).toEqual(['0.91', '0.92', '0.93', '0.94', '0.95', '0.96', '0.97']);
    expect(labels(0.15, 0.45, 200, 0.05)).toEqual(['0.15', '0.20', '0.25', '0.30', '0.35', '0.40', '0.45']);
  });

  it('gives a split without a label no text (uPlot would draw "null")', () => {
    expect(logTickLabels([null, 0.05, null, 0.1], [0.04, 0.05, 0.06, 0.1])).toEqual([null, '0.05', null, '0.1']);
  });
});
