// The compare page's pure parts: which params differ, axes over param and metric values, brushing.
import type { JsonValue } from '../../api';
import { chartOrder } from '../../components/chart/chartOrder';

export const MAX_COMPARE_RUNS = 100;

export interface CompareRun {
  id: number;
  name: string;
  params: Record<string, JsonValue>;
  /** latest value per metric key (NaN when not finite or missing) */
  metrics: Record<string, number>;
}

/** runs=3,1,2 -> [3, 1, 2]: order kept, duplicates and non-ids dropped. */
export function parseRunIds(text: string | null): { ids: number[]; tooMany: boolean; invalid: string[] } {
  const ids: number[] = [];
  const invalid: string[] = [];
  for (const part of (text ?? '').split(',')) {
    const t = part.trim();
    if (!t) continue;
    if (!/^\d+$/.test(t) || Number(t) < 1 || !Number.isSafeInteger(Number(t))) {
      invalid.push(t);
      continue;
    }
    const id = Number(t);
    if (!ids.includes(id)) ids.push(id);
  }
  return { ids: ids.slice(0, MAX_COMPARE_RUNS), tooMany: ids.length > MAX_COMPARE_RUNS, invalid };
}

/** The runs= parameter with the run added at the end (unchanged when it is there already). */
export function withRun(runs: string | null, id: number): string {
  const parts = (runs ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (parseRunIds(runs).ids.includes(id)) return parts.join(',');
  return [...parts, String(id)].join(',');
}

/** The runs= parameter without these ids, the rest as written. */
export function withoutRuns(runs: string | null, drop: readonly number[]): string {
  return (runs ?? '').split(',').filter((t) => t.trim() && !drop.includes(Number(t.trim()))).join(',');
}

/**
 * What the Add run box asks the runs list for: "#12" the run with id 12, "12" that run and the runs whose name
 * contains 12, anything else the runs whose name contains it.
 */
export function runSearch(text: string): { id: number | null; name: string | null } | null {
  const t = text.trim();
  if (!t) return null;
  const m = /^(#)?(\d{1,15})$/.exec(t);
  const id = m && Number(m[2]) >= 1 ? Number(m[2]) : null;
  return { id, name: m?.[1] ? null : t };
}

/** The runs a search found, the one with the id asked for first, without duplicates and the runs compared already. */
export function searchMatches<R extends { id: number }>(byId: readonly R[], byName: readonly R[],
    compared: readonly number[], max: number): R[] {
  const out: R[] = [];
  for (const r of [...byId, ...byName]) {
    if (out.length === max) break;
    if (!compared.includes(r.id) && !out.some((o) => o.id === r.id)) out.push(r);
  }
  return out;
}

/**
 * The metric keys to chart: every key any of the runs has (a run without a key just has no line on its chart), as
 * W&B does; charting only the keys all runs share hid a key as soon as one run lacked it.
 */
export function chartKeys(summaries: readonly { metrics: Record<string, unknown> }[]): string[] {
  const keys = new Set<string>();
  for (const s of summaries) for (const k of Object.keys(s.metrics)) keys.add(k);
  return chartOrder(keys);
}

export function paramText(v: JsonValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Every param key of the runs, sorted; with onlyDiffering, those whose values are not all the same. */
export function paramKeys(runs: readonly CompareRun[], onlyDiffering: boolean): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.params)) keys.add(k);
  const sorted = [...keys].sort();
  if (!onlyDiffering) return sorted;
  return sorted.filter((k) => new Set(runs.map((r) => paramText(r.params[k]))).size > 1);
}

/** What the params table shows: its rows, its name, whether it offers the all/differing switch, its empty text. */
export interface ParamsView {
  keys: string[];
  label: string;
  toggle: boolean;
  /** the text instead of the table when it has no rows */
  empty: string | null;
}

/**
 * The params table: one run's every param (with nothing to differ from, "every param is the same" said nothing about
 * the run); of more runs, the params that differ, or all of them when asked.
 */
export function paramsView(runs: readonly CompareRun[], showAll: boolean): ParamsView {
  const one = runs.length === 1;
  const keys = paramKeys(runs, !showAll && !one);
  const empty = keys.length > 0 ? null
    : one ? 'This run has no params.'
      : paramKeys(runs, false).length === 0 ? 'These runs have no params.' : 'Every param is the same in these runs.';
  return { keys, label: one ? 'Params' : showAll ? 'All params' : 'Differing params', toggle: !one, empty };
}

/** An axis over one param or metric: numeric when every present value is a number, else categorical. */
export interface Axis {
  id: string;
  label: string;
  kind: 'number' | 'category';
  /** number axes */
  min: number;
  max: number;
  log: boolean;
  /** category axes, in sorted order */
  categories: string[];
  /** a run's value on the axis as a position in [0, 1] (0 = bottom), or NaN when it has none */
  position(run: CompareRun): number;
  /** the run's value as text */
  text(run: CompareRun): string;
}

function numberOf(v: JsonValue | undefined): number {
  return typeof v === 'number' ? v : NaN;
}

export function paramAxis(key: string, runs: readonly CompareRun[]): Axis {
  const values = runs.map((r) => r.params[key]).filter((v) => v !== undefined && v !== null);
  const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
  if (numeric) return numberAxis(`param.${key}`, key, runs.map((r) => numberOf(r.params[key])),
    (r) => numberOf(r.params[key]), (r) => paramText(r.params[key]));
  const categories = [...new Set(values.map((v) => paramText(v)))].sort();
  return {
    id: `param.${key}`, label: key, kind: 'category', min: 0, max: Math.max(0, categories.length - 1), log: false,
    categories,
    position: (r) => {
      const v = r.params[key];
      if (v === undefined || v === null) return NaN;
      const i = categories.indexOf(paramText(v));
      return categories.length === 1 ? 0.5 : i / (categories.length - 1);
    },
    text: (r) => paramText(r.params[key]),
  };
}

export function metricAxis(key: string, runs: readonly CompareRun[]): Axis {
  const get = (r: CompareRun) => r.metrics[key] ?? NaN;
  return numberAxis(`metric.${key}`, key, runs.map(get), get, (r) => formatNumber(get(r)));
}

function numberAxis(id: string, label: string, values: number[], get: (r: CompareRun) => number,
    text: (r: CompareRun) => string): Axis {
  const finite = values.filter((v) => Number.isFinite(v));
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 1;
  // learning rates and the like span decades: a log axis when all are positive and span more than 20x
  const log = min > 0 && max / min > 20;
  const f = (v: number) => (log ? Math.log10(v) : v);
  const lo = f(min);
  const hi = f(max);
  return {
    id, label, kind: 'number', min, max, log, categories: [],
    position: (r) => {
      const v = get(r);
      if (!Number.isFinite(v) || (log && v <= 0)) return NaN;
      return hi === lo ? 0.5 : (f(v) - lo) / (hi - lo);
    },
    text,
  };
}

/** Where on an axis a position in [0, 1] lies, as text for tick labels and brush readouts. */
export function axisValueAt(axis: Axis, position: number): string {
  if (axis.kind === 'category') {
    const n = axis.categories.length;
    return n === 0 ? '' : axis.categories[Math.round(position * (n - 1))] ?? '';
  }
  if (axis.max === axis.min) return formatNumber(axis.min);
  if (axis.log) {
    const lo = Math.log10(axis.min);
    const hi = Math.log10(axis.max);
    return formatNumber(Math.pow(10, lo + position * (hi - lo)));
  }
  return formatNumber(axis.min + position * (axis.max - axis.min));
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '—' : v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** A brush on an axis: the runs whose position lies in [from, to] (positions, 0 = bottom). */
export interface Brush {
  axis: string;
  from: number;
  to: number;
}

/** The runs inside every brush (a run without a value on a brushed axis is outside). */
export function brushed(runs: readonly CompareRun[], axes: readonly Axis[], brushes: readonly Brush[]): CompareRun[] {
  const active = brushes.map((b) => ({ b, axis: axes.find((a) => a.id === b.axis) })).filter((x) => x.axis);
  if (active.length === 0) return [...runs];
  return runs.filter((r) => active.every(({ b, axis }) => {
    const p = axis!.position(r);
    return p >= Math.min(b.from, b.to) - 1e-9 && p <= Math.max(b.from, b.to) + 1e-9;
  }));
}

/** brush=param.lr:0.2:0.8,metric.loss:0:0.5 */
export function brushesFromQuery(text: string | null): Brush[] {
  const out: Brush[] = [];
  for (const part of (text ?? '').split(',')) {
    const m = /^(.+):([0-9.]+):([0-9.]+)$/.exec(part);
    if (!m) continue;
    const from = Number(m[2]);
    const to = Number(m[3]);
    if (Number.isFinite(from) && Number.isFinite(to)) out.push({ axis: m[1]!, from, to });
  }
  return out;
}

export function brushesToQuery(brushes: readonly Brush[]): string | null {
  if (brushes.length === 0) return null;
  return brushes.map((b) => `${b.axis}:${b.from.toFixed(3)}:${b.to.toFixed(3)}`).join(',');
}
