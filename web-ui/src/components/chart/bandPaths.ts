// A uPlot path builder for the min–max band of one run: the polygon along each bucket's max, then back along its
// min. Series data in mode 2 is [x, max, min]; a bucket whose values are all NaN (min and max NaN) splits the band.
import type uPlot from 'uplot';

export function bandPaths(u: uPlot, seriesIdx: number): uPlot.Series.Paths | null {
  const d = u.data[seriesIdx] as unknown as Float64Array[];
  const xs = d[0];
  const hi = d[1];
  const lo = d[2];
  if (!xs || !hi || !lo || xs.length === 0) return null;
  const fill = new Path2D();
  const n = xs.length;
  let i = 0;
  while (i < n) {
    while (i < n && !(Number.isFinite(hi[i]!) && Number.isFinite(lo[i]!) && Number.isFinite(xs[i]!))) i++;
    const start = i;
    while (i < n && Number.isFinite(hi[i]!) && Number.isFinite(lo[i]!) && Number.isFinite(xs[i]!)) i++;
    const end = i;
    if (end - start < 1) continue;
    let flat = true;
    for (let k = start; k < end && flat; k++) if (hi[k] !== lo[k]) flat = false;
    if (flat) continue;
    fill.moveTo(u.valToPos(xs[start]!, 'x', true), u.valToPos(hi[start]!, 'y', true));
    for (let k = start + 1; k < end; k++) fill.lineTo(u.valToPos(xs[k]!, 'x', true), u.valToPos(hi[k]!, 'y', true));
    for (let k = end - 1; k >= start; k--) fill.lineTo(u.valToPos(xs[k]!, 'x', true), u.valToPos(lo[k]!, 'y', true));
    fill.closePath();
  }
  return { stroke: new Path2D(), fill, clip: null, flags: 0 };
}
