// A run's line where uPlot.paths.linear() merges the points sharing a pixel column (4 or more points per pixel):
// linear() itself, on a stand-in for the uPlot instance built from the layer's geometry. Fewer points per pixel
// draw runLayer.ts' linePath(), the same path with fewer calls per point (tested point for point against linear()).
import uPlot from 'uplot';
import { pixelMaps, type LayerGeometry, type LayerRun } from './runLayer';

const linear = uPlot.paths.linear!();

export function mergedLine(g: LayerGeometry, r: LayerRun): Path2D | null {
  const { px, py } = pixelMaps(g);
  const data = [null, [r.x, r.y]];
  const x = { key: 'x', ori: 0, dir: 1, distr: 1, min: g.xMin, max: g.xMax, _min: g.xMin, _max: g.xMax };
  const y = { key: 'y', ori: 1, dir: 1, distr: g.logY ? 3 : 1, min: g.yMin, max: g.yMax,
    _min: g.logY ? Math.log10(g.yMin) : g.yMin, _max: g.logY ? Math.log10(g.yMax) : g.yMax };
  const series = [{}, { facets: [{ scale: 'x' }, { scale: 'y' }], pxRound: Math.round, spanGaps: false,
    gaps: (_u: unknown, _i: number, _a: number, _b: number, gaps: unknown) => gaps, fill: null }];
  const u = { mode: 2, data, _data: data, series, scales: { x, y }, bands: [],
    bbox: { left: g.left, top: g.top, width: g.width, height: g.height },
    valToPosH: (v: number) => px(v), valToPosV: (v: number) => py(v),
    valToPos: (v: number, key: string) => (key === 'x' ? px(v) : py(v)),
    posToVal: (pos: number) => g.xMin + ((pos - g.left) / g.width) * (g.xMax - g.xMin) } as unknown as uPlot;
  return (linear(u, 1, 0, r.x.length - 1)?.stroke as Path2D | undefined) ?? null;
}
