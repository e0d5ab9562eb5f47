import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { runs, type RunSummary } from '../../api';

const PAGE = 200;

export interface RunPages {
  /** The runs loaded so far, in the listing's order (mutated in place; `version` says when). */
  rows: RunSummary[];
  version: number;
  loading: boolean;
  error: unknown;
  done: boolean;
  /** Loads the next page unless one is loading or the last one is there. */
  loadMore: () => void;
  reload: () => void;
  /** Updates loaded rows in place (live events, bulk actions). */
  update: (ids: Iterable<number>, change: (r: RunSummary) => RunSummary) => void;
}

/** The server-side cursor paging of a runs listing; a new query starts from the first page. */
export function useRunPages(projectId: number, query: URLSearchParams): RunPages {
  const key = query.toString();
  const state = useRef({ rows: [] as RunSummary[], cursor: null as string | null, done: false, loading: false,
    error: null as unknown, generation: 0, index: new Map<number, number>() });
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);

  const fetchPage = useCallback(() => {
    const s = state.current;
    if (s.loading || s.done) return;
    s.loading = true;
    s.error = null;
    const generation = s.generation;
    const q = new URLSearchParams(key);
    q.set('limit', String(PAGE));
    if (s.cursor) q.set('cursor', s.cursor);
    bump();
    runs.list(projectId, q).then((page) => {
      if (generation !== s.generation) return;
      for (const r of page.items) {
        if (s.index.has(r.id)) continue;
        s.index.set(r.id, s.rows.length);
        s.rows.push(r);
      }
      s.cursor = page.nextCursor;
      s.done = page.nextCursor === null;
      s.loading = false;
      bump();
    }, (error) => {
      if (generation !== s.generation) return;
      s.error = error;
      s.loading = false;
      bump();
    });
  }, [projectId, key]);

  const reset = useCallback(() => {
    const s = state.current;
    s.generation++;
    s.rows = [];
    s.index = new Map();
    s.cursor = null;
    s.done = false;
    s.loading = false;
    s.error = null;
    fetchPage();
  }, [fetchPage]);

  useEffect(reset, [reset]);

  const update = useCallback((ids: Iterable<number>, change: (r: RunSummary) => RunSummary) => {
    const s = state.current;
    let changed = false;
    for (const id of ids) {
      const i = s.index.get(id);
      if (i === undefined) continue;
      s.rows[i] = change(s.rows[i]!);
      changed = true;
    }
    if (changed) bump();
  }, []);

  const s = state.current;
  return { rows: s.rows, version, loading: s.loading, error: s.error, done: s.done, loadMore: fetchPage, reload: reset, update };
}
