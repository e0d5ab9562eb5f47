import { formatValue } from '../../components/chart/formatValue';
import type { SummaryRow } from './metricSummary';

/** The run's summary: per metric key the last value and its step, and the best of losses and accuracies. */
export function MetricSummaryTable({ rows }: { rows: SummaryRow[] }) {
  return (
    <div class="table-scroll">
      <table class="data metric-summary" aria-describedby="metric-summary-rule">
        <caption class="visually-hidden">Metrics summary</caption>
        <thead>
          <tr>
            <th scope="col" class="key">Metric</th><th scope="col" class="num">Last</th><th scope="col" class="num">Step</th>
            <th scope="col" class="num">Best</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" class="mono key">{r.key}</th>
              <td class="num">{formatValue(r.last)}</td>
              <td class="num">{r.step}</td>
              <td class="num">{r.best && `${formatValue(r.best.value)} (${r.best.rule})`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted metric-summary__rule" id="metric-summary-rule">
        Best: the lowest value of a key naming a loss or an error, the highest of one naming acc or accuracy.
      </p>
    </div>
  );
}
