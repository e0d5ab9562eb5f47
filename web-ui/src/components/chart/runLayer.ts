// The runs of a chart (each run's min–max band, then its line) drawn as uPlot drew them as two series per run, from
// typed arrays and a plot geometry alone: no uPlot instance, so the same code draws in the layer worker
// (runLayer.worker.ts, on an OffscreenCanvas) and, as a fallback, on the chart's own canvas.
// Rasterizing these paths, not building them, was most of a live redraw: ~30–110 ms for 10 runs of 1,200 buckets
// on this machine's software canvas, against 1.5–5 ms of JavaScript.

/** Where the runs go on the canvas (device pixels) and the scales' ranges; a log y scale is log10, as the chart's. */
export interface LayerGeometry {
  canvasWidth: number;
  canvasHeight: number;
  left: number;
  top: number;
  width: number;
  height: number;
  pxRatio: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  logY: boolean;
}

export interface LayerRun {
  runId: number;
  x: Float64Array;
  hi: Float64Array;
  lo: Float64Array;
  y: Float64Array;
  fill: string;
  stroke: string;
  /** the line's dash pattern in CSS pixels (empty: solid), see RUN_DASHES */
  dash: readonly number[];
}

/** uPlot's line series width (CSS pixels) */
export const LINE_WIDTH = 1.5;

export function geometryKey(g: LayerGeometry): string {
  return `${g.canvasWidth}x${g.canvasHeight}|${g.left},${g.top},${g.width},${g.height}|${g.pxRatio}|${g.xMin},${g.xMax}|${g.yMin},${g.yMax}|${g.logY}`;
}

/**
 * Value to canvas pixel as uPlot's valToPos(v, key, true) computes it: off + dim * pct, on a log scale with the
 * logarithms (and a value <= 0 clamped to a tenth of the scale's minimum, uPlot's default).
 */
export function pixelMaps(g: LayerGeometry): { px: (v: number) => number; py: (v: number) => number } {
  const { left, top, width, height, xMin } = g;
  const dx = g.xMax - xMin;
  const px = (v: number) => left + width * ((v - xMin) / dx);
  if (!g.logY) {
    const yMin = g.yMin;
    const dy = g.yMax - yMin;
    return { px, py: (v: number) => top + height * (1 - (v - yMin) / dy) };
  }
  const lMin = Math.log10(g.yMin);
  const dl = Math.log10(g.yMax) - lMin;
  const clamp = g.yMin / 10;
  return { px, py: (v: number) => top + height * (1 - (Math.log10(v > 0 ? v : clamp) - lMin) / dl) };
}

/**
 * A run's min–max band: the polygon along each bucket's max, then back along its min. A bucket whose values are
 * all NaN (min and max NaN) splits the band; a stretch where min equals max everywhere (points) draws nothing.
 */
export function bandPath(px: (v: number) => number, py: (v: number) => number, xs: Float64Array, hi: Float64Array,
    lo: Float64Array): Path2D {
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
  return fill;
}

/**
 * A run's line as uPlot.paths.linear() draws it while there are fewer than 4 points per pixel column: a lineTo at
 * each point's pixel rounded as uPlot rounds (pxAlign 1); a point whose x or y is not finite draws nothing (the
 * canvas ignores a lineTo to NaN or infinity, so linear()'s path skipped it too).
 */
export function linePath(px: (v: number) => number, py: (v: number) => number, xs: Float64Array, ys: Float64Array,
    idx0: number, idx1: number): Path2D {
  const stroke = new Path2D();
  for (let i = idx0; i <= idx1; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (Number.isFinite(x) && Number.isFinite(y)) stroke.lineTo(Math.round(px(x)), Math.round(py(y)));
  }
  return stroke;
}

/** Where linear() merges the points sharing a pixel column, which only uPlot's own builder does (linePaths.ts). */
export function lineNeedsMerge(g: LayerGeometry, r: LayerRun): boolean {
  return r.x.length - 1 >= g.width * 4;
}

function roundDec(v: number, dec: number): number {
  const m = 10 ** dec;
  return Math.round(v * m) / m;
}

/**
 * Draws every run, in order its band then its line, with the canvas state uPlot's drawPath() used for each of the
 * two series: the band filled inside the plot rectangle, the line (1.5 px, round joins) shifted by half a pixel's
 * odd width and clipped to the rectangle grown by half the width. `line` overrides a run's line path.
 */
export function drawRuns(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, g: LayerGeometry,
    runs: readonly LayerRun[], line?: (r: LayerRun) => Path2D | null): void {
  const { px, py } = pixelMaps(g);
  const width = roundDec(LINE_WIDTH * g.pxRatio, 3);
  const offset = (width % 2) / 2;
  const bandClip = new Path2D();
  bandClip.rect(g.left, g.top, g.width, g.height);
  const lineClip = new Path2D();
  lineClip.rect(g.left - width / 2, g.top - width / 2, g.width + width, g.height + width);
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.lineJoin = 'round';
  ctx.lineCap = 'butt';
  ctx.setLineDash([]);
  ctx.lineWidth = width;
  for (const r of runs) {
    if (r.x.length === 0) continue;
    ctx.save();
    ctx.clip(bandClip);
    ctx.fillStyle = r.fill;
    ctx.fill(bandPath(px, py, r.x, r.hi, r.lo));
    ctx.restore();
    const path = line?.(r) ?? linePath(px, py, r.x, r.y, 0, r.x.length - 1);
    if (offset > 0) ctx.translate(offset, offset);
    ctx.save();
    ctx.clip(lineClip);
    ctx.strokeStyle = r.stroke;
    if (r.dash.length > 0) ctx.setLineDash(r.dash.map((d) => d * g.pxRatio));
    ctx.stroke(path);
    ctx.restore();
    if (offset > 0) ctx.translate(-offset, -offset);
  }
  ctx.restore();
}
