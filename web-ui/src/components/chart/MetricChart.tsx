// One metric key, every run: a faint min–max band from the buckets and a line of their last values, on uPlot
// (canvas). Series live in typed arrays held in refs, never in component state: Preact only re-renders the frame,
// the caption and the legend. uPlot draws the axes, grid, cursor and selection; the runs are drawn by runLayer.ts,
// on a redraw of a chart already shown rasterized in a worker and composited in uPlot's draw hook.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { seriesQueryUrl } from '../../api/metrics';
import { describe, registerChart, unregisterChart, type ChartEntry, type DrawnSeries } from './chartRegistry';
import { runStyles, withAlpha, type RunStyle } from './colors';
import { useColorScheme } from './useColorScheme';
import { RunSwatch } from './RunSwatch';
import { debiasedEma } from './ema';
import { LiveRequery, type LiveFeed } from './liveFeed';
import { PERF, measureSince } from './perf';
import { nearestIndex, type RunSeries } from './seriesArrays';
import { fetchSeriesArrays } from './seriesParser';
import { formatDuration, stepRangeForX, timeIsInterpolated, xValues, type TimeAnchors, type XAxisMode } from './xAxis';
import { yRange } from './yRange';
import { yAxisSize } from './axisSize';
import { mergedLine } from './linePaths';
import { drawRuns, geometryKey, lineNeedsMerge, type LayerGeometry, type LayerRun } from './runLayer';
import { layerWorker } from './layerWorker';
import { bucketsFor } from './buckets';
import { zoomLead } from './zoomLead';
import { formatValue } from './formatValue';
import { axisTickLabels } from './axisTicks';
import { logLabelled, logSplits, logTickLabels } from './logAxis';
import { chartFrames } from './frameQueue';
import './chart.css';

export interface ChartView {
  xAxis: XAxisMode;
  /** EMA weight, 0 (none) to 0.99 */
  smoothing: number;
  logY: boolean;
  ignoreOutliers: boolean;
}

export interface MetricChartProps {
  projectId: number;
  runIds: readonly number[];
  metricKey: string;
  view: ChartView;
  /** the step range zoomed to, or null for everything */
  zoom: readonly [number, number] | null;
  onZoom?: (range: [number, number] | null) => void;
  runNames?: ReadonlyMap<number, string>;
  /** the styles of the page's runs (see runStyles), when the page shows runs this chart does not draw */
  styles?: ReadonlyMap<number, RunStyle>;
  anchors?: ReadonlyMap<number, TimeAnchors>;
  highlight?: number | null;
  onHighlight?: (runId: number | null) => void;
  /** the page's live `metrics` events: the chart re-queries at most once a second while its runs log */
  live?: LiveFeed;
  syncKey?: string;
  height?: number;
}

const LIVE_INTERVAL_MS = 1000;
/** How far outside the viewport a chart counts as visible, so it has drawn by the time it is scrolled to. */
const VISIBLE_MARGIN_PX = 200;

function nearViewport(el: Element): boolean {
  const r = el.getBoundingClientRect();
  const height = window.innerHeight || document.documentElement.clientHeight;
  return r.width > 0 && r.bottom >= -VISIBLE_MARGIN_PX && r.top <= height + VISIBLE_MARGIN_PX;
}

const STEP_INCREMENTS: number[] = [];
for (let e = 0; e <= 12; e++) for (const m of [1, 2, 5]) STEP_INCREMENTS.push(m * 10 ** e);

type Status = { state: 'idle' | 'loading' | 'drawn' | 'empty' } | { state: 'error'; message: string };

function formatX(mode: XAxisMode, x: number): string {
  if (mode === 'step') return `step ${Math.round(x).toLocaleString('en')}`;
  if (mode === 'relative') return formatDuration(x);
  return new Date(x * 1000).toLocaleTimeString();
}

export function MetricChart(props: MetricChartProps) {
  const { projectId, metricKey, view, zoom } = props;
  const runKey = props.runIds.join(',');
  const frame = useRef<HTMLDivElement>(null);
  const plotEl = useRef<HTMLDivElement>(null);
  const entry = useRef<ChartEntry | null>(null);
  const plot = useRef<uPlot | null>(null);
  const plotShape = useRef('');
  const series = useRef<RunSeries[]>([]);
  const drawn = useRef<DrawnSeries[]>([]);
  const pendingDraw = useRef<PendingDraw | null>(null);
  // What the canvas shows (set when uPlot commits it) and the newest redraw asked for (its layer may be in the
  // worker): a layer that arrives for anything but the newest is dropped.
  const shown = useRef<Shown | null>(null);
  const requested = useRef<Shown | null>(null);
  const newest = useRef(0);
  const layer = useRef<{ key: string; bitmap: ImageBitmap } | null>(null);
  const firstDrawDone = useRef(false);
  const highlightRef = useRef<number | null>(null);
  const zoomStart = useRef<number | null>(null);
  const zoomDrawn = useRef<(() => void) | null>(null);
  const liveEventAt = useRef(0);
  const loadRef = useRef<typeof load>(null as unknown as typeof load);
  const requery = useRef<LiveRequery | null>(null);
  requery.current ??= new LiveRequery((eventAt) => {
    liveEventAt.current = eventAt;
    return loadRef.current(new AbortController().signal, 'live');
  }, LIVE_INTERVAL_MS);
  // The last answer for the whole range (no zoom), to draw again at once when a zoom is reset: re-asking the server
  // for what the chart already had only delayed the next zoom's queries. Any live event makes it stale.
  const wholeRange = useRef<{ query: string; arrays: RunSeries[] } | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  const [visible, setVisible] = useState(false);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [cursorX, setCursorX] = useState<number | null>(null);
  const [interpolated, setInterpolated] = useState(false);
  const [drawVersion, setDrawVersion] = useState(0);

  highlightRef.current = props.highlight ?? null;
  const colorScheme = useColorScheme();
  const styles = useMemo(() => props.styles ?? runStyles(props.runIds, colorScheme), [props.styles, runKey, colorScheme]);
  const colorSchemeRef = useRef(colorScheme);
  colorSchemeRef.current = colorScheme;
  const stylesRef = useRef(styles);
  stylesRef.current = styles;

  // Registration and lazy loading: nothing is fetched until the frame is near the viewport. A frame already there
  // when it mounts (a page's first charts) asks at once, in this layout effect: waiting for the observer's first
  // callback, and then for an effect after paint, delayed the series queries by frames while the page renders.
  useLayoutEffect(() => {
    const e = registerChart(metricKey);
    entry.current = e;
    describe(frame.current!, e);
    const io = new IntersectionObserver((items) => {
      if (items.some((i) => i.isIntersecting)) {
        setVisible(true);
        io.disconnect();
      }
    }, { rootMargin: `${VISIBLE_MARGIN_PX}px` });
    if (nearViewport(frame.current!)) setVisible(true);
    else io.observe(frame.current!);
    const ro = new ResizeObserver(() => {
      const u = plot.current;
      const el = plotEl.current;
      if (u && el && el.clientWidth > 0 && Math.abs(u.width - el.clientWidth) > 1) {
        u.setSize({ width: el.clientWidth, height: u.height });
      }
    });
    ro.observe(frame.current!);
    return () => {
      io.disconnect();
      ro.disconnect();
      chartFrames.cancel(drawOwner.current);
      plot.current?.destroy();
      plot.current = null;
      unregisterChart(e);
    };
  }, [metricKey]);

  const setEntryState = (state: string) => {
    const e = entry.current;
    if (!e) return;
    e.state = state;
    if (frame.current) describe(frame.current, e);
  };

  async function load(signal: AbortSignal, cause: 'view' | 'zoom' | 'live') {
    const p = propsRef.current;
    if (p.runIds.length === 0) {
      // every run filtered out (brushing): nothing to ask for
      series.current = [];
      draw();
      return;
    }
    // A chart's first draw of the whole range asks for one bucket per 2 px: half the bytes to send, parse and draw
    // before the page's first full draw. Later queries (live, zooms) ask for one per pixel; beyond 10 runs bucketsFor
    // asks for one per 2 px anyway, so the first draw is not halved again.
    const first = !firstDrawDone.current && cause === 'view' && p.zoom == null && p.runIds.length <= 10;
    const width = (plotEl.current?.clientWidth || 800) / (first ? 2 : 1);
    const q = { projectId: p.projectId, runs: p.runIds, keys: [p.metricKey], buckets: bucketsFor(width, p.runIds.length),
      fromStep: p.zoom?.[0] ?? null, toStep: p.zoom?.[1] ?? null };
    const e = entry.current!;
    e.query = seriesQueryUrl(q);
    e.runIds = [...p.runIds];
    if (cause !== 'live') {
      setStatus((s) => (s.state === 'drawn' ? s : { state: 'loading' }));
      setEntryState(e.state === 'drawn' ? 'drawn' : 'loading');
    }
    const start = performance.now();
    const whole = p.zoom == null;
    const kept = wholeRange.current;
    let arrays: RunSeries[];
    if (cause !== 'live' && whole && kept && kept.query === e.query) {
      arrays = kept.arrays;
    } else {
      // another chart's zoom: the chart the user dragged across asks first
      if (cause === 'view') await zoomLead.follow();
      if (signal.aborted) return;
      arrays = await fetchSeriesArrays(q, signal);
      let points = 0;
      for (const s of arrays) points += s.step.length;
      measureSince(PERF.fetch, start, { key: p.metricKey, runs: p.runIds.length, points });
      if (signal.aborted) return;
      wholeRange.current = whole ? { query: e.query, arrays } : wholeRange.current;
    }
    series.current = arrays;
    pendingDraw.current = {
      start: performance.now(),
      zoomStart: cause === 'zoom' ? zoomStart.current : null,
      liveStart: cause === 'live' ? liveEventAt.current : null,
    };
    if (cause === 'zoom') zoomStart.current = null;
    // the chart the user dragged across draws ahead of the other charts' re-queried ranges
    scheduleDraw(cause === 'zoom');
  }

  // Draws go through the page's frame queue: several answers arriving together draw over several frames.
  const drawOwner = useRef({});
  function scheduleDraw(first = false) {
    chartFrames.schedule(drawOwner.current, () => drawRef.current(), first);
  }

  loadRef.current = load;
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => () => requery.current!.stop(), []);

  // Fetch when visible and whenever what is asked changes: in a layout effect, so the query leaves before the
  // browser paints (a zoom's or a page's first queries no longer wait a frame).
  useLayoutEffect(() => {
    if (!visible) return;
    const ctrl = new AbortController();
    const cause = zoomStart.current != null ? 'zoom' : 'view';
    requery.current!.around(load(ctrl.signal, cause))
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        setStatus({ state: 'error', message: err instanceof Error ? err.message : String(err) });
        setEntryState('error');
      });
    return () => ctrl.abort();
  }, [visible, projectId, runKey, metricKey, zoom?.[0], zoom?.[1]]);

  // Live updates: the page's feed calls in here directly (no re-render per event); re-queries at most once a second
  // while events arrive, and once after the last.
  useEffect(() => {
    const feed = props.live;
    if (!visible || !feed) return;
    return feed.subscribe((runId, keys) => {
      const p = propsRef.current;
      if (p.runIds.includes(runId) && (keys === null || keys.includes(p.metricKey))) {
        wholeRange.current = null;
        requery.current!.event();
      }
    });
  }, [props.live, visible]);

  // Redraw from the arrays already fetched when only the view changes, or the runs' colours and dashes (a run
  // removed from the page that this chart does not draw moves the others' styles). The runs' time anchors matter
  // only on a time axis: on steps, the run details arriving (a compare page's, mid-way through its first draws)
  // redrew every chart drawn so far, ahead of the others' first draws.
  const anchorsDrawn = view.xAxis === 'step' ? null : props.anchors;
  useEffect(() => {
    if (series.current.length > 0 || status.state === 'empty') scheduleDraw();
  }, [view.xAxis, view.smoothing, view.logY, view.ignoreOutliers, anchorsDrawn, colorScheme, styles]);

  useEffect(() => {
    const u = plot.current;
    const s = requested.current;
    if (!u || !s) return;
    requestLayer(u, s);
  }, [props.highlight]);

  useEffect(() => () => {
    layer.current?.bitmap.close();
    layer.current = null;
  }, []);

  function draw() {
    const p = propsRef.current;
    const v = p.view;
    const arrays = series.current;
    const e = entry.current!;
    const out: DrawnSeries[] = [];
    let anyInterpolated = false;
    for (const s of arrays) {
      const x = xValues(s, v.xAxis, p.anchors?.get(s.runId));
      const y = debiasedEma(s.last, v.smoothing);
      anyInterpolated ||= timeIsInterpolated(s, v.xAxis);
      out.push({ runId: s.runId, series: s, x, y, dash: stylesRef.current.get(s.runId)?.dash ?? [] });
    }
    const version = ++newest.current;
    const nonEmpty = out.filter((d) => d.x.length > 0);
    if (nonEmpty.length === 0) {
      drawn.current = out;
      setInterpolated(anyInterpolated);
      plot.current?.destroy();
      plot.current = null;
      plotShape.current = '';
      shown.current = null;
      requested.current = null;
      e.drawn = out;
      setStatus({ state: 'empty' });
      setEntryState('empty');
      return;
    }
    const el = plotEl.current!;
    const ranges = computeRanges(out, v, p.zoom);
    // a redraw replaced before it was shown hands on its pending measurement
    const prev = requested.current;
    let pending = pendingDraw.current;
    pendingDraw.current = null;
    if (prev && prev !== shown.current && prev.pending) {
      pending ??= prev.pending;
      prev.pending = null;
    }
    const next: Shown = { version, out, ranges, logY: v.logY, interpolated: anyInterpolated, pending };
    requested.current = next;
    // the axes' colours are the theme's when the plot is made: a change of theme makes it again
    const shape = `${v.logY}|${v.xAxis}|${colorSchemeRef.current}`;
    if (!plot.current || plotShape.current !== shape) {
      plot.current?.destroy();
      show(next);
      plot.current = new uPlot(options(el, v, ranges), plotData(ranges), el);
      plotShape.current = shape;
    } else if (pending?.zoomStart != null) {
      // the zoom the user is waiting for: drawn here at once rather than after a round trip through the worker
      commit(plot.current, next);
    } else {
      requestLayer(plot.current, next);
    }
  }

  /** What the next commit draws: the legend, the registry and the measurements follow it. */
  function show(s: Shown) {
    shown.current = s;
    drawn.current = s.out;
    setInterpolated(s.interpolated);
    const e = entry.current!;
    e.drawn = s.out;
    e.runIds = s.out.map((d) => d.runId);
    setDrawVersion((n) => n + 1);
  }

  /**
   * Has the worker rasterize `s`'s runs for the plot as it is now (its new scales), then shows `s`: uPlot redraws
   * and the draw hook composites the layer. Without a worker the layer is null; if the plot's geometry changed
   * meanwhile (a wider y axis) it does not fit: the draw hook then draws the runs itself. A layer for anything but
   * the newest redraw and highlight is dropped (a newer one is on its way).
   */
  function requestLayer(u: uPlot, s: Shown) {
    const g: LayerGeometry = { ...geometry(u, s), xMin: s.ranges.x[0], xMax: s.ranges.x[1], yMin: s.ranges.y[0],
      yMax: s.ranges.y[1] };
    const highlight = highlightRef.current;
    const version = s.version;
    void layerWorker.render(drawOwner.current, g, layerRuns(s.out, highlight, stylesRef.current)).then((bitmap) => {
      if (bitmap === undefined) return; // replaced by a newer request of this chart
      if (plot.current !== u || newest.current !== version || highlightRef.current !== highlight) {
        bitmap?.close();
        return;
      }
      layer.current?.bitmap.close();
      layer.current = bitmap ? { key: `${geometryKey(g)}|${version}|${highlight}`, bitmap } : null;
      commit(u, s);
    });
  }

  /** Shows `s` on the plot: uPlot redraws, and the draw hook draws its runs (or composites their layer). */
  function commit(u: uPlot, s: Shown) {
    show(s);
    u.batch(() => {
      u.setData(plotData(s.ranges), false);
      u.setScale('x', { min: s.ranges.x[0], max: s.ranges.x[1] });
      u.setScale('y', { min: s.ranges.y[0], max: s.ranges.y[1] });
    });
  }

  function computeRanges(out: DrawnSeries[], v: ChartView, z: readonly [number, number] | null) {
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const d of out) {
      const n = d.x.length;
      for (let i = 0; i < n; i++) {
        const x = d.x[i]!;
        if (Number.isFinite(x)) {
          if (x < x0) x0 = x;
          break;
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        const x = d.x[i]!;
        if (Number.isFinite(x)) {
          if (x > x1) x1 = x;
          break;
        }
      }
    }
    if (v.xAxis === 'step' && z) {
      x0 = z[0];
      x1 = z[1];
    }
    if (!(x0 < x1)) {
      x0 = Number.isFinite(x0) ? x0 - 1 : 0;
      x1 = Number.isFinite(x1) ? x1 + 1 : 1;
    }
    const ys: Float64Array[] = out.map((d) => d.y);
    if (!v.ignoreOutliers) {
      for (const d of out) {
        if (d.series.bucketed) {
          ys.push(d.series.min, d.series.max);
        }
      }
    }
    const y = yRange(ys, { ignoreOutliers: v.ignoreOutliers, log: v.logY }) ?? (v.logY ? [0.1, 10] : [0, 1]);
    return { x: [x0, x1] as [number, number], y };
  }

  function options(el: HTMLElement, v: ChartView,
      ranges: { x: [number, number]; y: [number, number] }): uPlot.Options {
    const style = getComputedStyle(el);
    const ink = style.getPropertyValue('--chart-ink').trim() || style.color;
    const grid = style.getPropertyValue('--chart-grid').trim() || 'rgba(128,128,128,0.2)';
    entry.current!.ink = ink;
    entry.current!.grid = grid;
    // One series that uPlot never draws (the draw hook draws the runs): its two points keep the data non-empty, so
    // uPlot takes the scales' ranges from setScale and not from the range functions of the first draw.
    const series: uPlot.Series[] = [{}, { label: 'runs', paths: () => null, points: { show: false } }];
    const noteYLabels = <T extends (string | null)[]>(labels: T): T => {
      entry.current!.yLabels = labels;
      return labels;
    };
    const xValuesFmt = (_u: uPlot, splits: number[]) => splits.map((s) => (v.xAxis === 'relative'
      ? formatDuration(s) : v.xAxis === 'step' ? Math.round(s).toLocaleString('en') : s));
    const axes: uPlot.Axis[] = [
      { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
        space: v.xAxis === 'step' ? 60 : 90, ...(v.xAxis === 'wall' ? {} : { values: xValuesFmt }),
        // steps are whole numbers: ticks every 1, 2, 5, 10, 20, ... steps
        ...(v.xAxis === 'step' ? { incrs: STEP_INCREMENTS } : {}) },
      v.logY ? { stroke: ink, ...logYAxis(grid, noteYLabels), size: measuredYAxisSize }
        : { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: measuredYAxisSize,
          values: (_u: uPlot, splits: number[]) => noteYLabels(axisTickLabels(splits)) },
    ];
    return {
      mode: 2,
      width: el.clientWidth || 800,
      height: propsRef.current.height ?? 240,
      legend: { show: false },
      scales: {
        x: { time: v.xAxis === 'wall', auto: false, range: () => [ranges.x[0], ranges.x[1]] },
        y: v.logY ? { distr: 3, log: 10, auto: false, range: () => [ranges.y[0], ranges.y[1]] }
          : { auto: false, range: () => [ranges.y[0], ranges.y[1]] },
      },
      series,
      axes,
      cursor: {
        sync: propsRef.current.syncKey ? { key: propsRef.current.syncKey, scales: ['x', null] } : undefined,
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        dataIdx: () => null as unknown as number,
      },
      hooks: {
        setCursor: [(u: uPlot) => {
          const left = u.cursor.left;
          setCursorX(left == null || left < 0 ? null : u.posToVal(left, 'x'));
        }],
        setSelect: [(u: uPlot) => {
          const sel = u.select;
          if (sel.width < 4) return;
          const x0 = u.posToVal(sel.left, 'x');
          const x1 = u.posToVal(sel.left + sel.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          zoomTo(x0, x1);
        }],
        draw: [(u: uPlot) => {
          const s = shown.current;
          if (!s) return;
          drawShown(u, s);
          const pd = s.pending;
          if (!pd) return;
          s.pending = null;
          const p = propsRef.current;
          let points = 0;
          for (const d of s.out) points += d.x.length;
          measureSince(PERF.draw, pd.start, { key: p.metricKey, points });
          if (pd.zoomStart != null) {
            measureSince(PERF.zoom, pd.zoomStart, { key: p.metricKey, points });
            zoomDrawn.current?.();
            zoomDrawn.current = null;
          }
          if (pd.liveStart) measureSince(PERF.live, pd.liveStart, { key: p.metricKey, points });
          const e = entry.current!;
          e.draws++;
          if (!firstDrawDone.current) {
            firstDrawDone.current = true;
            performance.mark(PERF.firstDraw, { detail: { key: p.metricKey } });
          }
          setStatus((s) => (s.state === 'drawn' ? s : { state: 'drawn' }));
          setEntryState('drawn');
        }],
      },
    };
  }

  /** The runs of `s` on the plot's canvas: the worker's layer when it was made for this plot and highlight. */
  function drawShown(u: uPlot, s: Shown) {
    const g = geometry(u, s);
    const highlight = highlightRef.current;
    const ctx = u.ctx;
    const l = layer.current;
    if (l && l.key === `${geometryKey(g)}|${s.version}|${highlight}`) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.globalAlpha = 1;
      ctx.globalCompositeOperation = 'source-over';
      ctx.drawImage(l.bitmap, 0, 0);
      ctx.restore();
      return;
    }
    drawRuns(ctx, g, layerRuns(s.out, highlight, stylesRef.current), (r) => (lineNeedsMerge(g, r) ? mergedLine(g, r) : null));
  }

  function zoomTo(x0: number, x1: number) {
    const p = propsRef.current;
    if (!p.onZoom) return;
    let range: [number, number] | null;
    if (p.view.xAxis === 'step') {
      range = [Math.floor(x0), Math.ceil(x1)];
    } else {
      range = stepRangeForX(drawn.current.map((d) => ({ step: d.series.step, x: d.x })), x0, x1);
    }
    if (!range || range[1] <= range[0]) return;
    zoomStart.current = performance.now();
    zoomDrawn.current = zoomLead.lead();
    p.onZoom(range);
  }

  // Keep the data- attributes current after every render.
  useLayoutEffect(() => {
    if (frame.current && entry.current) describe(frame.current, entry.current);
  });

  const cursorEntries = legendRows(drawn.current, cursorX, props.runNames);
  const title = metricKey;
  return (
    <figure class="metric-chart" ref={frame} aria-label={`Chart of ${title}`}>
      <figcaption class="metric-chart__caption">
        <span class="metric-chart__title">{title}</span>
        {props.zoom && (
          <button type="button" class="metric-chart__reset" onClick={() => props.onZoom?.(null)}>
            Reset zoom
          </button>
        )}
        {interpolated && (
          <span class="metric-chart__note" title="The API's buckets carry steps; their times are interpolated between the run's start and its latest update">
            times interpolated
          </span>
        )}
      </figcaption>
      <div class="metric-chart__plot" ref={plotEl} onDblClick={() => props.zoom && props.onZoom?.(null)}
        style={{ height: `${props.height ?? 240}px` }}>
        {status.state === 'loading' && <p class="metric-chart__status">Loading…</p>}
        {status.state === 'idle' && <p class="metric-chart__status">Waiting to scroll into view</p>}
        {status.state === 'empty' && <p class="metric-chart__status">No points{props.zoom ? ' in this range' : ''}</p>}
        {status.state === 'error' && <p class="metric-chart__status metric-chart__status--error" role="alert">
          {status.message}</p>}
      </div>
      {drawVersion > 0 && cursorEntries.rows.length > 0 && (
        <div class="metric-chart__legend" aria-label={`Values of ${title}`}>
          <div class="metric-chart__legend-x">{cursorX == null ? 'latest' : formatX(view.xAxis, cursorX)}</div>
          <ul>
            {cursorEntries.rows.map((r) => (
              <li key={r.runId} class={props.highlight === r.runId ? 'is-highlighted' : ''}
                onMouseEnter={() => props.onHighlight?.(r.runId)} onMouseLeave={() => props.onHighlight?.(null)}
                onFocus={() => props.onHighlight?.(r.runId)} onBlur={() => props.onHighlight?.(null)}
                tabIndex={0}>
                <RunSwatch style={styles.get(r.runId)} />
                <span class="metric-chart__run">{r.name}</span>
                <span class="metric-chart__value">{r.value}</span>
                {r.range && <span class="metric-chart__range">{r.range}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </figure>
  );
}

function legendRows(drawn: DrawnSeries[], cursorX: number | null, names?: ReadonlyMap<number, string>) {
  const rows: { runId: number; name: string; value: string; range: string | null }[] = [];
  for (const d of drawn) {
    const n = d.x.length;
    if (n === 0) continue;
    const i = cursorX == null ? n - 1 : nearestIndex(d.x, cursorX);
    const s = d.series;
    const bucketRange = s.bucketed && s.min[i] !== s.max[i]
      ? `${formatValue(s.min[i]!)} … ${formatValue(s.max[i]!)}` : null;
    rows.push({ runId: d.runId, name: names?.get(d.runId) ?? `run ${d.runId}`, value: formatValue(d.y[i]!),
      range: bucketRange });
  }
  return { rows };
}

/** uPlot's default room between y labels, in CSS pixels; the log axis' labels keep it too. */
const Y_SPACE = 30;

/**
 * A log y axis: splits at every m × 10^k, labels and grid lines at 1, 2 and 5 × 10^k (or the powers of ten), the
 * other splits as tick marks only (see logAxis.ts).
 */
function logYAxis(grid: string, note: (labels: (string | null)[]) => (string | null)[]): Partial<uPlot.Axis> {
  const pxPerDecade = (u: uPlot) => Math.abs(u.valToPos(1, 'y') - u.valToPos(10, 'y'));
  const labelled = (u: uPlot, splits: number[]) => logLabelled(splits, pxPerDecade(u), Y_SPACE);
  return {
    space: Y_SPACE,
    splits: (_u, _i, min, max, incr) => logSplits(min, max, incr),
    filter: labelled,
    grid: { stroke: grid, width: 1, filter: labelled },
    ticks: { stroke: grid, width: 1 },
    // the filtered splits, nulls and all; the full ones again to tell the linear fallback
    values: (u, shown, _i, _space, incr) =>
      note(logTickLabels(shown, logSplits(u.scales.y!.min!, u.scales.y!.max!, incr))) as string[],
  };
}

/** The y axis as wide as its widest tick label, measured in the axis' own font on the chart's canvas. */
function measuredYAxisSize(u: uPlot, values: (string | null)[] | null, axisIdx: number): number {
  if (!values) return yAxisSize(null, () => 0); // the first pass, before there are ticks
  // uPlot keeps each axis' font scaled to device pixels as [font, size]
  const font = (u.axes[axisIdx] as unknown as { font: [string, number] }).font[0];
  u.ctx.font = font;
  return yAxisSize(values, (text) => u.ctx.measureText(text).width / uPlot.pxRatio);
}

interface PendingDraw {
  start: number;
  zoomStart: number | null;
  liveStart: number | null;
}

interface Shown {
  version: number;
  out: DrawnSeries[];
  ranges: { x: [number, number]; y: [number, number] };
  logY: boolean;
  interpolated: boolean;
  pending: PendingDraw | null;
}

/** The plot's two-point stand-in series (see options()). */
function plotData(ranges: { x: [number, number]; y: [number, number] }): uPlot.AlignedData {
  return [null, [ranges.x, ranges.y]] as unknown as uPlot.AlignedData;
}

function geometry(u: uPlot, s: Shown): LayerGeometry {
  const { left, top, width, height } = u.bbox;
  const xs = u.scales.x!;
  const ys = u.scales.y!;
  return { canvasWidth: u.ctx.canvas.width, canvasHeight: u.ctx.canvas.height, left, top, width, height,
    pxRatio: uPlot.pxRatio, xMin: xs.min ?? s.ranges.x[0], xMax: xs.max ?? s.ranges.x[1],
    yMin: ys.min ?? s.ranges.y[0], yMax: ys.max ?? s.ranges.y[1], logY: s.logY };
}

/** Each run's arrays and style: its own colour and dash, faded when another run is highlighted. */
function layerRuns(out: DrawnSeries[], highlight: number | null, styles: ReadonlyMap<number, RunStyle>): LayerRun[] {
  return out.map((d) => {
    const { color, dash } = styles.get(d.runId)!;
    const on = highlight == null || highlight === d.runId;
    return { runId: d.runId, x: d.x, hi: d.series.max, lo: d.series.min, y: d.y,
      fill: withAlpha(color, on ? 0.18 : 0.04), stroke: on ? color : withAlpha(color, 0.2), dash };
  });
}
