import { describe, expect, it } from 'vitest';
import { debiasedEma } from './ema';

describe('debiasedEma', () => {
  it('matches TensorBoard: the first value is kept, later ones are debiased averages', () => {
    const out = debiasedEma(new Float64Array([1, 2, 3]), 0.6);
    // acc1 = 0.4, /(1-0.6) = 1; acc2 = 0.24 + 0.8 = 1.04, /(1-0.36) = 1.625; acc3 = 0.624 + 1.2 = 1.824, /0.784
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.625, 12);
    expect(out[2]).toBeCloseTo(1.824 / 0.784, 12);
  });

  it('keeps a constant series constant', () => {
    const out = debiasedEma(new Float64Array([5, 5, 5, 5]), 0.9);
    for (const v of out) expect(v).toBeCloseTo(5, 12);
  });

  it('passes NaN and infinities through without poisoning the average', () => {
    const out = debiasedEma(new Float64Array([1, NaN, Infinity, 1]), 0.5);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(Infinity);
    expect(out[3]).toBeCloseTo(1, 12);
  });

  it('returns the input itself for weight 0', () => {
    const v = new Float64Array([3, 1, 2]);
    expect(debiasedEma(v, 0)).toBe(v);
  });
});
