// The controls every chart of a page shares: smoothing, x axis, log y, outlier-ignoring y range.
import type { ChartView } from './MetricChart';
import { X_AXIS_MODES, isXAxisMode, type XAxisMode } from './xAxis';

const X_LABELS: Record<XAxisMode, string> = { step: 'Step', wall: 'Wall time', relative: 'Relative time' };

export function ChartControls({ view, onChange }: { view: ChartView; onChange: (v: ChartView) => void }) {
  return (
    <div class="chart-controls" role="group" aria-label="Chart settings">
      <label>
        Smoothing
        <input type="range" min={0} max={0.99} step={0.01} value={view.smoothing}
          onInput={(e) => onChange({ ...view, smoothing: Number((e.target as HTMLInputElement).value) })} />
        <output class="mono">{view.smoothing.toFixed(2)}</output>
      </label>
      <label>
        X axis
        <select value={view.xAxis} onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          if (isXAxisMode(v)) onChange({ ...view, xAxis: v });
        }}>
          {X_AXIS_MODES.map((m) => <option key={m} value={m}>{X_LABELS[m]}</option>)}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={view.logY}
          onChange={(e) => onChange({ ...view, logY: (e.target as HTMLInputElement).checked })} />
        Log y
      </label>
      <label>
        <input type="checkbox" checked={view.ignoreOutliers}
          onChange={(e) => onChange({ ...view, ignoreOutliers: (e.target as HTMLInputElement).checked })} />
        Ignore outliers in y range
      </label>
    </div>
  );
}

/**
 * The view from URL parameters (smooth, x, log, outliers) and back. Outliers are ignored unless the URL says
 * outliers=show, so one spike does not flatten every other run's line.
 */
export function viewFromQuery(q: URLSearchParams): ChartView {
  const smooth = Number(q.get('smooth') ?? '0');
  const x = q.get('x');
  return {
    smoothing: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    xAxis: isXAxisMode(x) ? x : 'step',
    logY: q.get('log') === '1',
    ignoreOutliers: q.get('outliers') !== 'show',
  };
}

export function viewToQuery(v: ChartView, q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(q);
  const set = (k: string, value: string | null) => (value == null ? out.delete(k) : out.set(k, value));
  set('smooth', v.smoothing > 0 ? String(v.smoothing) : null);
  set('x', v.xAxis === 'step' ? null : v.xAxis);
  set('log', v.logY ? '1' : null);
  set('outliers', v.ignoreOutliers ? null : 'show');
  return out;
}

/** zoom=100-2000 in the URL. */
export function zoomFromQuery(q: URLSearchParams): [number, number] | null {
  const m = /^(-?\d+)-(-?\d+)$/.exec(q.get('zoom') ?? '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a < b ? [a, b] : null;
}

export function zoomToQuery(z: readonly [number, number] | null, q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(q);
  if (z) out.set('zoom', `${z[0]}-${z[1]}`);
  else out.delete('zoom');
  return out;
}
