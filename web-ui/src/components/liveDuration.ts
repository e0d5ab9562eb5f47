import { duration } from './format';

/**
 * The Duration of running runs, ticking once a second: one timer for every cell on the page, writing only their
 * text (no re-render). A row re-renders only when its run changes, so a running run's Duration used to stand still.
 */
export class DurationTicker {
  private readonly cells = new Map<{ textContent: string | null }, string>();
  private timer: unknown = null;

  constructor(
    private readonly every = 1000,
    private readonly now: () => number = () => Date.now(),
    private readonly timers: Timers = browserTimers,
  ) {}

  /** Keeps `cell` showing the time since `startedAt` until the returned function is called. */
  add(cell: { textContent: string | null }, startedAt: string): () => void {
    this.cells.set(cell, startedAt);
    cell.textContent = this.text(startedAt);
    this.timer ??= this.timers.set(() => this.tick(), this.every);
    return () => {
      this.cells.delete(cell);
      if (this.cells.size === 0 && this.timer !== null) {
        this.timers.clear(this.timer);
        this.timer = null;
      }
    };
  }

  get size(): number {
    return this.cells.size;
  }

  tick(): void {
    for (const [cell, startedAt] of this.cells) {
      const t = this.text(startedAt);
      if (cell.textContent !== t) cell.textContent = t;
    }
  }

  private text(startedAt: string): string {
    return duration(startedAt, new Date(this.now()).toISOString());
  }
}

export interface Timers {
  set(tick: () => void, every: number): unknown;
  clear(timer: unknown): void;
}

// Called as methods of an object, setInterval and clearInterval themselves throw in a browser ("Illegal
// invocation": their receiver must be the window), so the ticker never ticked there.
const browserTimers: Timers = {
  set: (tick, every) => setInterval(tick, every),
  clear: (timer) => clearInterval(timer as ReturnType<typeof setInterval>),
};

export const durationTicker = new DurationTicker();
