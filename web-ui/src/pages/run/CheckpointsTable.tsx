import { useState } from 'preact/hooks';
import { checkpoints as checkpointsApi, type Checkpoint, type JsonValue } from '../../api';
import { Empty } from '../../components/States';
import { checkpointMarks } from './checkpointMarks';

const SHOWN = 10;

function metricText(v: number | null | undefined): string {
  if (v == null) return '—';
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function CheckpointsTable({ projectId, runId, items, spec }: {
  projectId: number; runId: number; items: readonly Checkpoint[]; spec: JsonValue;
}) {
  const [showAll, setShowAll] = useState(false);
  if (items.length === 0) return <Empty>No checkpoints yet.</Empty>;
  const marks = checkpointMarks(items, spec);
  const metricNames = [...new Set(items.flatMap((c) => Object.keys(c.metrics ?? {})))].sort();
  const sorted = [...items].sort((a, b) => b.step - a.step);
  // the newest ten and every marked one, unless all are asked for
  const shown = showAll ? sorted : sorted.filter((c, i) => i < SHOWN || marks.has(c.id));
  return (
    <div class="table-scroll">
      <table class="data checkpoints-table" aria-label="Checkpoints">
        <thead>
          <tr>
            <th scope="col" class="num key">Step</th>
            <th scope="col" class="num">Epoch</th>
            {metricNames.map((m) => <th key={m} scope="col" class="num">{m}</th>)}
            <th scope="col" class="num">Size</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Marks</th>
            <th scope="col">Download</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.id} data-checkpoint-id={c.id} data-sha256={c.sha256}>
              <td class="num key">{c.step}</td>
              <td class="num">{c.epoch ?? '—'}</td>
              {metricNames.map((m) => <td key={m} class="num">{metricText(c.metrics?.[m])}</td>)}
              <td class="num">{size(c.sizeBytes)}</td>
              <td class="mono" title={c.sha256}>{c.sha256.slice(0, 12)}…</td>
              <td class="checkpoint-marks">{(marks.get(c.id) ?? []).map((m) => <span key={m} class="tag">{m}</span>)}</td>
              <td>
                <a href={checkpointsApi.contentUrl(projectId, runId, c.id)} download={c.filename}
                  class="checkpoint-download" title={`Download the checkpoint of step ${c.step}`}>
                  {c.filename}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length < sorted.length && (
        <button type="button" class="link-button" onClick={() => setShowAll(true)}>
          Show all {sorted.length} checkpoints
        </button>
      )}
    </div>
  );
}
