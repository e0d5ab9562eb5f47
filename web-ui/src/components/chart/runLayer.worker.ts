// Rasterizes a chart's runs (runLayer.ts) on an OffscreenCanvas off the main thread and sends back the bitmap.
import { drawRuns, lineNeedsMerge, type LayerGeometry, type LayerRun } from './runLayer';

export interface LayerRequest {
  seq: number;
  geometry: LayerGeometry;
  runs: LayerRun[];
}

export interface LayerReply {
  seq: number;
  /** null: a line needs uPlot's own merging builder, so the main thread draws these runs */
  bitmap: ImageBitmap | null;
}

let canvas: OffscreenCanvas | null = null;

self.onmessage = (e: MessageEvent<LayerRequest>) => {
  const { seq, geometry: g, runs } = e.data;
  if (runs.some((r) => lineNeedsMerge(g, r))) {
    self.postMessage({ seq, bitmap: null } satisfies LayerReply);
    return;
  }
  if (!canvas || canvas.width !== g.canvasWidth || canvas.height !== g.canvasHeight) {
    canvas = new OffscreenCanvas(g.canvasWidth, g.canvasHeight);
  }
  drawRuns(canvas.getContext('2d')!, g, runs);
  const bitmap = canvas.transferToImageBitmap();
  (self as unknown as Worker).postMessage({ seq, bitmap } satisfies LayerReply, [bitmap]);
};
