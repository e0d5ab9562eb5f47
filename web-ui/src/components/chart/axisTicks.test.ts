import { describe, expect, it } from 'vitest';
import { axisTickLabels } from './axisTicks';

describe('axisTickLabels', () => {
  it('writes a range crossing 0.001 in one notation, with the decimals its step needs', () => {
    expect(axisTickLabels([0.00095, 0.001, 0.00105, 0.0011])).toEqual(['0.00095', '0.00100', '0.00105', '0.00110']);
    expect(axisTickLabels([0.0009, 0.00095, 0.001])).toEqual(['0.00090', '0.00095', '0.00100']);
  });
  it('uses exponents for every tick of a range of tiny values', () => {
    expect(axisTickLabels([0.0002, 0.0004, 0.0006])).toEqual(['2e-4', '4e-4', '6e-4']);
    expect(axisTickLabels([0.00025, 0.0005, 0.00075])).toEqual(['2.5e-4', '5.0e-4', '7.5e-4']);
    expect(axisTickLabels([1e-6, 1.5e-6, 2e-6])).toEqual(['1.0e-6', '1.5e-6', '2.0e-6']);
    expect(axisTickLabels([0, 2e-6, 4e-6, 6e-6])).toEqual(['0', '2e-6', '4e-6', '6e-6']);
    expect(axisTickLabels([5e-7, 1e-6, 1.5e-6])).toEqual(['5.0e-7', '1.0e-6', '1.5e-6']);
  });
  it('writes large values with one SI prefix for the whole axis, the largest tick\'s', () => {
    expect(axisTickLabels([50000, 100000, 150000])).toEqual(['50k', '100k', '150k']);
    expect(axisTickLabels([100000, 100500, 101000])).toEqual(['100.0k', '100.5k', '101.0k']);
    expect(axisTickLabels([0, 5e5, 1e6, 1.5e6])).toEqual(['0', '0.5M', '1.0M', '1.5M']);
    expect(axisTickLabels([2e9, 4e9])).toEqual(['2G', '4G']);
    expect(axisTickLabels([0, 1e15, 2e15])).toEqual(['0', '1e+15', '2e+15']);
    // up to 4 digits plain figures are as short as a prefix
    expect(axisTickLabels([1000, 1500, 2000])).toEqual(['1000', '1500', '2000']);
  });
  it('keeps whole ticks whole and the same decimals on every tick', () => {
    expect(axisTickLabels([0, 200, 400])).toEqual(['0', '200', '400']);
    expect(axisTickLabels([0.5, 1, 1.5, 2])).toEqual(['0.5', '1.0', '1.5', '2.0']);
    expect(axisTickLabels([0.1 + 0.2, 0.4, 0.5])).toEqual(['0.3', '0.4', '0.5']);
  });
  it('writes negative ticks in the notation of the largest magnitude, and 0 as 0', () => {
    expect(axisTickLabels([-0.2, 0, 0.2])).toEqual(['-0.2', '0', '0.2']);
    expect(axisTickLabels([-2e-4, -1e-4, 0, 1e-4])).toEqual(['-2e-4', '-1e-4', '0', '1e-4']);
    expect(axisTickLabels([-20000, -10000, 0, 10000])).toEqual(['-20k', '-10k', '0', '10k']);
    expect(axisTickLabels([-0.0015, -0.001, -0.0005])).toEqual(['-0.0015', '-0.0010', '-0.0005']);
    expect(axisTickLabels([0])).toEqual(['0']);
  });
  it('tells close ticks apart', () => {
    expect(axisTickLabels([1.0001, 1.0002, 1.0003])).toEqual(['1.0001', '1.0002', '1.0003']);
  });
  it('gives every axis uPlot could make one notation and distinct labels that read back as the ticks', () => {
    for (let decade = -9; decade <= 14; decade++) {
      for (const m of [1, 2, 2.5, 5]) {
        const incr = m * 10 ** decade;
        for (const start of [-3, 0, 1, 7, 19, 399]) {
          const splits = [0, 1, 2, 3, 4].map((k) => Number(((start + k) * incr).toPrecision(12)));
          const labels = axisTickLabels(splits);
          const kinds = new Set(labels.filter((l) => l !== '0').map(notation));
          expect(kinds.size, `${labels}`).toBe(1);
          expect(new Set(labels).size, `${labels}`).toBe(labels.length);
          labels.forEach((l, i) => expect(Math.abs(read(l) - splits[i]!), `${labels}`).toBeLessThanOrEqual(incr * 1e-6));
        }
      }
    }
  });
});

/** 'e' (exponent), an SI prefix letter, or '' (fixed-point), with the count of decimals. */
function notation(label: string): string {
  const kind = label.includes('e') ? 'e' : /[kMGT]$/.test(label) ? label.slice(-1) : '';
  const mantissa = label.split('e')[0]!.replace(/[kMGT]$/, '');
  return `${kind}${mantissa.split('.')[1]?.length ?? 0}`;
}

function read(label: string): number {
  const si = 'kMGT'.indexOf(label.slice(-1));
  return si >= 0 ? Number(label.slice(0, -1)) * 1000 ** (si + 1) : Number(label);
}
