/**
 * Buckets per run: one per pixel of the plot, while the chart as a whole stays within about 16,000 buckets (with
 * 100 runs, 160 each: the lines overlap anyway, and each bucket's min–max band still shows every spike).
 */
export function bucketsFor(width: number, runs: number): number {
  const perPixel = Math.max(100, Math.min(2000, Math.round(width)));
  return Math.max(100, Math.min(perPixel, Math.round(16_000 / Math.max(1, runs))));
}
