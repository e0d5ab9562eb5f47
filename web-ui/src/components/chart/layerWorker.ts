// The page's one layer worker (runLayer.worker.ts): charts ask it for their runs as a bitmap. Resolves null when
// there is no worker (no Worker or OffscreenCanvas, or it failed): the chart then draws on its own canvas.
import type { LayerGeometry, LayerRun } from './runLayer';
import type { LayerReply, LayerRequest } from './runLayer.worker';

class LayerWorker {
  private worker: Worker | null | undefined;
  private seq = 0;
  private readonly waiting = new Map<number, (bitmap: ImageBitmap | null) => void>();

  render(geometry: LayerGeometry, runs: LayerRun[]): Promise<ImageBitmap | null> {
    const w = this.get();
    if (!w) return Promise.resolve(null);
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      w.postMessage({ seq, geometry, runs } satisfies LayerRequest);
    });
  }

  private get(): Worker | null {
    if (this.worker !== undefined) return this.worker;
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') return (this.worker = null);
    try {
      const w = new Worker(new URL('./runLayer.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<LayerReply>) => {
        const resolve = this.waiting.get(e.data.seq);
        this.waiting.delete(e.data.seq);
        if (resolve) resolve(e.data.bitmap);
        else e.data.bitmap?.close();
      };
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
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }
}

export const layerWorker = new LayerWorker();
