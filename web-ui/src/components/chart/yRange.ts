// The y range of a chart: all finite values, or one that ignores outliers (a few spikes no longer flatten the
// curves everyone looks at, as TensorBoard's "ignore outliers in chart scaling", which is also the default).

/** Quantile of sorted finite values, linear between neighbours. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Finite (and, for a log axis, positive) values of every array, in one sorted typed array. The typed array's own
 * sort runs natively: on a page's first draws (code not yet optimised) it beat a selection written in JS.
 */
function finiteSorted(arrays: readonly Float64Array[], positiveOnly: boolean): Float64Array {
  let n = 0;
  for (const a of arrays) n += a.length;
  const all = new Float64Array(n);
  let k = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (Number.isFinite(v) && (!positiveOnly || v > 0)) all[k++] = v;
    }
  }
  return all.subarray(0, k).sort();
}

export interface RangeOptions {
  /** leave out values far outside the bulk of the data (see {@link OUTLIER_QUANTILES}) */
  ignoreOutliers: boolean;
  log: boolean;
}

/** The bulk of the data, whose span decides what is an outlier. */
export const OUTLIER_QUANTILES: readonly [number, number] = [0.02, 0.98];
/** A value further beyond the bulk than this many times its span is an outlier (Tukey's far-out fence is 3 IQRs). */
export const OUTLIER_FENCE = 3;

/**
 * The lowest and highest value that are not outliers: those within the fence around the 2nd to 98th percentile
 * (on a log axis, in decades). Unlike cutting at the percentiles themselves, a curve's own start (a loss that
 * begins high and falls fast) stays in view; only values far out, like a single spike, are left out.
 */
function withoutOutliers(sorted: Float64Array, log: boolean): [number, number] {
  const t = log ? Math.log10 : (v: number) => v;
  const q0 = t(quantile(sorted, OUTLIER_QUANTILES[0]));
  const q1 = t(quantile(sorted, OUTLIER_QUANTILES[1]));
  const fence = (q1 - q0) * OUTLIER_FENCE;
  // t is increasing, so the values within the fence are one stretch of the sorted values: walk in from both ends
  // past the outliers only (the 2nd and 98th percentile themselves are always within)
  let i = 0;
  while (t(sorted[i]!) < q0 - fence) i++;
  let j = sorted.length - 1;
  while (t(sorted[j]!) > q1 + fence) j--;
  return [sorted[i]!, sorted[j]!];
}

/**
 * [min, max] for the y scale with 5% headroom (multiplicative on a log axis), or null when there is no finite
 * value. A flat series gets a range around its value.
 */
export function yRange(arrays: readonly Float64Array[], opts: RangeOptions): [number, number] | null {
  const sorted = finiteSorted(arrays, opts.log);
  if (sorted.length === 0) return null;
  let [lo, hi] = opts.ignoreOutliers ? withoutOutliers(sorted, opts.log) : [sorted[0]!, sorted[sorted.length - 1]!];
  if (opts.log) {
    if (lo === hi) return [lo / 2, hi * 2];
    const span = Math.log10(hi) - Math.log10(lo);
    return [lo / Math.pow(10, span * 0.05), hi * Math.pow(10, span * 0.05)];
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}
