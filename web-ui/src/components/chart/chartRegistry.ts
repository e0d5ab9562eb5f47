// What every chart has drawn, readable from a browser test or the benchmark:
//   window.__trainyardCharts.list()          -> [{ id, key, runIds, state, draws, query, ink, grid, yLabels }] (ink,
//                                               grid: the colours the plot's axes and grid were drawn in; yLabels:
//                                               the y axis' tick labels, null for a tick without one)
//   window.__trainyardCharts.get(id).series() -> [{ runId, count, bucketed, step, min, max, last, x, y, dash }] as
//                                               plain arrays (NaN stays NaN), exactly what was drawn
// and on the chart's element: data-chart-id, data-chart-key, data-chart-state (loading | drawn | empty | error),
// data-chart-runs ("1,2"), data-chart-points ("1:1000,2:998" — entries drawn per run), data-chart-draws,
// data-chart-query (the last series query URL).
import type { RunSeries } from './seriesArrays';

export interface DrawnSeries {
  runId: number;
  series: RunSeries;
  x: Float64Array;
  y: Float64Array;
  /** the line's dash pattern (empty: solid) */
  dash: readonly number[];
}

export interface ChartEntry {
  id: string;
  key: string;
  runIds: number[];
  state: string;
  draws: number;
  query: string | null;
  /** the colour of the axes and their labels, and of the grid, as the plot was made with (null before) */
  ink: string | null;
  grid: string | null;
  /** the y axis' tick labels as last drawn, null for a tick without a label (a log axis' minor ticks) */
  yLabels: (string | null)[];
  drawn: DrawnSeries[];
}

export interface ChartRegistry {
  list(): Omit<ChartEntry, 'drawn'>[];
  get(id: string): { series(): unknown[] } | undefined;
  byKey(key: string): { series(): unknown[] } | undefined;
}

const entries = new Map<string, ChartEntry>();

function plain(e: ChartEntry) {
  return {
    series: () => e.drawn.map((d) => ({
      runId: d.runId,
      count: d.series.count,
      bucketed: d.series.bucketed,
      step: Array.from(d.series.step),
      min: Array.from(d.series.min),
      max: Array.from(d.series.max),
      last: Array.from(d.series.last),
      x: Array.from(d.x),
      y: Array.from(d.y),
      dash: [...d.dash],
    })),
  };
}

const registry: ChartRegistry = {
  list: () => [...entries.values()].map(({ drawn: _drawn, ...rest }) => ({ ...rest, runIds: [...rest.runIds], yLabels: [...rest.yLabels] })),
  get: (id) => {
    const e = entries.get(id);
    return e ? plain(e) : undefined;
  },
  byKey: (key) => {
    for (const e of entries.values()) if (e.key === key) return plain(e);
    return undefined;
  },
};

declare global {
  interface Window {
    __trainyardCharts?: ChartRegistry;
  }
}

if (typeof window !== 'undefined') window.__trainyardCharts = registry;

let nextId = 1;

export function registerChart(key: string): ChartEntry {
  const e: ChartEntry = { id: `chart-${nextId++}`, key, runIds: [], state: 'idle', draws: 0, query: null, ink: null, grid: null,
    yLabels: [], drawn: [] };
  entries.set(e.id, e);
  return e;
}

export function unregisterChart(e: ChartEntry): void {
  entries.delete(e.id);
}

/** Mirrors an entry onto its element's data- attributes. */
export function describe(el: HTMLElement, e: ChartEntry): void {
  el.dataset.chartId = e.id;
  el.dataset.chartKey = e.key;
  el.dataset.chartState = e.state;
  el.dataset.chartRuns = e.runIds.join(',');
  el.dataset.chartPoints = e.drawn.map((d) => `${d.runId}:${d.x.length}`).join(',');
  el.dataset.chartDraws = String(e.draws);
  if (e.query) el.dataset.chartQuery = e.query;
}
