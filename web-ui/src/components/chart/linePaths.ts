// A uPlot path builder for a run's line: what uPlot.paths.linear() draws for this data, built with fewer calls per
// point. Series data in mode 2 is [x, y]. Like linear(), each point is a lineTo at its pixel rounded as uPlot rounds
// (pxAlign 1), and a point whose x or y is not finite draws nothing (the canvas ignores a lineTo to NaN or
// infinity, so linear()'s path skipped it too). Where linear() merges points sharing a pixel column (4 or more
// points per pixel), it draws instead.
import uPlot from 'uplot';
import { canvasPixels } from './canvasPixels';

const linear = uPlot.paths.linear!();

export function linePaths(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths | null {
  if (idx1 - idx0 >= u.bbox.width * 4) return linear(u, seriesIdx, idx0, idx1);
  const d = u.data[seriesIdx] as unknown as Float64Array[];
  const xs = d[0];
  const ys = d[1];
  if (!xs || !ys) return null;
  const px = canvasPixels(u, 'x');
  const py = canvasPixels(u, 'y');
  const stroke = new Path2D();
  for (let i = idx0; i <= idx1; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (Number.isFinite(x) && Number.isFinite(y)) stroke.lineTo(Math.round(px(x)), Math.round(py(y)));
  }
  return { stroke, fill: null, clip: null, flags: 0 };
}
