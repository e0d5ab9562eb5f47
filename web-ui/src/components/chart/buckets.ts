/**
 * Buckets per run: one per pixel of the plot for up to 10 runs, one per 2 pixels beyond (their lines overlap, and
 * each bucket's min–max band still shows every spike; a 20-run zoom's answer, its parsing and its drawing are half
 * as big), while the chart as a whole stays within about 16,000 buckets (with 100 runs, 160 each).
 */
export function bucketsFor(width: number, runs: number): number {
  const pixels = Math.max(100, Math.min(2000, Math.round(width)));
  const perRun = runs > 10 ? Math.round(pixels / 2) : pixels;
  return Math.max(100, Math.min(perRun, Math.round(16_000 / Math.max(1, runs))));
}
