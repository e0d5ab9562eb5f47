// A uPlot path builder for the min–max band of one run: the polygon along each bucket's max, then back along its
// min. Series data in mode 2 is [x, max, min]; a bucket whose values are all NaN (min and max NaN) splits the band.
import type uPlot from 'uplot';
import { canvasPixels } from './canvasPixels';

export function bandPaths(u: uPlot, seriesIdx: number): uPlot.Series.Paths | null {
  const d = u.data[seriesIdx] as unknown as Float64Array[];
  const xs = d[0];
  const hi = d[1];
  const lo = d[2];
  if (!xs || !hi || !lo || xs.length === 0) return null;
  const px = canvasPixels(u, 'x');
  const py = canvasPixels(u, 'y');
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
