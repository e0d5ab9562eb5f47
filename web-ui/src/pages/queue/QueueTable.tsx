import type { ClusterWorker, ItemList, Queue } from '../../api';
import { href } from '../../app/router';
import { paths } from '../../app/routes';
import type { Async } from '../../components/useAsync';
import { Empty, ErrorView, Loading } from '../../components/States';
import { ago, formatMemory } from '../../components/format';
import { labelHint, resourceHint } from './matching';

function resources(r: { cpus: number; gpus: number; memoryMb: number } | undefined): string {
  if (!r) return '—';
  return `${r.cpus} CPU${r.gpus ? `, ${r.gpus} GPU` : ''}, ${formatMemory(r.memoryMb)}`;
}

function labels(l: Record<string, string> | undefined): string {
  const entries = Object.entries(l ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : '—';
}

/**
 * The queued runs in lease order; a run no live worker can ever take says why (once the workers have loaded), under
 * what it is about: under its labels, the labels no live worker offers; under what it needs, the CPUs, GPUs or memory
 * it needs more of than the largest such worker has.
 */
export function QueueTable({ queue, workers }: { queue: Async<Queue>; workers: Async<ItemList<ClusterWorker>> }) {
  if (queue.state === 'loading') return <Loading what="Loading the queue" />;
  if (queue.state === 'error') return <ErrorView error={queue.error} retry={queue.reload} />;
  const { items, projectLimits } = queue.value;
  return (
    <>
      {items.length === 0 ? <Empty><p>No runs are waiting.</p></Empty> : (
        <div class="table-scroll">
          <table class="data" aria-labelledby="queue-title">
            <thead>
              <tr>
                <th scope="col" class="num">#</th><th scope="col" class="key">Run</th><th scope="col">Project</th>
                <th scope="col" class="num">Priority</th><th scope="col">Queued</th><th scope="col">Needs</th>
                <th scope="col">Labels</th>
              </tr>
            </thead>
            <tbody>
              {items.map((q) => {
                const need = q.labels ?? q.resources?.labels;
                const live = workers.state === 'ready' ? workers.value.items : null;
                const labelsHint = live && labelHint(need, live);
                const needsHint = live && resourceHint(need, q.resources, live);
                return (
                  <tr key={q.runId} data-run-id={q.runId}>
                    <td class="num">{q.position}</td>
                    <td class="key"><a href={href(paths.run(q.projectId, q.runId))}>{q.runName}</a></td>
                    <td><a href={href(paths.project(q.projectId))}>{q.projectName}</a></td>
                    <td class="num">{q.priority}</td>
                    <td>{ago(q.queuedAt)}</td>
                    <td class="queue-needs">
                      {resources(q.resources)}
                      {needsHint && <div class="queue-hint">{needsHint}</div>}
                    </td>
                    <td class="queue-labels">
                      {labels(need)}
                      {labelsHint && <div class="queue-hint">{labelsHint}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {projectLimits && projectLimits.length > 0 && (
        <>
          <h3>Run limits</h3>
          <div class="table-scroll">
            <table class="data">
              <thead><tr><th scope="col" class="key">Project</th><th scope="col" class="num">Running</th><th scope="col" class="num">Limit</th></tr></thead>
              <tbody>
                {projectLimits.map((l) => {
                  const limit = l.maxRunning ?? l.limit ?? l.runLimit ?? null;
                  return (
                    <tr key={l.projectId}>
                      <td class="key"><a href={href(paths.project(l.projectId))}>{l.projectName ?? `Project ${l.projectId}`}</a></td>
                      <td class="num">{l.running}</td>
                      <td class="num">{limit === null ? 'none' : limit}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
