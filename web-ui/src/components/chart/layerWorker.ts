// The page's one layer worker (runLayer.worker.ts): charts ask it for their runs as a bitmap. Each chart has at
// most one layer in the worker and one waiting: a newer request replaces the waiting one (which resolves
// undefined), so hovering across a legend does not queue a rasterization per entry. Resolves null when there is no
// worker (no Worker or OffscreenCanvas, or it failed): the chart then draws on its own canvas.
import type { LayerGeometry, LayerRun } from './runLayer';
import type { LayerReply, LayerRequest } from './runLayer.worker';

type Result = ImageBitmap | null | undefined;

interface Job {
  geometry: LayerGeometry;
  runs: LayerRun[];
  resolve: (bitmap: Result) => void;
}

export class LayerWorker {
  private worker: Worker | null | undefined;
  private seq = 0;
  private readonly sent = new Map<number, { owner: object; job: Job }>();
  private readonly busy = new Set<object>();
  private readonly queued = new Map<object, Job>();

  render(owner: object, geometry: LayerGeometry, runs: LayerRun[]): Promise<Result> {
    if (!this.get()) return Promise.resolve(null);
    return new Promise((resolve) => {
      const job = { geometry, runs, resolve };
      this.queued.get(owner)?.resolve(undefined);
      this.queued.delete(owner);
      if (this.busy.has(owner)) this.queued.set(owner, job);
      else this.send(owner, job);
    });
  }

  private send(owner: object, job: Job): void {
    const seq = ++this.seq;
    this.busy.add(owner);
    this.sent.set(seq, { owner, job });
    this.worker!.postMessage({ seq, geometry: job.geometry, runs: job.runs } satisfies LayerRequest);
  }

  private received(reply: LayerReply): void {
    const s = this.sent.get(reply.seq);
    this.sent.delete(reply.seq);
    if (!s) {
      reply.bitmap?.close();
      return;
    }
    this.busy.delete(s.owner);
    s.job.resolve(reply.bitmap);
    const next = this.queued.get(s.owner);
    if (next && this.worker) {
      this.queued.delete(s.owner);
      this.send(s.owner, next);
    }
  }

  private get(): Worker | null {
    if (this.worker !== undefined) return this.worker;
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') return (this.worker = null);
    try {
      const w = new Worker(new URL('./runLayer.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<LayerReply>) => this.received(e.data);
      w.onerror = () => this.fail();
      this.worker = w;
    } catch {
      this.worker = null;
    }
    return this.worker;
  }

  private fail(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const { job } of this.sent.values()) job.resolve(null);
    for (const job of this.queued.values()) job.resolve(null);
    this.sent.clear();
    this.busy.clear();
    this.queued.clear();
  }
}

export const layerWorker = new LayerWorker();
