// The compare page's table of metric values: a row per key, a column per run, each run's last value, and for the
// keys whose best is known (losses lowest, accuracies highest: bestRule) which run leads, as MLflow's compare view
// and W&B's runs table let a reader see at once.
import type { MetricSummary } from '../../api';
import { wireToNumber } from '../../components/chart/seriesArrays';
import { bestRule, type BestRule } from '../run/metricSummary';

export interface MetricCell {
  /** the run's last value of the key (NaN: the run has none) */
  last: number;
  step: number;
  min: number;
  max: number;
}

export interface MetricTableRow {
  key: string;
  rule: BestRule | null;
  /** one per run, in the runs' order; null where the run has no value of the key */
  cells: (MetricCell | null)[];
  /** the runs (ids) whose last value is the best of the row; empty when fewer than two runs have one, or no rule */
  leaders: number[];
}

/** The rows for the keys (in the charts' order) over the runs (in the page's order). */
export function metricTableRows(keys: readonly string[], runIds: readonly number[],
    byRun: ReadonlyMap<number, Readonly<Record<string, MetricSummary>>>): MetricTableRow[] {
  return keys.map((key) => {
    const rule = bestRule(key);
    const cells = runIds.map((id): MetricCell | null => {
      const s = byRun.get(id)?.[key];
      return s ? { last: wireToNumber(s.last), step: s.step, min: wireToNumber(s.min), max: wireToNumber(s.max) } : null;
    });
    const values = cells.map((c) => (c && !Number.isNaN(c.last) ? c.last : NaN));
    const present = values.filter((v) => !Number.isNaN(v));
    let leaders: number[] = [];
    if (rule && present.length >= 2) {
      const best = rule === 'min' ? Math.min(...present) : Math.max(...present);
      leaders = runIds.filter((_, i) => values[i] === best);
      // every run the same: nobody leads
      if (leaders.length === present.length) leaders = [];
    }
    return { key, rule, cells, leaders };
  });
}
