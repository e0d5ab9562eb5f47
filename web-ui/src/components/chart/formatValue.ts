/** A value for axis ticks and the legend: five significant digits, exponents for the very small and large. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  const t = v.toPrecision(5);
  // trailing zeros of a fraction only: 10000 stays 10000
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}
