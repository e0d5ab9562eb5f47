// What a page load needs before its page can ask for anything else, sent together as the app's script starts: the
// session check and, on a compare page, its runs' metric keys (its charts need them to ask for their series).
// Chained — the keys after the session, the session after the first paint — they were two round trips one after
// the other ahead of the series queries.
import { metrics, session, type ItemList, type RunSummaries, type Session } from '../api';
import { parseRunIds } from '../pages/compare/compareModel';
import { startSeriesParser } from '../components/chart/seriesParser';
import { currentLocation, match } from './router';

export interface EarlySummaries {
  projectId: number;
  runIds: string;
  answer: Promise<ItemList<RunSummaries>>;
  /** the answer, once it is there */
  value?: ItemList<RunSummaries>;
}

let sessionCheck: Promise<Session> | null = null;
let summaries: EarlySummaries | null = null;

/** Starts the first page's requests; called once, before the app renders. */
export function startEarlyRequests(): void {
  const location = currentLocation();
  // a one-time code in the URL is exchanged by the login page: the cookie is not checked first
  if (location.path === '/login' && location.query.has('code')) return;
  sessionCheck = session.current();
  sessionCheck.catch(() => {});
  const params = match('/projects/:projectId/compare', location.path);
  if (!params) return;
  const projectId = Number(params.projectId);
  const ids = parseRunIds(location.query.get('runs')).ids;
  if (!Number.isInteger(projectId) || projectId <= 0 || ids.length === 0) return;
  // the charts' answers are parsed in a worker: started now, it is ready by the time they arrive
  startSeriesParser();
  // quiet: without a session this answers 401 too, and the session check alone decides what the app shows
  const s: EarlySummaries = { projectId, runIds: ids.join(','),
    answer: metrics.summaries(projectId, ids, undefined, { quiet401: true }) };
  s.answer.then((v) => { s.value = v; }, () => {});
  summaries = s;
}

/** The session check started with the page (once), or null. */
export function takeSessionCheck(): Promise<Session> | null {
  const s = sessionCheck;
  sessionCheck = null;
  return s;
}

/** The compare page's early metric keys when they are for these runs (once: a later visit asks again). */
export function takeEarlySummaries(projectId: number, ids: readonly number[]): EarlySummaries | null {
  const s = summaries;
  if (!s || s.projectId !== projectId || s.runIds !== ids.join(',')) return null;
  summaries = null;
  return s;
}
