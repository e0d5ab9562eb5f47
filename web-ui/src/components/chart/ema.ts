/**
 * TensorBoard's smoothing: an exponential moving average debiased like Adam's moments (divided by
 * 1 - weight^n), so the first values are not pulled towards zero. Non-finite values pass through unchanged and do
 * not enter the average. weight 0 returns the input; weight must be in [0, 1).
 */
export function debiasedEma(values: Float64Array, weight: number): Float64Array {
  if (weight <= 0) return values;
  const out = new Float64Array(values.length);
  let acc = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    acc = acc * weight + (1 - weight) * v;
    n++;
    out[i] = acc / (1 - Math.pow(weight, n));
  }
  return out;
}
