import { describe, expect, it } from 'vitest';
import { markerPath, RUN_DASHES, RUN_MARKERS, RUN_PALETTES, runColors, runStyles, withAlpha } from './colors';

/** The palette of the default (light) theme; the tests of runStyles' choices hold slot for slot in both. */
const RUN_PALETTE = RUN_PALETTES.light;

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

/** WCAG's relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = linear(hex);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** A small seeded generator, so that a failure repeats. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** length distinct ids in 1..max (all of them when length > max), in a random order. */
function randomList(random: () => number, length: number, max: number): number[] {
  const ids = Array.from({ length: max }, (_, i) => i + 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, length);
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
  it('gives the runs of one page distinct colours when their ids share a slot, the first in the list its own', () => {
    const n = RUN_PALETTE.length;
    const ids = [3 + 2 * n, 3, 3 + n, 4];
    const colors = runColors(ids);
    expect(new Set(colors.values()).size).toBe(4);
    expect(colors.get(3 + 2 * n)).toBe(runColor(3));
    expect(colors.get(4)).not.toBe(runColor(4)); // 3 took the slot after its own, 4's
    // the same list (the same URL) gives the same colours
    expect(runColors([...ids])).toEqual(colors);
  });
  it('uses every colour before it repeats one', () => {
    const ids = Array.from({ length: RUN_PALETTE.length + 1 }, (_, i) => 100 * i);
    const colors = [...runColors(ids).values()];
    expect(new Set(colors.slice(0, RUN_PALETTE.length)).size).toBe(RUN_PALETTE.length);
  });
  it('draws the runs beyond the palette dashed, then dotted: no two runs of a page look the same up to 24', () => {
    const n = RUN_PALETTE.length;
    const ids = Array.from({ length: 4 * n }, (_, i) => 10 + 3 * i).reverse();
    const styles = runStyles(ids);
    const looks = ids.map((id) => `${styles.get(id)!.color} ${styles.get(id)!.dash.join(',')}`);
    expect(new Set(looks).size).toBe(4 * n);
    // in the list's order, whatever the ids: the first six solid, the next six dashed, then dotted, then dash-dotted
    for (let round = 0; round < 4; round++) {
      expect(ids.slice(round * n, (round + 1) * n).map((id) => styles.get(id)!.dash))
        .toEqual(Array(n).fill(RUN_DASHES[round]));
    }
    expect(RUN_DASHES[1]!.length).toBeGreaterThan(0);
    expect(new Set(RUN_DASHES.map((d) => d.join(','))).size).toBe(RUN_DASHES.length);
    // the 25th run: pattern and colour both repeat
    expect(runStyles([...ids, 1000]).get(1000)!.dash).toEqual([]);
  });
  it('gives each round its own marker, as its own dash: no two runs of a scatter look the same up to 24', () => {
    const n = RUN_PALETTE.length;
    const ids = Array.from({ length: 4 * n }, (_, i) => 10 + 3 * i).reverse();
    const styles = runStyles(ids);
    const points = ids.map((id) => `${styles.get(id)!.color} ${styles.get(id)!.marker}`);
    expect(new Set(points).size).toBe(4 * n);
    expect(RUN_MARKERS).toEqual(['circle', 'square', 'triangle', 'diamond']);
    expect(RUN_MARKERS.length).toBe(RUN_DASHES.length);
    for (let round = 0; round < 4; round++) {
      for (const id of ids.slice(round * n, (round + 1) * n)) {
        expect(styles.get(id)!.marker, `run ${id}`).toBe(RUN_MARKERS[round]);
        expect(styles.get(id)!.dash, `run ${id}`).toEqual(RUN_DASHES[round]);
      }
    }
    // the 25th run: a circle again
    expect(runStyles([...ids, 1000]).get(1000)!.marker).toBe('circle');
  });
  it('draws every marker centred and of about one area', () => {
    for (const marker of RUN_MARKERS) {
      const d = markerPath(marker, 100, 50, 5);
      expect(d, marker).toMatch(/^M.*Z$/);
      if (marker === 'circle') {
        expect(d).toBe('M95 50a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z');
        continue;
      }
      const pts = [...d.matchAll(/[MLHV][^MLHVZ]*/g)].reduce<number[][]>((acc, m) => {
        const v = m[0].slice(1).trim().split(/\s+/).map(Number);
        const last = acc[acc.length - 1] ?? [0, 0];
        if (m[0][0] === 'H') acc.push([v[0]!, last[1]!]);
        else if (m[0][0] === 'V') acc.push([last[0]!, v[0]!]);
        else acc.push([v[0]!, v[1]!]);
        return acc;
      }, []);
      // the shoelace area, and the centroid of the vertices
      const area = Math.abs(pts.reduce((a, p, i) => {
        const q = pts[(i + 1) % pts.length]!;
        return a + p[0]! * q[1]! - q[0]! * p[1]!;
      }, 0)) / 2;
      expect(area / (Math.PI * 25), marker).toBeCloseTo(1, 1);
      expect(pts.reduce((a, p) => a + p[0]!, 0) / pts.length, marker).toBeCloseTo(100, 1);
      expect(pts.reduce((a, p) => a + p[1]!, 0) / pts.length, marker).toBeCloseTo(50, 1);
    }
    expect(new Set(RUN_MARKERS.map((m) => markerPath(m, 0, 0, 5))).size).toBe(RUN_MARKERS.length);
  });
  it('changes no shown run\'s style when a run is added, whatever its id', () => {
    // the lead's case: run 7 (slot 1) shown with run 3; adding run 1, of the same slot and a smaller id
    const before = runStyles([7, 3]);
    const after = runStyles([7, 3, 1]);
    expect(after.get(7)).toEqual(before.get(7));
    expect(after.get(3)).toEqual(before.get(3));
    expect(after.get(7)!.color).toBe(runColor(7));
    expect(after.get(1)!.color).not.toBe(runColor(1));
    // and for every list of up to 30 runs among ids 1..40, adding any other run
    const random = mulberry32(12);
    for (let trial = 0; trial < 500; trial++) {
      const list = randomList(random, 1 + Math.floor(random() * 30), 40);
      const shown = runStyles(list);
      const added = 1 + Math.floor(random() * 40);
      const more = runStyles([...list, added]);
      for (const id of list) expect(more.get(id), `${list} + ${added}: run ${id}`).toEqual(shown.get(id));
    }
  });
  it('keeps the other runs\' styles when a run is removed, but for those that had been bumped', () => {
    const n = RUN_PALETTE.length;
    const before = runStyles([1, 2, 3, 4, 1 + n]);
    const after = runStyles([1, 3, 4, 1 + n]);
    for (const id of [1, 3, 4]) expect(after.get(id)).toEqual(before.get(id));
    // 1 + n shares run 1's slot and took the next free one: with run 2 gone, that is run 2's
    expect(after.get(1 + n)!.color).toBe(before.get(2)!.color);
    // and with run 1 gone, its own
    expect(runStyles([2, 3, 4, 1 + n]).get(1 + n)!.color).toBe(before.get(1)!.color);
    // for any list of up to 24 (beyond, the patterns repeat and solid no longer means the first round): every run that
    // had its own colour, solid, keeps it; a run before the removed one keeps its style
    const random = mulberry32(34);
    for (let trial = 0; trial < 500; trial++) {
      const list = randomList(random, 2 + Math.floor(random() * 23), 40);
      const shown = runStyles(list);
      const at = Math.floor(random() * list.length);
      const fewer = runStyles(list.filter((_, i) => i !== at));
      list.forEach((id, i) => {
        const own = shown.get(id)!.color === runColor(id) && shown.get(id)!.dash.length === 0;
        if (i < at || (i > at && own)) expect(fewer.get(id), `${list} - ${list[at]}: run ${id}`).toEqual(shown.get(id));
      });
    }
  });
  it('has colours that stay apart with each colour-vision deficiency, on both themes', () => {
    for (const [scheme, palette] of Object.entries(RUN_PALETTES)) {
      for (const [name, m] of Object.entries(DEFICIENCIES)) {
        for (let i = 0; i < palette.length; i++) {
          for (let j = i + 1; j < palette.length; j++) {
            const d = seenDistance(palette[i]!, palette[j]!, m);
            expect(d, `${palette[i]} vs ${palette[j]} with ${name} (${scheme})`).toBeGreaterThan(0.1);
          }
        }
      }
    }
  });
  it('gives a run the same slot on both themes, the light theme\'s colours darker variants of the dark\'s', () => {
    const ids = [3, 9, 4, 17, 30, 2, 8, 1];
    const light = runStyles(ids, 'light');
    const dark = runStyles(ids, 'dark');
    for (const id of ids) {
      expect(RUN_PALETTES.light.indexOf(light.get(id)!.color), `run ${id}`)
        .toBe(RUN_PALETTES.dark.indexOf(dark.get(id)!.color));
      expect(light.get(id)!.dash).toEqual(dark.get(id)!.dash);
    }
    expect(runStyles(ids)).toEqual(light);
    RUN_PALETTES.light.forEach((c, i) => expect(luminance(c), c).toBeLessThanOrEqual(luminance(RUN_PALETTES.dark[i]!)));
  });
  it('meets WCAG 1.4.11 (3:1 for graphics) with every colour on both themes\' page and surface backgrounds', () => {
    const ratios = (palette: readonly string[], page: string) =>
      Object.fromEntries(palette.map((c) => [c, +contrast(c, page).toFixed(2)]));
    // --bg and --bg-2 of each theme (styles/app.css)
    const pages = { light: ['#ffffff', '#f4f5f7'], dark: ['#121417', '#1b1f24'] } as const;
    for (const scheme of ['light', 'dark'] as const) {
      for (const page of pages[scheme]) {
        for (const [c, r] of Object.entries(ratios(RUN_PALETTES[scheme], page))) {
          expect(r, `${c} on ${page} (${scheme})`).toBeGreaterThanOrEqual(3);
        }
      }
    }
    // the lowest: on the dark theme the blue, 3.56:1 on --bg and 3.19:1 on --bg-2; on the light one the orange, 3.32:1
    // on --bg and 3.05:1 on --bg-2 (Okabe-Ito's #E69F00 and #56B4E9 had 2.25:1 and 2.31:1 on white, #CC79A7 2.81:1
    // on --bg-2)
    expect(ratios(RUN_PALETTES.dark, '#121417')['#0072B2']).toBe(3.56);
    expect(ratios(RUN_PALETTES.dark, '#1b1f24')['#0072B2']).toBe(3.19);
    expect(Math.min(...Object.values(ratios(RUN_PALETTES.light, '#ffffff')))).toBe(3.32);
    expect(Math.min(...Object.values(ratios(RUN_PALETTES.light, '#f4f5f7')))).toBe(3.05);
    expect(ratios(['#E69F00', '#56B4E9'], '#ffffff')).toEqual({ '#E69F00': 2.25, '#56B4E9': 2.31 });
    // the dark theme keeps Okabe-Ito's colours as they are
    expect(RUN_PALETTES.dark).toEqual(['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7']);
  });
  it('adds an alpha byte', () => {
    expect(withAlpha('#4477AA', 0.5)).toBe('#4477AA80');
    expect(withAlpha('#4477AA', 1)).toBe('#4477AAff');
  });
});
