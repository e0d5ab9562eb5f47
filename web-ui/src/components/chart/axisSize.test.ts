import { describe, expect, it } from 'vitest';
import { AXIS_PADDING, MIN_AXIS_SIZE, yAxisSize } from './axisSize';
import { formatValue } from './formatValue';

// 7 px a character, about what 12px system-ui measures for digits
const measure = (s: string) => s.length * 7;
const room = AXIS_PADDING.tick + AXIS_PADDING.gap + AXIS_PADDING.slack;

describe('yAxisSize', () => {
  it('makes room for the widest tick label of a small-valued metric such as lr', () => {
    const labels = [0.0001, 0.0002, 0.0003].map(formatValue);
    expect(labels).toEqual(['1.000e-4', '2.000e-4', '3.000e-4']);
    expect(yAxisSize(labels, measure)).toBe(8 * 7 + room);
    // the old fixed 64 px held only 6 such characters after the ticks and gap
    expect(yAxisSize(labels, measure)).toBeGreaterThan(64);
  });

  it('grows with negative and large labels and keeps a minimum for short ones', () => {
    expect(yAxisSize([formatValue(-1234567)], measure)).toBe(Math.ceil('-1.235e+6'.length * 7 + room));
    expect(yAxisSize(['0', '0.5', '1'], measure)).toBe(MIN_AXIS_SIZE);
    expect(yAxisSize(null, measure)).toBe(MIN_AXIS_SIZE);
  });
});
