import { RUN_STATUSES, type RunCounts as Counts } from '../api';

/** Run counts by status, the zero ones left out ("no runs" when all are). */
export function RunCounts({ counts }: { counts: Counts | undefined }) {
  if (!counts) return <span class="muted">—</span>;
  const shown = RUN_STATUSES.filter((s) => (counts[s] ?? 0) > 0);
  if (shown.length === 0) return <span class="muted">no runs</span>;
  return (
    <span class="run-counts">
      {shown.map((s) => (
        <span key={s} class={`status status-${s}`} title={`${counts[s]} ${s.toLowerCase()}`}>
          {counts[s]} {s.toLowerCase()}
        </span>
      ))}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status.toLowerCase()}</span>;
}
