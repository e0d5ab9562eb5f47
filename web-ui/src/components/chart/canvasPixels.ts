// Value to canvas pixel for the path builders (bandPaths, linePaths), as u.valToPos(v, key, true) computes it.
import type uPlot from 'uplot';

/**
 * A linear scale (the usual case) is inlined, by uPlot's own formula (off + dim * pct, pct = (v - min) / (max - min)):
 * a 20-run chart has ~50,000 vertices, and valToPos' closures per vertex were a large share of a page's drawing.
 * Other scales (log) go through valToPos.
 */
export function canvasPixels(u: uPlot, key: 'x' | 'y'): (v: number) => number {
  const sc = u.scales[key]!;
  const linear = (sc.distr ?? 1) === 1 && (sc.dir ?? 1) === 1 && sc.min != null && sc.max != null;
  if (!linear) return (v) => u.valToPos(v, key, true);
  const min = sc.min!;
  const delta = sc.max! - min;
  const { left, top, width, height } = u.bbox;
  if ((sc.ori ?? (key === 'x' ? 0 : 1)) === 0) return (v) => left + width * ((v - min) / delta);
  return (v) => top + height * (1 - (v - min) / delta);
}
