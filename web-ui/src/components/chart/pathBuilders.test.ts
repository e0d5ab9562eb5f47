import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import uPlot from 'uplot';
import { mergedLine } from './linePaths';
import { bandPath, linePath, pixelMaps, type LayerGeometry, type LayerRun } from './runLayer';

// Path2D that records what is drawn (node has no canvas)
class RecordingPath {
  ops: string[] = [];
  moveTo(x: number, y: number) { this.ops.push(`M${x},${y}`); }
  lineTo(x: number, y: number) {
    // as a canvas: a non-finite point is ignored, and a lineTo on an empty path starts it
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.ops.push(`${this.ops.length === 0 ? 'M' : 'L'}${x},${y}`);
  }
  closePath() { this.ops.push('Z'); }
  rect(x: number, y: number, w: number, h: number) { this.ops.push(`R${x},${y},${w},${h}`); }
}
const saved = (globalThis as { Path2D?: unknown }).Path2D;
beforeAll(() => { (globalThis as { Path2D?: unknown }).Path2D = RecordingPath; });
afterAll(() => { (globalThis as { Path2D?: unknown }).Path2D = saved; });

type Scale = { key: string; ori: 0 | 1; dir: 1; distr: 1 | 3; min: number; max: number; _min: number; _max: number };
function scale(key: string, ori: 0 | 1, min: number, max: number, log = false): Scale {
  return { key, ori, dir: 1, distr: log ? 3 : 1, min, max, _min: log ? Math.log10(min) : min, _max: log ? Math.log10(max) : max };
}
// uPlot 1.6.32's own getHPos / getVPos (valToPct of a linear or log scale), which u.valToPos(v, key, true) uses
// (initValToPct: on a log scale a value <= 0 is clamped to a tenth of the scale's minimum)
const pct = (v: number, s: Scale) => ((s.distr === 3 ? Math.log10(v > 0 ? v : s.min / 10) : v) - s._min) / (s._max - s._min);
const posH = (v: number, s: Scale, dim: number, off: number) => off + dim * pct(v, s);
const posV = (v: number, s: Scale, dim: number, off: number) => off + dim * (1 - pct(v, s));

/** Just enough of a uPlot instance (mode 2) for the path builders, uPlot's linear() among them. */
function fakePlot(data: Float64Array[][], y: Scale) {
  const bbox = { left: 97, top: 13, width: 1131, height: 451 };
  const scales = { x: scale('x', 0, 100, 9_000), y };
  const series = data.map(() => ({ facets: [{ scale: 'x' }, { scale: 'y' }], pxRound: Math.round, spanGaps: false,
    gaps: (_u: unknown, _i: number, _a: number, _b: number, g: unknown) => g, fill: null }));
  return { mode: 2, data, _data: data, series, scales, bbox, bands: [], valToPosH: posH, valToPosV: posV,
    posToVal: (pos: number) => scales.x.min + ((pos - bbox.left) / bbox.width) * (scales.x.max - scales.x.min),
    valToPos: (v: number, key: 'x' | 'y', _can: boolean) => (key === 'x' ? posH(v, scales.x, bbox.width, bbox.left)
      : posV(v, scales.y, bbox.height, bbox.top)) } as unknown as uPlot;
}

function noisyRun(n: number, seed: number) {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = new Float64Array(n).map((_, i) => 50 + i * (9_100 / n));
  const last = new Float64Array(n).map((_, i) => 0.2 + 2 * Math.exp(-i / 80) + random() * 0.1);
  const lo = last.map((v) => v - random() * 0.2);
  const hi = last.map((v) => v + random() * 0.2);
  for (const i of [3, 4, 40, n - 2]) { lo[i] = NaN; hi[i] = NaN; last[i] = NaN; }
  last[17] = Infinity;
  last[18] = -Infinity;
  hi[25] = lo[25]!;
  return { x, last, lo, hi };
}

/** The layer's geometry for fakePlot's plot and scales. */
function geometryOf(u: uPlot): LayerGeometry {
  const { left, top, width, height } = u.bbox;
  const x = u.scales.x as unknown as Scale;
  const y = u.scales.y as unknown as Scale;
  return { canvasWidth: 1300, canvasHeight: 500, left, top, width, height, pxRatio: 1, xMin: x.min, xMax: x.max,
    yMin: y.min, yMax: y.max, logY: y.distr === 3 };
}

const yScales = (log: boolean) => (log ? scale('y', 1, 0.1, 3, true) : scale('y', 1, -0.5, 3));

describe('pixelMaps', () => {
  it('maps values to the pixels of uPlot\'s valToPos(v, key, true), on linear and log scales', () => {
    for (const log of [false, true]) {
      const u = fakePlot([], yScales(log));
      const { px, py } = pixelMaps(geometryOf(u));
      for (const v of [100, 101.5, 4_321.123, 9_000, 12_000, -7]) expect(px(v)).toBe(u.valToPos(v, 'x', true));
      for (const v of [0.1, 0.2345, 1, 2.9999, 3, 7, -0.25, 0]) expect(py(v)).toBe(u.valToPos(v, 'y', true));
    }
  });
});

describe('linePath', () => {
  it('draws what uPlot.paths.linear() draws, point for point, on linear and log scales', () => {
    for (const log of [false, true]) {
      for (const n of [1, 2, 600, 2_000]) {
        const r = noisyRun(n, n);
        // on a log scale linear() draws a non-finite value at the clamp (a tenth of the minimum); the chart's line
        // has always left it out, as on a linear scale
        if (log) r.last.forEach((v, i) => { if (!Number.isFinite(v)) r.last[i] = 0.5; });
        const u = fakePlot([[], [r.x, r.last]], yScales(log));
        const { px, py } = pixelMaps(geometryOf(u));
        const ours = linePath(px, py, r.x, r.last, 0, n - 1) as unknown as RecordingPath;
        const theirs = uPlot.paths.linear!()(u, 1, 0, n - 1)!.stroke as unknown as RecordingPath;
        expect(ours.ops.length).toBeGreaterThan(0);
        expect(ours.ops).toEqual(theirs.ops);
      }
    }
  });
});

describe('mergedLine', () => {
  it('is linear() where it merges 4 or more points per pixel column', () => {
    for (const log of [false, true]) {
      const n = 5_000;
      const r = noisyRun(n, 3);
      const u = fakePlot([[], [r.x, r.last]], yScales(log));
      (u.bbox as { width: number }).width = 1_000;
      const run: LayerRun = { runId: 1, x: r.x, hi: r.hi, lo: r.lo, y: r.last, fill: '', stroke: '', dash: [] };
      const ours = mergedLine(geometryOf(u), run) as unknown as RecordingPath;
      expect(ours.ops.length).toBeLessThan(n); // merged: up to 4 vertices per pixel column
      expect(ours.ops.length).toBeGreaterThan(1_000);
      expect(ours.ops).toEqual((uPlot.paths.linear!()(u, 1, 0, n - 1)!.stroke as unknown as RecordingPath).ops);
    }
  });
});

describe('bandPath', () => {
  it('draws each finite stretch along the max and back along the min, at valToPos\' pixels', () => {
    for (const log of [false, true]) {
      const n = 300;
      const r = noisyRun(n, 11);
      const u = fakePlot([[], [r.x, r.hi, r.lo]], log ? scale('y', 1, 0.05, 3, true) : scale('y', 1, -0.5, 3));
      const { px, py } = pixelMaps(geometryOf(u));
      const ops = (bandPath(px, py, r.x, r.hi, r.lo) as unknown as RecordingPath).ops;
      // the builder as it was, with u.valToPos for every vertex
      const expected = new RecordingPath();
      const ok = (i: number) => Number.isFinite(r.hi[i]!) && Number.isFinite(r.lo[i]!) && Number.isFinite(r.x[i]!);
      for (let i = 0; i < n;) {
        while (i < n && !ok(i)) i++;
        const start = i;
        while (i < n && ok(i)) i++;
        let flat = true;
        for (let k = start; k < i; k++) if (r.hi[k] !== r.lo[k]) flat = false;
        if (i === start || flat) continue;
        expected.moveTo(u.valToPos(r.x[start]!, 'x', true), u.valToPos(r.hi[start]!, 'y', true));
        for (let k = start + 1; k < i; k++) expected.lineTo(u.valToPos(r.x[k]!, 'x', true), u.valToPos(r.hi[k]!, 'y', true));
        for (let k = i - 1; k >= start; k--) expected.lineTo(u.valToPos(r.x[k]!, 'x', true), u.valToPos(r.lo[k]!, 'y', true));
        expected.closePath();
      }
      expect(ops.filter((o) => o === 'Z').length).toBe(4); // NaN buckets at 3-4, 40 and n-2 split it in four
      expect(ops).toEqual(expected.ops);
    }
  });

  it('draws nothing for points (min equal to max)', () => {
    const r = noisyRun(50, 5);
    const u = fakePlot([], scale('y', 1, -0.5, 3));
    const { px, py } = pixelMaps(geometryOf(u));
    expect((bandPath(px, py, r.x, r.last, r.last) as unknown as RecordingPath).ops).toEqual([]);
  });
});
