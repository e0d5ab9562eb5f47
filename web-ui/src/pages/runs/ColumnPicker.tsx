import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { metrics, errorText } from '../../api';

interface Props {
  projectId: number;
  /** Param names seen in the loaded runs. */
  paramKeys: string[];
  columns: string[];
  onChange: (columns: string[]) => void;
}

const SHOWN = 80;

/**
 * Chooses param and metric columns among thousands of keys: metric keys come from the API by prefix (and are
 * then searched by substring), param keys from the loaded runs.
 */
export function ColumnPicker({ projectId, paramKeys, columns, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [metricKeys, setMetricKeys] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const [truncated, setTruncated] = useState(false);

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    const controller = new AbortController();
    metrics.keys(projectId, { limit: 1000 }, controller.signal).then((page) => {
      setMetricKeys(page.items);
      setTruncated(page.nextCursor !== null);
    }, (e) => !(e instanceof DOMException) && setError(errorText(e)));
    return () => controller.abort();
  }, [open, projectId]);

  // more than a page of metric keys: the API finds those starting with the search text
  useEffect(() => {
    const prefix = search.trim();
    if (!open || !truncated || !prefix) return;
    const controller = new AbortController();
    const t = setTimeout(() => metrics.keys(projectId, { limit: 1000, prefix }, controller.signal).then(
      (page) => setMetricKeys((known) => [...new Set([...known, ...page.items])].sort()),
      (e) => !(e instanceof DOMException) && setError(errorText(e)),
    ), 250);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [search, truncated, open, projectId]);

  const all = useMemo(() => [
    ...metricKeys.map((k) => `metric.${k}`),
    ...paramKeys.map((k) => `param.${k}`),
  ], [metricKeys, paramKeys]);
  const needle = search.trim().toLowerCase();
  const matches = needle ? all.filter((k) => k.toLowerCase().includes(needle)) : all;

  const toggle = (k: string) =>
    onChange(columns.includes(k) ? columns.filter((c) => c !== k) : [...columns, k]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div class="column-picker">
      <button type="button" ref={button} aria-expanded={open} aria-controls="column-picker-panel"
        onClick={() => (open ? close() : setOpen(true))}>
        Columns{columns.length ? ` (${columns.length})` : ''}
      </button>
      {open && (
        <div id="column-picker-panel" class="popover" role="dialog" aria-label="Choose columns"
          onKeyDown={(e) => e.key === 'Escape' && close()}>
          <label class="stacked">Search params and metrics
            <input ref={input} type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)}
              placeholder="lr, accuracy, optimizer…" />
          </label>
          {error && <p class="error" role="alert">{error}</p>}
          <p class="muted" aria-live="polite">
            {matches.length} of {all.length} keys{matches.length > SHOWN ? `; the first ${SHOWN} shown, type to narrow` : ''}
          </p>
          <ul class="key-list">
            {matches.slice(0, SHOWN).map((k) => (
              <li key={k}>
                <label>
                  <input type="checkbox" checked={columns.includes(k)} onChange={() => toggle(k)} />
                  <span class="muted">{k.startsWith('metric.') ? 'metric' : 'param'}</span> {k.replace(/^(param|metric)\./, '')}
                </label>
              </li>
            ))}
          </ul>
          <div class="toolbar">
            {columns.length > 0 && <button type="button" onClick={() => onChange([])}>Clear columns</button>}
            <span class="spacer" />
            <button type="button" onClick={close}>Done</button>
          </div>
        </div>
      )}
    </div>
  );
}
