// The run's summary, as W&B's run summary and MLflow's metrics table show it: per metric key its last value and
// step, and for losses and accuracies the best value the run reached.
import type { MetricSummary } from '../../api';
import { chartOrder } from '../../components/chart/chartOrder';
import { wireToNumber } from '../../components/chart/seriesArrays';

export type BestRule = 'min' | 'max';

export interface SummaryRow {
  key: string;
  last: number;
  step: number;
  best: { rule: BestRule; value: number } | null;
}

/**
 * Which value of a key is its best, from the words of its name (split at anything but letters and digits): the
 * lowest for a loss or an error (`loss`, `val/loss`, `nll_loss`, `error`), the highest for an accuracy (`acc`,
 * `val_accuracy`); none for anything else, the worker's system metrics included.
 */
export function bestRule(key: string): BestRule | null {
  if (key.startsWith('system/')) return null;
  const words = key.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => w.endsWith('loss') || w === 'error' || w === 'err')) return 'min';
  if (words.some((w) => w === 'acc' || w === 'accuracy')) return 'max';
  return null;
}

/** One row per key, in the charts' order (system/* last). */
export function summaryRows(byKey: ReadonlyMap<string, MetricSummary>): SummaryRow[] {
  return chartOrder(byKey.keys()).map((key) => {
    const s = byKey.get(key)!;
    const rule = bestRule(key);
    return {
      key, last: wireToNumber(s.last), step: s.step,
      best: rule && { rule, value: wireToNumber(rule === 'min' ? s.min : s.max) },
    };
  });
}

/** The keys' summaries, a live event's newer ones in place of those the page loaded. */
export function mergeSummaries(loaded: readonly (MetricSummary & { key: string })[],
  live: ReadonlyMap<string, MetricSummary>): Map<string, MetricSummary> {
  const out = new Map<string, MetricSummary>(loaded.map((s) => [s.key, s]));
  for (const [key, s] of live) {
    const had = out.get(key);
    if (!had || s.step >= had.step) out.set(key, s);
  }
  return out;
}
