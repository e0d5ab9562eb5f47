import { formatValue } from '../../components/chart/formatValue';
import type { RunStyle } from '../../components/chart/colors';
import { RunSwatch } from '../../components/chart/RunSwatch';
import type { CompareRun } from './compareModel';
import type { MetricTableRow } from './metricRows';

interface Props {
  runs: readonly CompareRun[];
  rows: readonly MetricTableRow[];
  styles: ReadonlyMap<number, RunStyle>;
  /** the runs inside the brushes (the others are struck through, as in the params table) */
  selected: ReadonlySet<number>;
}

/** Each run's last value of every metric key, the best run of losses and accuracies marked in words and bold. */
export function MetricTable({ runs, rows, styles, selected }: Props) {
  return (
    <>
    {/* focusable: with many runs the table scrolls sideways, and keyboard users scroll it with the arrow keys */}
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Metric values of the runs">
      <table class="data compare-table metric-table" aria-describedby="metric-table-rule">
        <thead>
          <tr>
            <th scope="col" class="key">Metric (last value)</th>
            {runs.map((r) => (
              <th key={r.id} scope="col" class={selected.has(r.id) ? 'num' : 'num is-filtered'}>
                <RunSwatch style={styles.get(r.id)} /> {r.name} <span class="muted">#{r.id}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-metric={row.key}>
              <th scope="row" class="mono key">
                {row.key}
                {row.rule && <span class="muted metric-table__rule"> {row.rule === 'min' ? 'lower is better' : 'higher is better'}</span>}
              </th>
              {row.cells.map((c, i) => {
                const id = runs[i]!.id;
                if (!c) return <td key={id} class="num muted">—</td>;
                const lead = row.leaders.includes(id);
                return (
                  <td key={id} class={lead ? 'num is-best' : 'num'} data-run={id}
                    title={`step ${c.step}; min ${formatValue(c.min)}, max ${formatValue(c.max)}`}>
                    {formatValue(c.last)}
                    {lead && <>{' '}<span class="best-badge">best</span></>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
      <p class="muted metric-table__note" id="metric-table-rule">
        Each run's last value. Best: the lowest last value of a key naming a loss or an error, the highest of one naming
        acc or accuracy.
      </p>
    </>
  );
}
