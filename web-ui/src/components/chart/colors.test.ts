import { describe, expect, it } from 'vitest';
import { RUN_DASHES, RUN_PALETTE, runColors, runStyles, withAlpha } from './colors';

/** The colour a run has on its own page. */
const runColor = (id: number) => runColors([id]).get(id);

/** sRGB hex to linear RGB. */
function linear(hex: string): number[] {
  return [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
}

// Machado, Oliveira and Fernandes (2009), severity 1.0
const DEFICIENCIES: Record<string, number[][]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

/** Euclidean distance in linear RGB of two colours as seen with a deficiency (0 = the same colour). */
function seenDistance(a: string, b: string, m: number[][]): number {
  const see = (hex: string) => m.map((row) => row.reduce((s, k, j) => s + k * linear(hex)[j]!, 0));
  const [x, y] = [see(a), see(b)];
  return Math.hypot(...x.map((v, i) => v - y[i]!));
}

describe('run colours', () => {
  it('gives a run the same colour from its id alone on its own page', () => {
    expect(runColor(42)).toBe(RUN_PALETTE[42 % RUN_PALETTE.length]);
    expect(runColor(42 + RUN_PALETTE.length)).toBe(runColor(42));
  });
  it('keeps each run its own colour where no other run on the page has it', () => {
    const colors = runColors([5, 6, 7]);
    for (const id of [5, 6, 7]) expect(colors.get(id)).toBe(runColor(id));
  });
  it('gives the runs of one page distinct colours when their ids share a slot, in any order', () => {
    const n = RUN_PALETTE.length;
    const ids = [3, 3 + n, 3 + 2 * n, 4];
    const colors = runColors(ids);
    expect(new Set(colors.values()).size).toBe(4);
    expect(colors.get(3)).toBe(runColor(3));
    expect(runColors([...ids].reverse())).toEqual(colors);
  });
  it('uses every colour before it repeats one', () => {
    const ids = Array.from({ length: RUN_PALETTE.length + 1 }, (_, i) => 100 * i);
    const colors = [...runColors(ids).values()];
    expect(new Set(colors.slice(0, RUN_PALETTE.length)).size).toBe(RUN_PALETTE.length);
  });
  it('draws the runs beyond the palette dashed, then dotted: no two runs of a page look the same up to 24', () => {
    const n = RUN_PALETTE.length;
    const ids = Array.from({ length: 4 * n }, (_, i) => 10 + 3 * i);
    const styles = runStyles([...ids].reverse());
    const looks = ids.map((id) => `${styles.get(id)!.color} ${styles.get(id)!.dash.join(',')}`);
    expect(new Set(looks).size).toBe(4 * n);
    // by id: the first six solid, the next six dashed, whatever their order in the URL
    expect(ids.slice(0, n).map((id) => styles.get(id)!.dash)).toEqual(Array(n).fill([]));
    expect(ids.slice(n, 2 * n).map((id) => styles.get(id)!.dash)).toEqual(Array(n).fill(RUN_DASHES[1]));
    expect(RUN_DASHES[1]!.length).toBeGreaterThan(0);
    expect(new Set(RUN_DASHES.map((d) => d.join(','))).size).toBe(RUN_DASHES.length);
    // the 25th run: pattern and colour both repeat
    expect(runStyles([...ids, 1000]).get(1000)!.dash).toEqual([]);
  });
  it('keeps the other runs\' colours when a run is removed, unless one had given its own colour up', () => {
    const n = RUN_PALETTE.length;
    const before = runStyles([1, 2, 3, 4, 1 + n]);
    const after = runStyles([1, 3, 4, 1 + n]);
    for (const id of [1, 3, 4]) expect(after.get(id)).toEqual(before.get(id));
    // 1 + n shares run 1's slot and took the next free one: with run 2 gone, that is run 2's
    expect(after.get(1 + n)!.color).toBe(before.get(2)!.color);
    // and with run 1 gone, its own
    expect(runStyles([2, 3, 4, 1 + n]).get(1 + n)!.color).toBe(before.get(1)!.color);
  });
  it('has colours that stay apart with each colour-vision deficiency', () => {
    for (const [name, m] of Object.entries(DEFICIENCIES)) {
      for (let i = 0; i < RUN_PALETTE.length; i++) {
        for (let j = i + 1; j < RUN_PALETTE.length; j++) {
          const d = seenDistance(RUN_PALETTE[i]!, RUN_PALETTE[j]!, m);
          expect(d, `${RUN_PALETTE[i]} vs ${RUN_PALETTE[j]} with ${name}`).toBeGreaterThan(0.1);
        }
      }
    }
  });
  it('has colours that stand out as lines on the light and the dark page', () => {
    // WCAG's contrast ratio against --bg of each theme (styles/app.css); Okabe-Ito's yellow is 1.3:1 on white
    const luminance = (hex: string) => {
      const [r, g, b] = linear(hex);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    for (const color of RUN_PALETTE) {
      for (const page of ['#ffffff', '#121417']) {
        expect(contrast(color, page), `${color} on ${page}`).toBeGreaterThan(2);
      }
    }
  });
  it('adds an alpha byte', () => {
    expect(withAlpha('#4477AA', 0.5)).toBe('#4477AA80');
    expect(withAlpha('#4477AA', 1)).toBe('#4477AAff');
  });
});
