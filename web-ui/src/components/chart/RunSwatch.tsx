import type { RunStyle } from './colors';

/**
 * A run's key in a legend: a square of its colour, or for a run drawn dashed (beyond the palette's first round) a
 * short stretch of its line with the same dash pattern.
 */
export function RunSwatch({ style }: { style: RunStyle | undefined }) {
  if (!style || style.dash.length === 0) {
    return <span class="metric-chart__swatch" style={{ background: style?.color }} aria-hidden="true" />;
  }
  return (
    <svg class="metric-chart__swatch metric-chart__swatch--dashed" viewBox="0 0 22 10" aria-hidden="true"
      data-dash={style.dash.join(' ')}>
      <line x1="0" y1="5" x2="22" y2="5" stroke={style.color} stroke-width="2.5" stroke-dasharray={style.dash.join(' ')} />
    </svg>
  );
}
