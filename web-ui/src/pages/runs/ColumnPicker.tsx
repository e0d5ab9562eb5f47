import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../api';
import { appendPage, columnIds, fetchKeys, type KeyResults } from './keySearch';

interface Props {
  projectId: number;
  columns: string[];
  onChange: (columns: string[]) => void;
}

const KINDS: KeyResults['kind'][] = ['metric', 'param'];

/**
 * Chooses param and metric columns among thousands of keys: the API searches the project's metric and param keys
 * (names containing the text, ignoring case) and pages them, so nothing here grows with the number of keys.
 */
export function ColumnPicker({ projectId, columns, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<KeyResults[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const more = useRef<AbortController | null>(null);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  // the first page of each kind for the search text, a moment after typing stops
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const q = search.trim();
    const t = setTimeout(() => {
      Promise.all(KINDS.map((kind) => fetchKeys(projectId, kind, q, null, controller.signal))).then((pages) => {
        setError(null);
        setResults(KINDS.map((kind, i) => ({ kind, items: pages[i]!.items, cursor: pages[i]!.nextCursor })));
      }, (e) => !(e instanceof DOMException) && setError(errorText(e)));
    }, q ? 200 : 0);
    return () => {
      clearTimeout(t);
      controller.abort();
      more.current?.abort();
    };
  }, [open, search, projectId]);

  const loadMore = (kind: KeyResults['kind'], cursor: string) => {
    more.current?.abort();
    const controller = new AbortController();
    more.current = controller;
    fetchKeys(projectId, kind, search.trim(), cursor, controller.signal).then(
      (page) => setResults((r) => (r ? appendPage(r, kind, page) : r)),
      (e) => !(e instanceof DOMException) && setError(errorText(e)),
    );
  };

  const matches = results ? columnIds(results) : [];
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
            {results === null ? 'Searching…'
              : `${matches.length}${results.some((r) => r.cursor) ? '+' : ''} `
                + (search.trim() ? `${matches.length === 1 ? 'key contains' : 'keys contain'} “${search.trim()}”`
                  : matches.length === 1 ? 'key' : 'keys')}
          </p>
          <ul class="key-list">
            {matches.map((k) => (
              <li key={k}>
                <label>
                  <input type="checkbox" checked={columns.includes(k)} onChange={() => toggle(k)} />
                  <span class="muted">{k.startsWith('metric.') ? 'metric' : 'param'}</span> {k.replace(/^(param|metric)\./, '')}
                </label>
              </li>
            ))}
          </ul>
          <div class="toolbar">
            {results?.map((r) => r.cursor && (
              <button type="button" key={r.kind} class="link-button" onClick={() => loadMore(r.kind, r.cursor!)}>
                More {r.kind} keys
              </button>
            ))}
          </div>
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
