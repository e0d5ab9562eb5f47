/**
 * The labels of one axis' ticks in one notation, chosen from the ticks' range: fixed-point when the largest is
 * within [0.001, 1e6), exponents otherwise, each with the fewest decimals that tell every tick apart (the same count
 * on every tick, as uPlot's own formatter does). Formatting each tick on its own mixed `9.500e-4` with `0.00105`.
 * A log axis' ticks are each written as the shortest exact exponent, since a shared count of decimals would print
 * `1.0000` beside `0.0001`.
 */
export function axisTickLabels(splits: readonly number[], log = false): string[] {
  if (log) return splits.map(decadeLabel);
  let largest = 0;
  for (const v of splits) if (Number.isFinite(v)) largest = Math.max(largest, Math.abs(v));
  const exponent = largest !== 0 && (largest < 1e-3 || largest >= 1e6);
  const text = (v: number, d: number) => (v === 0 ? '0' : exponent ? v.toExponential(d) : v.toFixed(d));
  const tolerance = smallestGap(splits) * 1e-6;
  const maxDigits = exponent ? 15 : 20;
  let digits = 0;
  while (digits < maxDigits && !splits.every((v) => !Number.isFinite(v) || Math.abs(Number(text(v, digits)) - v) <= tolerance)) {
    digits++;
  }
  return splits.map((v) => (Number.isFinite(v) ? text(v, digits) : String(v)));
}

/** The smallest distance between neighbouring ticks (or the largest tick itself when there is one). */
function smallestGap(splits: readonly number[]): number {
  let gap = Infinity;
  for (let i = 1; i < splits.length; i++) {
    const d = Math.abs(splits[i]! - splits[i - 1]!);
    if (d > 0 && d < gap) gap = d;
  }
  if (gap !== Infinity) return gap;
  const one = splits.find((v) => Number.isFinite(v) && v !== 0);
  return one === undefined ? 1 : Math.abs(one);
}

/** A tick of a log axis: `1e-4`, `2.5e-3`, `1e+0`. */
function decadeLabel(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v === 0 ? '0' : Number(v.toPrecision(12)).toExponential();
}
