// A uPlot path builder for the min–max band of one run: the polygon along each bucket's max, then back along its
// min. Series data in mode 2 is [x, max, min]; a bucket whose values are all NaN (min and max NaN) splits the band.
import type uPlot from 'uplot';

/**
 * Value to canvas pixel on one of the plot's scales, as u.valToPos(v, key, true) computes it. A linear scale
 * (the usual case) is inlined: with 20 runs of ~800 buckets a chart's bands have ~32,000 vertices, and
 * valToPos' closures per vertex were a fifth of a compare page's drawing.
 */
function toPixels(u: uPlot, key: 'x' | 'y'): (v: number) => number {
  const sc = u.scales[key]!;
  const linear = (sc.distr ?? 1) === 1 && (sc.dir ?? 1) === 1 && sc.min != null && sc.max != null;
  if (!linear) return (v) => u.valToPos(v, key, true);
  const min = sc.min!;
  const delta = sc.max! - min;
  const { left, top, width, height } = u.bbox;
  if ((sc.ori ?? (key === 'x' ? 0 : 1)) === 0) return (v) => left + width * ((v - min) / delta);
  return (v) => top + height * (1 - (v - min) / delta);
}

export function bandPaths(u: uPlot, seriesIdx: number): uPlot.Series.Paths | null {
  const d = u.data[seriesIdx] as unknown as Float64Array[];
  const xs = d[0];
  const hi = d[1];
  const lo = d[2];
  if (!xs || !hi || !lo || xs.length === 0) return null;
  const px = toPixels(u, 'x');
  const py = toPixels(u, 'y');
  const fill = new Path2D();
  const n = xs.length;
  let i = 0;
  while (i < n) {
    while (i < n && !(Number.isFinite(hi[i]!) && Number.isFinite(lo[i]!) && Number.isFinite(xs[i]!))) i++;
    const start = i;
    let flat = true;
    while (i < n && Number.isFinite(hi[i]!) && Number.isFinite(lo[i]!) && Number.isFinite(xs[i]!)) {
      if (hi[i] !== lo[i]) flat = false;
      i++;
    }
    const end = i;
    if (end - start < 1 || flat) continue;
    fill.moveTo(px(xs[start]!), py(hi[start]!));
    for (let k = start + 1; k < end; k++) fill.lineTo(px(xs[k]!), py(hi[k]!));
    for (let k = end - 1; k >= start; k--) fill.lineTo(px(xs[k]!), py(lo[k]!));
    fill.closePath();
  }
  return { stroke: new Path2D(), fill, clip: null, flags: 0 };
}
