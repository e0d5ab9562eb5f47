// Performance entries the charts record (read by bench/dashboard with performance.getEntriesByName):
//   ty:page:start            mark, when a run or compare page mounts (detail: { page })
//   ty:chart:fetch           measure, one series query: request to parsed arrays (detail: { key, runs, points })
//   ty:chart:draw            measure, arrays handed to uPlot to its draw hook (detail: { key, points })
//   ty:chart:first-draw      mark, a chart's first complete draw since it mounted (detail: { key })
//   ty:chart:zoom            measure, drag-zoom release to the redraw with the finer buckets (detail: { key })
//   ty:chart:live            measure, live update: the SSE event to the redraw with its points (detail: { key })
export const PERF = {
  pageStart: 'ty:page:start',
  fetch: 'ty:chart:fetch',
  draw: 'ty:chart:draw',
  firstDraw: 'ty:chart:first-draw',
  zoom: 'ty:chart:zoom',
  live: 'ty:chart:live',
} as const;

export function markPageStart(page: string): void {
  performance.mark(PERF.pageStart, { detail: { page } });
}

export function measureSince(name: string, start: number, detail: Record<string, unknown>): void {
  try {
    performance.measure(name, { start, end: performance.now(), detail });
  } catch {
    // a start before the time origin (page reloads in tests) is not worth failing a draw for
  }
}
