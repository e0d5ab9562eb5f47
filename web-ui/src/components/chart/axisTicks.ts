/** SI prefixes for an axis whose largest tick is at least 10^4: `50k`, `1.5M` instead of `50000`, `1.5e+6`. */
const SI = ['k', 'M', 'G', 'T'];

/**
 * The labels of one axis' ticks in one notation, chosen from the largest tick: fixed-point within [0.001, 10^4),
 * one SI prefix for the whole axis up to 10^15 (the largest tick's: `0.5M 1.0M 1.5M`, never `500k` beside `1M`),
 * exponents otherwise; each with the fewest decimals that tell every tick apart (the same count on every tick, as
 * uPlot's own formatter does). Formatting each tick on its own mixed `9.500e-4` with `0.00105`. (A log axis' ticks
 * are logAxis.ts'.)
 */
export function axisTickLabels(splits: readonly number[]): string[] {
  let largest = 0;
  for (const v of splits) if (Number.isFinite(v)) largest = Math.max(largest, Math.abs(v));
  const prefix = largest >= 1e4 && largest < 1e15 ? Math.floor(Math.log10(largest) / 3) : 0;
  const unit = 1000 ** prefix;
  const exponent = largest !== 0 && (largest < 1e-3 || largest >= 1e15);
  const text = (v: number, d: number) => (v === 0 ? '0' : exponent ? v.toExponential(d)
    : prefix ? (v / unit).toFixed(d) + SI[prefix - 1] : v.toFixed(d));
  const tolerance = smallestGap(splits) * 1e-6;
  const value = (t: string) => (prefix ? Number(t.slice(0, -1)) * unit : Number(t));
  const maxDigits = exponent ? 15 : 20;
  let digits = 0;
  while (digits < maxDigits && !splits.every((v) => !Number.isFinite(v) || v === 0
    || Math.abs(value(text(v, digits)) - v) <= tolerance)) {
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
