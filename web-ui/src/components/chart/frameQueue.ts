/**
 * Chart redraws spread over animation frames: each chart queues its latest redraw (a newer one replaces it), and
 * each frame runs queued redraws until `budgetMs` is spent (at least one), the rest in the next frames. Live
 * answers arriving together, or a page's first answers, then no longer redraw every chart in one long frame.
 */
export class FrameQueue {
  private readonly jobs = new Map<object, () => void>();
  private scheduled = false;

  constructor(
    private readonly budgetMs = 8,
    private readonly nextFrame: (fn: () => void) => void = (fn) => requestAnimationFrame(fn),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `job` in a coming frame, instead of any job `owner` queued before; queued owners keep their turn, unless
   * `first`: then it goes ahead of every queued job (the chart the user just zoomed, ahead of the others' redraws).
   */
  schedule(owner: object, job: () => void, first = false): void {
    if (first) {
      const rest = [...this.jobs].filter(([o]) => o !== owner);
      this.jobs.clear();
      this.jobs.set(owner, job);
      for (const [o, j] of rest) this.jobs.set(o, j);
    } else {
      this.jobs.set(owner, job);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.nextFrame(() => this.run());
    }
  }

  cancel(owner: object): void {
    this.jobs.delete(owner);
  }

  get pending(): number {
    return this.jobs.size;
  }

  private run(): void {
    this.scheduled = false;
    const start = this.now();
    for (const [owner, job] of this.jobs) {
      this.jobs.delete(owner);
      job();
      if (this.now() - start >= this.budgetMs) break;
    }
    if (this.jobs.size > 0) {
      this.scheduled = true;
      this.nextFrame(() => this.run());
    }
  }
}

/** The one queue all charts of the page share. */
export const chartFrames = new FrameQueue();
