import { describe, expect, it } from 'vitest';
import { formatValue } from './formatValue';

describe('formatValue', () => {
  it('keeps the zeros of whole numbers and drops those of fractions', () => {
    expect([10000, 15000, 100, 2, 1.5, 0.25].map(formatValue)).toEqual(['10000', '15000', '100', '2', '1.5', '0.25']);
  });
  it('writes exponents for the very small and the very large, and names the non-finite', () => {
    expect(formatValue(0.0001234)).toBe('1.234e-4');
    expect(formatValue(2_500_000)).toBe('2.500e+6');
    expect([NaN, Infinity, -Infinity].map(formatValue)).toEqual(['NaN', '∞', '-∞']);
  });
});
