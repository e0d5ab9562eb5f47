// The runs view's state, all of it in the URL: ?status=RUNNING,FAILED&tag=a&filter=param.lr<0.01&q=adam
// &sort=metric.test/accuracy,desc&cols=param.lr,metric.test/accuracy&sel=4,7
import { RUN_STATUSES, type RunStatus } from '../../api';

export interface RunsView {
  statuses: RunStatus[];
  tags: string[];
  /** param.<name><op><value> and metric.<name><op><value> expressions, as the API takes them. */
  filters: string[];
  /** Text the run names contain. */
  text: string;
  /** createdAt, metric.<name> or param.<name>. */
  sortKey: string;
  descending: boolean;
  /** Extra columns: param.<name> and metric.<name>. */
  columns: string[];
  selected: number[];
}

const list = (q: URLSearchParams, key: string) =>
  q.getAll(key).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);

export function readView(q: URLSearchParams): RunsView {
  const [sortKey = 'createdAt', dir = 'desc'] = (q.get('sort') ?? 'createdAt,desc').split(/,(?=(?:asc|desc)$)/);
  return {
    statuses: list(q, 'status').map((s) => s.toUpperCase()).filter((s): s is RunStatus => RUN_STATUSES.includes(s as RunStatus)),
    tags: list(q, 'tag'),
    filters: q.getAll('filter').filter(Boolean),
    text: q.get('q') ?? '',
    sortKey,
    descending: dir !== 'asc',
    columns: list(q, 'cols'),
    selected: list(q, 'sel').map(Number).filter((n) => Number.isInteger(n) && n > 0),
  };
}

export function writeView(v: RunsView): URLSearchParams {
  const q = new URLSearchParams();
  if (v.statuses.length) q.set('status', v.statuses.join(','));
  if (v.tags.length) q.set('tag', v.tags.join(','));
  v.filters.forEach((f) => q.append('filter', f));
  if (v.text) q.set('q', v.text);
  if (v.sortKey !== 'createdAt' || !v.descending) q.set('sort', `${v.sortKey},${v.descending ? 'desc' : 'asc'}`);
  if (v.columns.length) q.set('cols', v.columns.join(','));
  if (v.selected.length) q.set('sel', v.selected.join(','));
  return q;
}

/** The API's list query for the view (without cursor and limit). */
export function apiQuery(v: RunsView, experimentId: number | null): URLSearchParams {
  const q = new URLSearchParams();
  if (experimentId !== null) q.set('experimentId', String(experimentId));
  if (v.statuses.length) q.set('status', v.statuses.join(','));
  v.tags.forEach((t) => q.append('tag', t));
  v.filters.forEach((f) => q.append('filter', f));
  if (v.text) q.set('name', v.text);
  q.set('sort', `${v.sortKey},${v.descending ? 'desc' : 'asc'}`);
  return q;
}

/** What identifies a listing: a change of any of these starts again from the first page. */
export function listingKey(v: RunsView, experimentId: number | null): string {
  return apiQuery(v, experimentId).toString();
}

/** A column's title: the key without its param./metric. prefix. */
export function columnLabel(col: string): string {
  return col.replace(/^(param|metric)\./, '');
}
