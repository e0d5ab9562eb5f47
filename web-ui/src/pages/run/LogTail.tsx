// The end of a run's log, following new lines over Server-Sent Events while the run writes them.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { logs as logsApi, type LogLine } from '../../api';

const KEEP = 2000;

export function LogTail({ projectId, runId }: { projectId: number; runId: number }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [follow, setFollow] = useState(true);
  const [state, setState] = useState<'connecting' | 'open' | 'closed'>('connecting');
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setLines([]);
    const es = logsApi.follow(projectId, runId, { tail: 200 });
    es.addEventListener('open', () => setState('open'));
    es.addEventListener('error', () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'connecting'));
    es.addEventListener('snapshot', () => setLines([]));
    es.addEventListener('logs', (ev) => {
      const data = JSON.parse((ev as MessageEvent).data) as { lines?: LogLine[] };
      const added = data.lines ?? [];
      if (added.length === 0) return;
      setLines((old) => {
        const last = old.length ? old[old.length - 1]!.seq : -Infinity;
        const fresh = added.filter((l) => l.seq > last);
        const next = old.concat(fresh);
        return next.length > KEEP ? next.slice(next.length - KEEP) : next;
      });
    });
    return () => es.close();
  }, [projectId, runId]);

  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  return (
    <div class="log-tail">
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} />
          Follow the end
        </label>
        <span class="muted" role="status">{state === 'open' ? 'live' : state === 'connecting' ? 'connecting…' : 'disconnected'}</span>
        <span class="muted">{lines.length} line{lines.length === 1 ? '' : 's'}</span>
      </div>
      <pre ref={box} class="log-tail__lines" tabIndex={0} aria-label="Log" data-lines={lines.length}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
          if (atEnd !== follow) setFollow(atEnd);
        }}>
        {lines.length === 0 ? <span class="muted">No log lines yet.</span> : lines.map((l) => (
          <div key={l.seq} class={l.stream === 'stderr' ? 'log-line log-line--err' : 'log-line'}>{l.text}</div>
        ))}
      </pre>
    </div>
  );
}
