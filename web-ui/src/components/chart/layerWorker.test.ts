import { afterEach, describe, expect, it, vi } from 'vitest';
import { LayerWorker } from './layerWorker';
import type { LayerGeometry } from './runLayer';
import type { LayerRequest } from './runLayer.worker';

/** A stand-in for the layer worker: records what it is sent and answers when told to. */
class FakeWorker {
  static last: FakeWorker;
  sent: LayerRequest[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor() { FakeWorker.last = this; }
  postMessage(m: LayerRequest) { this.sent.push(m); }
  terminate() {}
  answer(seq: number, bitmap: unknown) { this.onmessage!({ data: { seq, bitmap } }); }
}

const g = { canvasWidth: 10 } as LayerGeometry;

describe('LayerWorker', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('without a worker resolves null, so the chart draws itself', async () => {
    vi.stubGlobal('Worker', undefined);
    expect(await new LayerWorker().render({}, g, [])).toBeNull();
  });

  it('keeps one layer in the worker per chart: a newer request replaces the waiting one', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('OffscreenCanvas', class {});
    const lw = new LayerWorker();
    const chart = {};
    const other = {};
    const first = lw.render(chart, g, []);
    const w = FakeWorker.last;
    const second = lw.render(chart, g, []);
    const third = lw.render(chart, g, []);
    const elsewhere = lw.render(other, g, []);
    expect(w.sent.map((m) => m.seq)).toEqual([1, 2]); // the chart's first, the other chart's
    expect(await second).toBeUndefined();
    w.answer(1, 'bitmap 1');
    expect(await first).toBe('bitmap 1');
    expect(w.sent.map((m) => m.seq)).toEqual([1, 2, 3]); // the waiting one goes once the first is back
    w.answer(3, 'bitmap 3');
    w.answer(2, 'bitmap 2');
    expect(await third).toBe('bitmap 3');
    expect(await elsewhere).toBe('bitmap 2');
  });

  it('resolves everything null when the worker fails', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('OffscreenCanvas', class {});
    const lw = new LayerWorker();
    const sent = lw.render({}, g, []);
    FakeWorker.last.onerror!();
    expect(await sent).toBeNull();
    expect(await lw.render({}, g, [])).toBeNull();
  });
});
