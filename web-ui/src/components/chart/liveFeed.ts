// How live `metrics` events reach the charts without going through Preact: a page turns each SSE event into
// feed.notify(run, keys); each chart listening re-queries through its LiveRequery. Re-rendering the page per event
// (up to a hundred a second with ten runs logging) cost more than the charts' redraws themselves.

/** A metrics event's keys: the API sends a map of key -> state (older events: a list of {key}). */
export function eventKeys(data: { keys?: unknown; metrics?: unknown }): string[] {
  const k = data.keys ?? data.metrics;
  if (Array.isArray(k)) return k.map((x: { key: string }) => x.key);
  return k && typeof k === 'object' ? Object.keys(k) : [];
}

/**
 * Whether an event brings a key the page does not show yet (a run's first points of a key): the page then asks for
 * its keys again, at most once per `interval` ms; the charts of known keys keep re-querying on their own.
 */
export class NewKeyWatch {
  private known = new Set<string>();
  private lastAsk = Number.NEGATIVE_INFINITY;

  constructor(private readonly interval = 1000, private readonly now: () => number = () => performance.now()) {}

  setKnown(keys: Iterable<string>): void {
    this.known = new Set(keys);
  }

  /** True when `keys` holds an unknown key and the last ask is `interval` ms old. */
  shouldAsk(keys: readonly string[]): boolean {
    if (!keys.some((k) => !this.known.has(k))) return false;
    const t = this.now();
    if (t - this.lastAsk < this.interval) return false;
    this.lastAsk = t;
    return true;
  }
}

export type LiveListener = (runId: number, keys: readonly string[] | null) => void;

/** One page's live events, for the charts on it to subscribe to. */
export class LiveFeed {
  private readonly listeners = new Set<LiveListener>();

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** New points of `runId` for `keys` (null: keys unknown, every chart of the run). */
  notify(runId: number, keys: readonly string[] | null): void {
    for (const l of this.listeners) l(runId, keys);
  }
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

const browserClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (id) => window.clearTimeout(id),
};

/**
 * Turns a stream of events into re-queries: at most one query in flight, queries at least `interval` ms apart, and
 * always one after the last event (so the chart ends with every point). `load` gets the time of the first event it
 * answers, for the ty:chart:live measure.
 */
export class LiveRequery {
  private inFlight = false;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private timer = 0;
  private firstEventAt: number | null = null;
  private stopped = false;

  constructor(
    private readonly load: (firstEventAt: number) => Promise<unknown>,
    private readonly interval = 1000,
    private readonly clock: Clock = browserClock,
  ) {}

  event(): void {
    if (this.stopped) return;
    if (this.firstEventAt === null) this.firstEventAt = this.clock.now();
    this.schedule();
  }

  /** Another load of the same chart (view change, zoom): live queries wait for it and count from its end. */
  around<T>(load: Promise<T>): Promise<T> {
    this.inFlight = true;
    return load.finally(() => this.settled());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = 0;
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.firstEventAt === null || this.stopped) return;
    const wait = Math.max(0, this.lastEnd + this.interval - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = 0;
    if (this.inFlight || this.firstEventAt === null || this.stopped) return;
    const eventAt = this.firstEventAt;
    this.firstEventAt = null;
    this.inFlight = true;
    this.load(eventAt)
      .catch(() => {
        // the next event tries again
      })
      .finally(() => this.settled());
  }

  private settled(): void {
    this.inFlight = false;
    this.lastEnd = this.clock.now();
    this.schedule();
  }
}
