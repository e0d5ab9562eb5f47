// The y range of a chart: all finite values, or one that ignores outliers (a few spikes no longer flatten the
// curves everyone looks at, as TensorBoard's "ignore outliers in chart scaling", which is also the default).

/**
 * The k-th smallest of `a[lo..hi]` (inclusive), found by selection (Floyd and Rivest's partitioning, as
 * Hoare's quickselect with the pivot from the middle): `a` is reordered so that `a[k]` holds it, smaller values
 * before and larger after. O(n) on average where a sort was O(n log n): the y range runs on every draw.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

/** Quantile of the finite values (linear between neighbours, as on the sorted values), by selection. */
function quantile(values: Float64Array, q: number): number {
  const pos = (values.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const below = select(values, lo, 0, values.length - 1);
  // after selecting lo, the next order statistic is the smallest value to its right
  let above = below;
  if (hi !== lo) {
    above = Infinity;
    for (let i = lo + 1; i < values.length; i++) if (values[i]! < above) above = values[i]!;
  }
  return below + (above - below) * (pos - lo);
}

/** Finite (and, for a log axis, positive) values of every array, in one typed array (a copy, free to reorder). */
function finiteValues(arrays: readonly Float64Array[], positiveOnly: boolean): Float64Array {
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
  return all.subarray(0, k);
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
function withoutOutliers(values: Float64Array, log: boolean): [number, number] {
  const t = log ? Math.log10 : (v: number) => v;
  const q0 = t(quantile(values, OUTLIER_QUANTILES[0]));
  const q1 = t(quantile(values, OUTLIER_QUANTILES[1]));
  const fence = (q1 - q0) * OUTLIER_FENCE;
  const from = q0 - fence;
  const to = q1 + fence;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const tv = log ? Math.log10(v) : v;
    if (tv >= from && tv <= to) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

function extent(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * [min, max] for the y scale with 5% headroom (multiplicative on a log axis), or null when there is no finite
 * value. A flat series gets a range around its value.
 */
export function yRange(arrays: readonly Float64Array[], opts: RangeOptions): [number, number] | null {
  const values = finiteValues(arrays, opts.log);
  if (values.length === 0) return null;
  let [lo, hi] = opts.ignoreOutliers ? withoutOutliers(values, opts.log) : extent(values);
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
