import type { ClusterWorker, ItemList } from '../../api';
import { href } from '../../app/router';
import { paths } from '../../app/routes';
import type { Async } from '../../components/useAsync';
import { Empty, ErrorView, Loading } from '../../components/States';
import { formatMemory } from '../../components/format';

function devices(d: { cpus: number; memoryMb: number; gpus?: { model: string }[] | null } | undefined): string {
  if (!d) return '—';
  const gpus = d.gpus?.length ? `, ${d.gpus.length} GPU (${[...new Set(d.gpus.map((g) => g.model))].join(', ')})` : '';
  return `${d.cpus} CPU, ${formatMemory(d.memoryMb)}${gpus}`;
}

function free(f: ClusterWorker['free'] | undefined): string {
  if (!f) return '—';
  const gpus = 'gpuIndices' in f && f.gpuIndices ? f.gpuIndices.length : 'gpus' in f && f.gpus ? f.gpus.length : 0;
  return `${f.cpus} CPU, ${formatMemory(f.memoryMb)}${gpus ? `, ${gpus} GPU` : ''}`;
}

function heartbeat(w: ClusterWorker): string {
  const s = w.heartbeatAgeSeconds;
  if (s === null || s === undefined) return '—';
  return s < 60 ? `${Math.round(s)} s ago` : `${Math.round(s / 60)} min ago`;
}

export function WorkersTable({ workers }: { workers: Async<ItemList<ClusterWorker>> }) {
  if (workers.state === 'loading') return <Loading what="Loading workers" />;
  if (workers.state === 'error') return <ErrorView error={workers.error} retry={workers.reload} />;
  if (workers.value.items.length === 0) {
    return <Empty><p>No workers are connected. Start one with <code>./trainyard worker</code>.</p></Empty>;
  }
  return (
    <div class="table-scroll">
      <table class="data" aria-labelledby="workers-title">
        <thead>
          <tr>
            <th scope="col" class="key">Worker</th><th scope="col">Status</th><th scope="col">Labels</th><th scope="col">Devices</th>
            <th scope="col">Free</th><th scope="col">Runs</th><th scope="col">Heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {workers.value.items.map((w) => (
            <tr key={w.id}>
              <td class="key">{w.name}<div class="muted mono">{w.id}</div></td>
              <td>{w.status.toLowerCase()}</td>
              <td>{Object.entries(w.labels ?? {}).map(([k, v]) => <span class="tag" key={k}>{k}={v}</span>)}</td>
              <td class="worker-devices">{devices(w.devices)}</td>
              <td>{free(w.free)}</td>
              <td>
                {(w.runs ?? []).map((r) => (
                  <div key={r.id}><a href={href(paths.run(r.projectId, r.id))}>{r.name}</a> <span class="muted">attempt {r.attempt}</span></div>
                ))}
                {w.otherRuns > 0 && <div class="muted">{w.otherRuns} in projects you cannot see</div>}
                {(w.runs ?? []).length === 0 && !w.otherRuns && <span class="muted">idle</span>}
              </td>
              <td>{heartbeat(w)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
