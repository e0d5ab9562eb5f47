// What the x axis measures. The API's buckets carry steps only; points also carry their wall time. For a
// bucketed series on a time axis, each bucket's time is interpolated between the run's start (its first step)
// and its latest metric update (its latest step) — the chart says so in its caption.
import type { RunSeries } from './seriesArrays';

export type XAxisMode = 'step' | 'wall' | 'relative';

export const X_AXIS_MODES: readonly XAxisMode[] = ['step', 'wall', 'relative'];

export function isXAxisMode(s: string | null | undefined): s is XAxisMode {
  return s === 'step' || s === 'wall' || s === 'relative';
}

/** When a run started and when its latest metric of this key arrived, at which step (epoch seconds). */
export interface TimeAnchors {
  startedAt: number;
  lastAt: number;
  lastStep: number;
}

function wallTimes(s: RunSeries, anchors: TimeAnchors | undefined): Float64Array {
  if (s.time) return s.time;
  const out = new Float64Array(s.step.length);
  if (!anchors || s.step.length === 0) return out.fill(NaN);
  const firstStep = s.step[0]!;
  const stepSpan = Math.max(1, anchors.lastStep - firstStep);
  const timeSpan = anchors.lastAt - anchors.startedAt;
  for (let i = 0; i < s.step.length; i++) {
    out[i] = anchors.startedAt + ((s.step[i]! - firstStep) / stepSpan) * timeSpan;
  }
  return out;
}

/** The x value of every entry of a series on this axis. */
export function xValues(s: RunSeries, mode: XAxisMode, anchors?: TimeAnchors): Float64Array {
  if (mode === 'step') return s.step;
  const wall = wallTimes(s, anchors);
  if (mode === 'wall') return wall;
  // from the run's start; measured times before it (points written by hand for a run that never started) count
  // from the first of them instead
  const first = wall.length > 0 ? wall[0]! : 0;
  const started = anchors?.startedAt;
  const start = started != null && Number.isFinite(started) && !(s.time && first < started) ? started : first;
  const out = new Float64Array(wall.length);
  for (let i = 0; i < wall.length; i++) out[i] = wall[i]! - start;
  return out;
}

/** True when some x values of this series are interpolated rather than measured. */
export function timeIsInterpolated(s: RunSeries, mode: XAxisMode): boolean {
  return mode !== 'step' && s.time === null;
}

/**
 * The step range a run's x range covers: for zooming on a time axis, whose queries are by step. Returns the
 * lowest and highest step whose x lies in [x0, x1] across the given series, widened to the neighbouring entries so
 * the edges stay drawn.
 */
export function stepRangeForX(series: readonly { step: Float64Array; x: Float64Array }[], x0: number, x1: number):
    [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const n = s.x.length;
    for (let i = 0; i < n; i++) {
      const x = s.x[i]!;
      if (x >= x0 && x <= x1) {
        const a = s.step[Math.max(0, i - 1)]!;
        if (a < lo) lo = a;
        break;
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      const x = s.x[i]!;
      if (x >= x0 && x <= x1) {
        const b = s.step[Math.min(n - 1, i + 1)]!;
        if (b > hi) hi = b;
        break;
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Human text for a relative time in seconds: 42s, 3m 05s, 2h 04m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 60) return `${sign}${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  const sec = Math.round(s - m * 60);
  if (h > 0) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  return `${sign}${m}m ${String(sec).padStart(2, '0')}s`;
}
