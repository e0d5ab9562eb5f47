// Parallel coordinates of chosen params against a metric (SVG: at most 100 polylines). Dragging along an axis
// brushes it; the runs outside every brush fade here and leave the page's run set. Drawn at one SVG unit per CSS
// pixel, never scaled down: on a narrow screen the axes keep their spacing and the frame scrolls sideways.
import { useEffect, useRef, useState } from 'preact/hooks';
import { markerPath, type RunStyle } from '../../components/chart/colors';
import { axisValueAt, type Axis, type Brush, type CompareRun } from './compareModel';

const HEIGHT = 260;
const PAD_TOP = 28;
const PAD_BOTTOM = 24;
const PAD_X = 60;
/** the least room between two axes: a label of about 16 characters and the ticks beside the axis */
const MIN_GAP = 130;

/** The chart's width: the frame's, or wider when the axes would crowd it (the frame then scrolls). */
export function pcoordsWidth(axes: number, frameWidth: number): number {
  const least = axes <= 1 ? 2 * PAD_X + MIN_GAP : 2 * PAD_X + (axes - 1) * MIN_GAP;
  return Math.max(least, Math.floor(frameWidth));
}

/** An axis label cut to the room between axes, with an ellipsis; the whole name is the label's tooltip. */
export function fitLabel(label: string, room: number): string {
  const chars = Math.max(4, Math.floor(room / 7.5));
  return label.length <= chars ? label : `${label.slice(0, chars - 1)}…`;
}

export function ParallelCoords({ runs, styles, axes, brushes, selected, onBrushes, highlight, onHighlight }: {
  runs: readonly CompareRun[];
  styles: ReadonlyMap<number, RunStyle>;
  axes: readonly Axis[];
  brushes: readonly Brush[];
  selected: ReadonlySet<number>;
  onBrushes: (b: Brush[]) => void;
  highlight: number | null;
  onHighlight: (id: number | null) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Brush | null>(null);
  const frameWidth = useWidth(frame);
  const width = pcoordsWidth(axes.length, frameWidth);
  const overflows = frameWidth > 0 && width > frameWidth;
  const room = axes.length <= 1 ? width : (width - 2 * PAD_X) / (axes.length - 1);
  const plotH = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const xOf = (i: number) => (axes.length === 1 ? width / 2 : PAD_X + (i * (width - 2 * PAD_X)) / (axes.length - 1));
  // 4% inside the axis ends, so lines at the extremes stay off the labels
  const yOf = (p: number) => PAD_TOP + (1 - (0.04 + 0.92 * p)) * plotH;

  const positionAt = (ev: PointerEvent): number => {
    const rect = svg.current!.getBoundingClientRect();
    const y = ((ev.clientY - rect.top) / rect.height) * HEIGHT;
    return Math.min(1, Math.max(0, (1 - (y - PAD_TOP) / plotH - 0.04) / 0.92));
  };

  const startBrush = (axis: Axis, ev: PointerEvent) => {
    (ev.currentTarget as Element).setPointerCapture(ev.pointerId);
    const p = positionAt(ev);
    setDrag({ axis: axis.id, from: p, to: p });
  };
  const moveBrush = (ev: PointerEvent) => {
    if (drag) setDrag({ ...drag, to: positionAt(ev) });
  };
  const endBrush = () => {
    if (!drag) return;
    const others = brushes.filter((b) => b.axis !== drag.axis);
    // a click without a drag clears that axis's brush
    onBrushes(Math.abs(drag.to - drag.from) < 0.01 ? others : [...others, drag]);
    setDrag(null);
  };

  const shown = drag ? [...brushes.filter((b) => b.axis !== drag.axis), drag] : brushes;
  return (
    <>
      {overflows && (
        <p class="help pcoords__hint" id="pcoords-hint">
          Scroll the chart sideways to see all {axes.length} axes.
        </p>
      )}
      <div ref={frame} class={overflows ? 'pcoords is-scrolling' : 'pcoords'} tabIndex={overflows ? 0 : undefined}
        role={overflows ? 'region' : undefined} aria-label={overflows ? 'Parallel coordinates, scrolls sideways' : undefined}
        aria-describedby={overflows ? 'pcoords-hint' : undefined}>
        <svg ref={svg} viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img"
          aria-label={`Parallel coordinates of ${axes.map((a) => a.label).join(', ')}; ${selected.size} of ${runs.length} runs selected`}>
          {runs.map((r) => {
            const pts: string[] = [];
            axes.forEach((a, i) => {
              const p = a.position(r);
              if (Number.isFinite(p)) pts.push(`${xOf(i).toFixed(1)},${yOf(p).toFixed(1)}`);
            });
            const inSet = selected.has(r.id);
            const hl = highlight === r.id;
            return (
              <polyline key={r.id} points={pts.join(' ')} fill="none" stroke={styles.get(r.id)?.color}
                stroke-dasharray={styles.get(r.id)?.dash.join(' ') || undefined}
                stroke-width={hl ? 3 : 1.5} stroke-opacity={inSet ? (highlight == null || hl ? 0.9 : 0.25) : 0.08}
                onMouseEnter={() => onHighlight(r.id)} onMouseLeave={() => onHighlight(null)}>
                <title>{r.name}</title>
              </polyline>
            );
          })}
          {axes.map((a, i) => {
            const x = xOf(i);
            const b = shown.find((s) => s.axis === a.id);
            return (
              <g key={a.id}>
                <line x1={x} x2={x} y1={PAD_TOP} y2={PAD_TOP + plotH} class="pcoords__axis" />
                <text x={x} y={PAD_TOP - 12} text-anchor="middle" class="pcoords__label">
                  {fitLabel(a.label, (i === 0 || i === axes.length - 1 ? Math.min(room, 2 * x, 2 * (width - x)) : room) - 8)}
                  <title>{a.label}</title>
                </text>
                <text x={x + 6} y={PAD_TOP + 4} class="pcoords__tick">{axisValueAt(a, 1)}</text>
                <text x={x + 6} y={PAD_TOP + plotH} class="pcoords__tick">{axisValueAt(a, 0)}</text>
                {b && (
                  <rect x={x - 8} width={16} y={yOf(Math.max(b.from, b.to))} height={Math.abs(b.to - b.from) * 0.92 * plotH}
                    class="pcoords__brush" />
                )}
                <rect x={x - 14} width={28} y={PAD_TOP} height={plotH} fill="transparent" class="pcoords__hit"
                  onPointerDown={(ev) => startBrush(a, ev)} onPointerMove={moveBrush} onPointerUp={endBrush} />
              </g>
            );
          })}
        </svg>
      </div>
    </>
  );
}

/** An element's inner width in CSS pixels, kept current as it resizes (0 before the first layout). */
function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const e = ref.current!;
    const ro = new ResizeObserver(() => setWidth(e.clientWidth));
    ro.observe(e);
    return () => ro.disconnect();
  }, []);
  return width;
}

/** An axis's title: its key, and on a log axis (values over more than 20x) that its ticks are spaced by ratio. */
function axisTitle(a: Axis): string {
  return a.log ? `${a.label} (log scale)` : a.label;
}

/**
 * One param against one metric, a point per run, as wide as its frame (up to 640 px) and never scaled down. A run's
 * point has its colour and its round's marker (circles for the first six runs, then squares, triangles, diamonds: the
 * runs the charts draw dashed, dotted, dash-dotted), keyed in the legend below.
 */
export function Scatter({ runs, styles, x, y, selected, highlight, onHighlight }: {
  runs: readonly CompareRun[];
  styles: ReadonlyMap<number, RunStyle>;
  x: Axis;
  y: Axis;
  selected: ReadonlySet<number>;
  highlight: number | null;
  onHighlight: (id: number | null) => void;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const W = Math.max(280, useWidth(frame) || 480);
  const H = 280;
  const L = 76;
  const B = 36;
  const T = 12;
  const R = 16;
  const px = (p: number) => L + (0.04 + 0.92 * p) * (W - L - R);
  const py = (p: number) => T + (1 - (0.04 + 0.92 * p)) * (H - T - B);
  return (
    <div ref={frame} class="scatter-frame">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} class="scatter" role="img"
        aria-label={`Scatter of ${y.label} against ${x.label}`}>
        <line x1={L} x2={W - R} y1={H - B} y2={H - B} class="pcoords__axis" />
        <line x1={L} x2={L} y1={T} y2={H - B} class="pcoords__axis" />
        {[0, 0.5, 1].map((p) => (
          <g key={p}>
            <text x={px(p)} y={H - B + 14} text-anchor="middle" class="pcoords__tick">{axisValueAt(x, p)}</text>
            <text x={L - 6} y={py(p) + 4} text-anchor="end" class="pcoords__tick">{axisValueAt(y, p)}</text>
          </g>
        ))}
        <text x={(L + W - R) / 2} y={H - 4} text-anchor="middle" class="pcoords__label scatter__title"
          data-axis="x">{axisTitle(x)}</text>
        <text transform={`translate(12 ${(T + H - B) / 2}) rotate(-90)`} text-anchor="middle"
          class="pcoords__label scatter__title" data-axis="y">{axisTitle(y)}</text>
        {runs.map((r) => {
          const a = x.position(r);
          const b = y.position(r);
          if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
          const inSet = selected.has(r.id);
          const style = styles.get(r.id);
          const marker = style?.marker ?? 'circle';
          return (
            <path key={r.id} d={markerPath(marker, px(a), py(b), highlight === r.id ? 7 : 5)} data-run-id={r.id}
              data-marker={marker} class="scatter__point" fill={style?.color}
              fill-opacity={inSet ? 0.9 : 0.15} stroke="var(--fg)" stroke-opacity={highlight === r.id ? 0.9 : 0}
              onMouseEnter={() => onHighlight(r.id)} onMouseLeave={() => onHighlight(null)}>
              <title>{`${r.name}: ${x.label} ${x.text(r)}, ${y.label} ${y.text(r)}`}</title>
            </path>
          );
        })}
      </svg>
      <ul class="scatter-legend" aria-label="Runs in the scatter">
        {runs.map((r) => {
          const style = styles.get(r.id);
          const marker = style?.marker ?? 'circle';
          const plotted = Number.isFinite(x.position(r)) && Number.isFinite(y.position(r));
          return (
            <li key={r.id} data-run-id={r.id} class={[highlight === r.id ? 'is-highlighted' : '',
              selected.has(r.id) ? '' : 'is-filtered'].join(' ').trim() || undefined}
              onMouseEnter={() => onHighlight(r.id)} onMouseLeave={() => onHighlight(null)}>
              <svg class="scatter-legend__key" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">
                <path d={markerPath(marker, 7, 7, 4.5)} fill={style?.color} data-marker={marker} />
              </svg>
              {r.name} <span class="muted">#{r.id}</span>
              {!plotted && <span class="muted"> (no value)</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
