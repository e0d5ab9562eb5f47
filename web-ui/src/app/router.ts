// Hash routes (#/projects/3/runs?sort=...): the URL is the page's whole shareable state.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** The path after '#', such as /projects/3/runs. */
  path: string;
  /** Named segments of the matched pattern (:projectId ...). */
  params: Record<string, string>;
  /** The query after the path in the hash. */
  query: URLSearchParams;
}

export function currentLocation(): { path: string; query: URLSearchParams } {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  return { path: path.startsWith('/') ? path : '/' + path, query };
}

/** The href of a client route: href('/projects/3/compare', {runs: '1,2'}) -> '#/projects/3/compare?runs=1%2C2'. */
export function href(path: string, query?: URLSearchParams | Record<string, string | number | undefined>): string {
  let params: URLSearchParams;
  if (query instanceof URLSearchParams) params = query;
  else {
    params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return `#${path}${s ? '?' + s : ''}`;
}

/** Goes to a route; replace keeps the browser history from growing (for state changes such as filters). */
export function navigate(path: string, query?: URLSearchParams | Record<string, string | number | undefined>,
  replace = false): void {
  const target = href(path, query);
  if (replace) {
    history.replaceState(history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target.slice(1);
  }
}

/** Replaces the current route's query (filters, sort, selection) without a new history entry. */
export function replaceQuery(query: URLSearchParams): void {
  navigate(currentLocation().path, query, true);
}

/** Matches '/projects/:projectId/runs/:runId' against a path. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const x = decodeURIComponent(xs[i]!);
    if (p.startsWith(':')) params[p.slice(1)] = x;
    else if (p !== x) return null;
  }
  return params;
}

/** The location, re-read on every hash change. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [loc, setLoc] = useState(currentLocation);
  useEffect(() => {
    const onChange = () => setLoc(currentLocation());
    window.addEventListener('hashchange', onChange);
    window.addEventListener('popstate', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener('popstate', onChange);
    };
  }, []);
  return loc;
}
