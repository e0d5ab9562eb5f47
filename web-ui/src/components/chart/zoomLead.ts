/**
 * The chart the user dragged across asks for its zoomed range first: the other charts' re-queries of the same range
 * wait until its zoom has been drawn (or `maxWaitMs` has passed), so on a small machine its query does not share the
 * server and the browser with every other chart's.
 */
export class ZoomLead {
  private waiting: Promise<void> | null = null;
  private release: (() => void) | null = null;

  constructor(private readonly maxWaitMs = 400) {}

  /** The dragged chart, before it changes the page's zoom; call the result once its zoom is drawn. */
  lead(): () => void {
    this.release?.();
    let resolve!: () => void;
    const waiting = new Promise<void>((r) => { resolve = r; });
    const done = () => {
      clearTimeout(timer);
      resolve();
      if (this.waiting === waiting) {
        this.waiting = null;
        this.release = null;
      }
    };
    const timer = setTimeout(done, this.maxWaitMs);
    this.waiting = waiting;
    this.release = done;
    return done;
  }

  /** Another chart's re-query: resolves at once when no zoom is leading. */
  follow(): Promise<void> {
    return this.waiting ?? Promise.resolve();
  }
}

export const zoomLead = new ZoomLead();
