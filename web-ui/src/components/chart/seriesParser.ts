// Series queries whose answers are parsed off the main thread: the body goes to a worker (transferred, not copied),
// the typed arrays come back the same way. While the worker starts (and where there are no workers) the main thread
// parses, as it did before: a chart never waits for the worker.
import { request } from '../../api/client';
import { seriesQueryPath, type SeriesRequest } from '../../api/metrics';
import { parseSeriesAnswer, type RunSeries } from './seriesArrays';

export interface ParseRequest {
  id: number;
  body: ArrayBuffer;
}

/** id 0: the worker has started; otherwise the series of request `id`, or why they could not be read. */
export interface ParseReply {
  id: number;
  series?: RunSeries[];
  error?: string;
}

let started = false;
let worker: Worker | null = null;
let ready = false;
let nextId = 1;
const waiting = new Map<number, { resolve: (s: RunSeries[]) => void; reject: (e: Error) => void }>();

/** Starts the worker once, so that it is ready by the time the first answer arrives. */
export function startSeriesParser(): void {
  if (started || typeof Worker !== 'function') return;
  started = true;
  try {
    const w = new Worker(new URL('./seriesWorker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<ParseReply>) => {
      const { id, series, error } = e.data;
      if (id === 0) {
        ready = true;
        return;
      }
      const job = waiting.get(id);
      waiting.delete(id);
      if (!job) return;
      if (series) job.resolve(series);
      else job.reject(new Error(`The chart's data could not be read: ${error}`));
    };
    // a worker that cannot start or fails: the main thread parses from now on
    w.onerror = () => {
      w.terminate();
      worker = null;
      ready = false;
      for (const job of waiting.values()) job.reject(new Error("The chart's data could not be read (the parser failed)."));
      waiting.clear();
    };
    worker = w;
  } catch {
    worker = null;
  }
}

/** A series query's answer (its JSON body) to typed arrays, in the worker when it is ready. */
export function parseSeries(body: ArrayBuffer): Promise<RunSeries[]> {
  const w = worker;
  if (!w || !ready) {
    try {
      return Promise.resolve(parseSeriesAnswer(body));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, body } satisfies ParseRequest, [body]);
  });
}

/** Sends a series query and reads its answer into typed arrays. */
export async function fetchSeriesArrays(q: SeriesRequest, signal: AbortSignal): Promise<RunSeries[]> {
  startSeriesParser();
  const body = await request<ArrayBuffer>(seriesQueryPath(q), { signal, read: 'bytes' });
  return parseSeries(body);
}
