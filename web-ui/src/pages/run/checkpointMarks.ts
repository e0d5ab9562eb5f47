// Which checkpoint is the latest, and which is best for each metric they carry.
import type { Checkpoint, JsonValue } from '../../api';

export type Mode = 'min' | 'max';

/** A metric is minimised when the spec says so, or when its name says loss or error; else maximised. */
export function modeOf(metric: string, keepBest?: { metric: string; mode: Mode } | null): Mode {
  if (keepBest && keepBest.metric === metric) return keepBest.mode;
  return /loss|error|perplexity/i.test(metric) ? 'min' : 'max';
}

/** The spec's checkpoint.keepBest, when it has one. */
export function keepBestOf(spec: JsonValue | undefined): { metric: string; mode: Mode } | null {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return null;
  const cp = spec.checkpoint;
  if (!cp || typeof cp !== 'object' || Array.isArray(cp)) return null;
  const kb = cp.keepBest;
  if (!kb || typeof kb !== 'object' || Array.isArray(kb)) return null;
  const metric = kb.metric;
  const mode = kb.mode;
  return typeof metric === 'string' && (mode === 'min' || mode === 'max') ? { metric, mode } : null;
}

/** Marks per checkpoint id: 'latest' for the highest step, 'best <metric>' for each metric's best. */
export function checkpointMarks(items: readonly Checkpoint[], spec?: JsonValue): Map<number, string[]> {
  const marks = new Map<number, string[]>();
  const add = (id: number, m: string) => marks.set(id, [...(marks.get(id) ?? []), m]);
  if (items.length === 0) return marks;
  let latest = items[0]!;
  for (const c of items) if (c.step > latest.step || (c.step === latest.step && c.id > latest.id)) latest = c;
  add(latest.id, 'latest');
  const keepBest = keepBestOf(spec);
  const metricNames = new Set<string>();
  for (const c of items) for (const k of Object.keys(c.metrics ?? {})) metricNames.add(k);
  for (const m of [...metricNames].sort()) {
    const mode = modeOf(m, keepBest);
    let best: Checkpoint | null = null;
    for (const c of items) {
      const v = c.metrics?.[m];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const bv = best?.metrics[m];
      if (best == null || bv === undefined || (mode === 'min' ? v < bv : v > bv)) best = c;
    }
    if (best) add(best.id, `best ${m}`);
  }
  return marks;
}
