import { describe, expect, it } from 'vitest';
import { axisTickLabels } from './axisTicks';

describe('axisTickLabels', () => {
  it('writes a range crossing 0.001 in one notation, with the decimals its step needs', () => {
    expect(axisTickLabels([0.00095, 0.001, 0.00105, 0.0011])).toEqual(['0.00095', '0.00100', '0.00105', '0.00110']);
  });
  it('uses exponents for every tick of a range of tiny or huge values', () => {
    expect(axisTickLabels([0.0002, 0.0004, 0.0006])).toEqual(['2e-4', '4e-4', '6e-4']);
    expect(axisTickLabels([0.00025, 0.0005, 0.00075])).toEqual(['2.5e-4', '5.0e-4', '7.5e-4']);
    expect(axisTickLabels([0, 5e5, 1e6, 1.5e6])).toEqual(['0', '5.0e+5', '1.0e+6', '1.5e+6']);
  });
  it('keeps whole ticks whole and the same decimals on every tick', () => {
    expect(axisTickLabels([0, 200, 400])).toEqual(['0', '200', '400']);
    expect(axisTickLabels([0.5, 1, 1.5, 2])).toEqual(['0.5', '1.0', '1.5', '2.0']);
    expect(axisTickLabels([-0.2, 0, 0.2])).toEqual(['-0.2', '0', '0.2']);
  });
  it('tells close ticks apart', () => {
    expect(axisTickLabels([1.0001, 1.0002, 1.0003])).toEqual(['1.0001', '1.0002', '1.0003']);
  });
  it('writes a log axis\' ticks as short exponents', () => {
    expect(axisTickLabels([0.0001, 0.001, 0.01, 0.1, 1], true)).toEqual(['1e-4', '1e-3', '1e-2', '1e-1', '1e+0']);
    expect(axisTickLabels([0.0025, 0.025, 2.5], true)).toEqual(['2.5e-3', '2.5e-2', '2.5e+0']);
  });
});
