import { describe, expect, it } from 'vitest';
import { RUN_PALETTE, runColor, withAlpha } from './colors';

describe('runColor', () => {
  it('depends on the run id alone, so a run keeps its colour on every page', () => {
    expect(runColor(42)).toBe(runColor(42));
    expect(runColor(42)).toBe(RUN_PALETTE[42 % RUN_PALETTE.length]);
  });
  it('gives consecutive runs different colours', () => {
    for (let id = 1; id < 40; id++) expect(runColor(id)).not.toBe(runColor(id + 1));
  });
  it('has no duplicate colours', () => {
    expect(new Set(RUN_PALETTE).size).toBe(RUN_PALETTE.length);
  });
  it('adds an alpha byte', () => {
    expect(withAlpha('#4477AA', 0.5)).toBe('#4477AA80');
    expect(withAlpha('#4477AA', 1)).toBe('#4477AAff');
  });
});
