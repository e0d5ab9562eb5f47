// The dashboard's one API client: every call the pages make goes through here.
import { request, eventSource, type Query, type RequestOptions } from './client';
import type {
  Checkpoint, ClusterWorker, CloneRun, JsonValue, Experiment, ItemList, KeySummary, LogPage, LoginCode, Me, Member, Project,
  ProjectRole, Queue, Run, RunPatch, RunSummaries, RunSummary, SeriesQuery, Session, SubmitRun,
} from './types';

export * from './types';
export { ApiError, errorText, num, setCsrfToken, setUnauthorizedHandler, queryString } from './client';


export const session = {
  current: () => request<Session>('/session', { quiet401: true }),
  signInWithCode: (code: string) => request<Session>('/session', { method: 'POST', body: { code }, quiet401: true }),
  signInWithToken: (token: string) =>
    request<Session>('/session', { method: 'POST', body: { token }, quiet401: true }),
  signOut: () => request<void>('/session', { method: 'DELETE', quiet401: true }),
  createLoginCode: () => request<LoginCode>('/login-codes', { method: 'POST', body: {} }),
  me: () => request<Me>('/users/me'),
};

export const projects = {
  list: () => request<ItemList<Project>>('/projects'),
  get: (p: number, options?: Pick<RequestOptions, 'signal' | 'priority'>) => request<Project>(`/projects/${p}`, options),
  create: (name: string, description?: string) =>
    request<Project>('/projects', { method: 'POST', body: { name, description } }),
  members: (p: number) => request<ItemList<Member>>(`/projects/${p}/members`),
  addMember: (p: number, username: string, role: ProjectRole) =>
    request<Member>(`/projects/${p}/members`, { method: 'POST', body: { username, role } }),
  changeRole: (p: number, userId: number, role: ProjectRole) =>
    request<Member>(`/projects/${p}/members/${userId}`, { method: 'PUT', body: { role } }),
  removeMember: (p: number, userId: number) =>
    request<void>(`/projects/${p}/members/${userId}`, { method: 'DELETE' }),
  remove: (p: number, confirm: string) => request<void>(`/projects/${p}`, { method: 'DELETE', query: { confirm } }),
  /** Status, metrics and log-count events of every run in the project. */
  events: (p: number) => eventSource(`/projects/${p}/events`),
};

export const experiments = {
  list: (p: number) => request<ItemList<Experiment>>(`/projects/${p}/experiments`),
  get: (p: number, e: number) => request<Experiment>(`/projects/${p}/experiments/${e}`),
  create: (p: number, name: string, description?: string) =>
    request<Experiment>(`/projects/${p}/experiments`, { method: 'POST', body: { name, description } }),
  remove: (p: number, e: number, confirm: string) =>
    request<void>(`/projects/${p}/experiments/${e}`, { method: 'DELETE', query: { confirm } }),
  events: (p: number, e: number) => eventSource(`/projects/${p}/experiments/${e}/events`),
};

export const runs = {
  /** query: status, tag, experimentId, filter (param.x<1 ...), sort, limit, cursor, as the API takes them. */
  list: (p: number, query: URLSearchParams | Query, signal?: AbortSignal) =>
    request<ItemList<RunSummary>>(`/projects/${p}/runs`, { query, signal }),
  /** The runs of up to 100 ids in one request, as listed (newest first); ids of no run in the project are left out. */
  ofIds: (p: number, ids: readonly number[], options?: Pick<RequestOptions, 'signal' | 'priority'>) =>
    request<ItemList<RunSummary>>(`/projects/${p}/runs`, { ...options, query: { id: ids.join(','), limit: ids.length } }),
  get: (p: number, r: number, signal?: AbortSignal) => request<Run>(`/projects/${p}/runs/${r}`, { signal }),
  submit: (p: number, body: SubmitRun) => request<Run>(`/projects/${p}/runs`, { method: 'POST', body }),
  cancel: (p: number, r: number) => request<Run>(`/projects/${p}/runs/${r}/cancel`, { method: 'POST' }),
  retry: (p: number, r: number) => request<Run>(`/projects/${p}/runs/${r}/retry`, { method: 'POST' }),
  clone: (p: number, r: number, body: CloneRun) =>
    request<Run>(`/projects/${p}/runs/${r}/clone`, { method: 'POST', body }),
  patch: (p: number, r: number, body: RunPatch) =>
    request<Run>(`/projects/${p}/runs/${r}`, { method: 'PATCH', body, contentType: 'application/merge-patch+json' }),
  remove: (p: number, r: number) => request<void>(`/projects/${p}/runs/${r}`, { method: 'DELETE' }),
  events: (p: number, r: number) => eventSource(`/projects/${p}/runs/${r}/events`),
};

export const metrics = {
  ofRun: (p: number, r: number) => request<ItemList<KeySummary>>(`/projects/${p}/runs/${r}/metrics`),
  /** Downsampled series of up to 100 runs and 100 keys: min/max/last buckets (and the points when few). */
  query: (
    p: number,
    q: { runs: readonly number[]; keys: readonly string[]; buckets?: number; fromStep?: number; toStep?: number },
    signal?: AbortSignal,
  ) =>
    request<SeriesQuery>(`/projects/${p}/metrics/query`, {
      query: { runs: q.runs.join(','), keys: q.keys.join(','), buckets: q.buckets, fromStep: q.fromStep, toStep: q.toStep },
      signal,
    }),
  summaries: (p: number, runIds: readonly number[], keys?: readonly string[], options?: Pick<RequestOptions, 'quiet401'>) =>
    request<ItemList<RunSummaries>>(`/projects/${p}/metrics/summaries`, {
      ...options,
      query: { runs: runIds.join(','), keys: keys?.join(',') },
    }),
  /** The project's metric keys in order: prefix (starts with), q (contains, ignoring case), paged. */
  keys: (p: number, q: { prefix?: string; q?: string; limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
    request<ItemList<string>>(`/projects/${p}/metrics/keys`, { query: q, signal }),
};

export const params = {
  /** The distinct param keys of the project's runs in order: q (contains, ignoring case), paged. */
  keys: (p: number, q: { q?: string; limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
    request<ItemList<string>>(`/projects/${p}/params/keys`, { query: q, signal }),
};

export const logs = {
  read: (p: number, r: number, q: { attempt?: number; after?: number; tail?: number; limit?: number } = {}) =>
    request<LogPage>(`/projects/${p}/runs/${r}/logs`, { query: q }),
  follow: (p: number, r: number, q: { attempt?: number; after?: number; tail?: number } = {}) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    const s = params.toString();
    return eventSource(`/projects/${p}/runs/${r}/logs/follow${s ? '?' + s : ''}`);
  },
};

export const checkpoints = {
  list: (p: number, r: number) => request<ItemList<Checkpoint>>(`/projects/${p}/runs/${r}/checkpoints`),
  /** The URL a link downloads the checkpoint from (the cookie authenticates it). */
  contentUrl: (p: number, r: number, c: number) => `/api/v1/projects/${p}/runs/${r}/checkpoints/${c}/content`,
};

export const specs = {
  /** Checks a run spec (YAML text or a JSON object) as a submission would, without submitting it. */
  check: (p: number, spec: string | JsonValue, signal?: AbortSignal) =>
    request<{ spec: JsonValue }>(`/projects/${p}/run-specs/check`, { method: 'POST', body: { spec }, signal }),
};

export const cluster = {
  queue: () => request<Queue>('/queue'),
  workers: () => request<ItemList<ClusterWorker>>('/cluster/workers'),
};

