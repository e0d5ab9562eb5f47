import type { Problem, FieldProblem } from './types';

/** A failed API call: the problem's detail is what the UI shows. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problemText(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get errors(): FieldProblem[] {
    return this.problem.errors ?? [];
  }
}

function problemText(status: number, problem: Problem): string {
  if (problem.detail) return problem.detail;
  if (problem.title) return `${problem.title} (${status})`;
  return status === 0 ? 'The platform could not be reached.' : `The request failed with HTTP ${status}.`;
}

/** The words to show for any error a call may throw. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The session's CSRF token, sent as X-CSRF-Token on every write the cookie authenticates. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a call answers 401 (the session ended or expired). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;

/** Builds a query string; arrays repeat the parameter, null and undefined are left out. */
export function queryString(query: Query | URLSearchParams | undefined): string {
  if (!query) return '';
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) {
      if (v === null || v === undefined) continue;
      if (Array.isArray(v)) v.forEach((x) => params.append(k, String(x)));
      else params.append(k, String(v));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query | URLSearchParams;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /**
   * The browser's fetch priority: 'low' for requests that may wait while the six connections a browser opens to a
   * host over HTTP/1.1 serve more urgent ones (Chromium hands a freed connection to the highest priority waiting).
   */
  priority?: 'high' | 'low' | 'auto';
  /** Do not call the unauthorized handler on 401 (the sign-in calls themselves). */
  quiet401?: boolean;
  /** 'bytes': the answer's body unparsed, for a worker to parse off the main thread. */
  read?: 'bytes';
}

/** One call to the API with the session cookie. Throws ApiError with the problem's detail on failure. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') {
      body = options.body;
      headers['Content-Type'] = options.contentType ?? 'text/plain';
    } else {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = options.contentType ?? 'application/json';
    }
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${queryString(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
      ...(options.priority ? { priority: options.priority } : {}),
    } as RequestInit);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { detail: 'The platform could not be reached: ' + errorText(e) });
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && !options.quiet401 && onUnauthorized) onUnauthorized();
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return undefined as T;
  if (options.read === 'bytes') return (await response.arrayBuffer()) as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return (await response.json()) as T;
  return (await response.text()) as T;
}

async function readProblem(response: Response): Promise<Problem> {
  try {
    const type = response.headers.get('Content-Type') ?? '';
    if (type.includes('json')) return (await response.json()) as Problem;
    const text = await response.text();
    return { status: response.status, detail: text.trim() || undefined };
  } catch {
    return { status: response.status };
  }
}

/** Server-sent events of an API stream, with the session cookie. */
export function eventSource(path: string): EventSource {
  return new EventSource(`/api/v1${path}`, { withCredentials: true });
}

/** Reads a JSON number the API may send as "NaN", "Infinity" or "-Infinity". */
export function num(v: number | string | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'number' ? v : Number(v);
}
