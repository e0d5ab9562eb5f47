// A run's life: submitted, each attempt on its worker (start, end, duration, outcome and the failure's reason),
// finished.
import type { Run } from '../../api';
import { formatDuration } from '../../components/chart/xAxis';
import { formatMemory } from '../../components/format';

function time(t: string | null | undefined): string {
  return t ? new Date(t).toLocaleString() : '—';
}

function duration(from: string | null | undefined, to: string | null | undefined, now: number): string {
  if (!from) return '—';
  const end = to ? Date.parse(to) : now;
  return formatDuration((end - Date.parse(from)) / 1000) + (to ? '' : ' so far');
}

export function StatusTimeline({ run, now }: { run: Run; now: number }) {
  const attempts = run.attempts ?? [];
  return (
    <div class="status-timeline">
      <ol class="timeline" aria-label="Status timeline">
        <li>
          <span class="timeline__what">Submitted</span> <time dateTime={run.createdAt}>{time(run.createdAt)}</time>
          {run.createdBy && <span class="muted"> by {run.createdBy}</span>}
          {run.clonedFrom != null && <span class="muted"> (clone of run #{run.clonedFrom})</span>}
        </li>
        {attempts.map((a) => (
          <li key={a.attempt} class={`timeline__attempt outcome-${a.outcome ?? 'RUNNING'}`}>
            <span class="timeline__what">Attempt {a.attempt}</span>{' '}
            on <span class="mono">{a.workerId ?? 'no worker'}</span>,{' '}
            <time dateTime={a.startedAt ?? undefined}>{time(a.startedAt)}</time> →{' '}
            {a.endedAt ? <time dateTime={a.endedAt}>{time(a.endedAt)}</time> : 'now'}{' '}
            ({duration(a.startedAt, a.endedAt, now)}){' '}
            <span class={`status status-${a.outcome ?? 'RUNNING'}`}>{a.outcome ?? 'RUNNING'}</span>
            {a.reason && <div class="timeline__reason" role="note">{a.reason}</div>}
          </li>
        ))}
        {run.finishedAt && (
          <li>
            <span class="timeline__what">Finished</span> <time dateTime={run.finishedAt}>{time(run.finishedAt)}</time>{' '}
            <span class={`status status-${run.status}`}>{run.status}</span>
            {run.startedAt && <span class="muted"> after {duration(run.startedAt, run.finishedAt, now)}</span>}
          </li>
        )}
      </ol>
      {attempts.length === 0 && run.status === 'QUEUED' && (
        <p class="muted">Waiting in the queue for a worker with {run.resources.cpus} CPU(s), {formatMemory(run.resources.memoryMb)}
          {run.resources.gpus > 0 ? ` and ${run.resources.gpus} GPU(s)` : ''}.</p>
      )}
    </div>
  );
}
