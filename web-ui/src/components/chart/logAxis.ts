// The ticks of a chart's log y axis. uPlot's own log splits start at the scale's minimum, which our padded ranges make
// a value like 0.0237: the first label read 2.37e-2, and its label filter keeps 3 and 7 (× 10^k) when there is room.
// Here the splits are every m × 10^k (m = 1..9) inside the range, the labels and grid lines go on 1, 2 and 5 × 10^k
// (powers of ten alone when a decade is short), and the other splits are minor ticks: uPlot's splits, filter and values
// options, computed by these functions.
import { axisTickLabels } from './axisTicks';

const MANTISSAS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** m × 10^k, exact in decimal (0.3 and not 0.30000000000000004). */
function times10(m: number, k: number): number {
  return k < 0 ? m / 10 ** -k : m * 10 ** k;
}

/** The leading digit of a positive split (1 for 1e-4, 5 for 0.05); NaN for a split of the linear fallback. */
function mantissa(v: number): number {
  const [m] = v.toExponential(12).split('e');
  const d = Number(m);
  return Number.isInteger(d) ? d : NaN;
}

/** Every m × 10^k within [min, max]: the minor ticks, of which some are labelled. */
function decadeSplits(min: number, max: number): number[] {
  const out: number[] = [];
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return out;
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of MANTISSAS) {
      const v = times10(m, k);
      if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) out.push(v);
    }
  }
  return out;
}

const isMajor = (v: number) => { const m = mantissa(v); return m === 1 || m === 2 || m === 5; };

/**
 * The splits of a log axis over [min, max]: every m × 10^k inside it; or, when fewer than two of those are 1, 2 or
 * 5 × 10^k (an accuracy between 0.91 and 0.97), multiples of the linear increment uPlot found for the range.
 */
export function logSplits(min: number, max: number, linearIncr: number): number[] {
  const decades = decadeSplits(min, max);
  if (decades.filter(isMajor).length >= 2 || !(linearIncr > 0)) return decades;
  const out: number[] = [];
  for (let i = Math.ceil(min / linearIncr - 1e-9); i * linearIncr <= max * (1 + 1e-12); i++) {
    out.push(Number((i * linearIncr).toPrecision(12)));
  }
  return out;
}

/** Whether these splits are logSplits' linear fallback (every one is then labelled). */
function isLinear(splits: readonly number[]): boolean {
  return splits.filter(isMajor).length < 2;
}

/**
 * The splits that carry a label and a grid line, the others null: 1, 2 and 5 × 10^k when the gap from 1 to 2 (the
 * smaller one, 0.3 of a decade) has `minSpace` pixels; else the powers of ten, every n-th decade (the decades whose
 * exponent is a multiple of n, so the labels stay put as the range changes) when even those are closer than that.
 */
export function logLabelled(splits: readonly number[], pxPerDecade: number, minSpace: number): (number | null)[] {
  if (isLinear(splits)) return [...splits];
  if (pxPerDecade * Math.log10(2) >= minSpace) return splits.map((v) => (isMajor(v) ? v : null));
  const every = Math.max(1, Math.ceil(minSpace / pxPerDecade));
  return splits.map((v) => (mantissa(v) === 1 && Math.round(Math.log10(v)) % every === 0 ? v : null));
}

/**
 * The labels of a log axis' labelled splits (null stays null: uPlot draws no label there), `splits` being all of them.
 * In one notation for the axis: plain figures when every label lies in [0.001, 10^4) (`0.01 0.02 0.05 0.1`), an SI
 * prefix on each from 1 up (`1 10 100 1k 10k 1M`), exponents otherwise (`1e-5 1e-4 1e-3`); the linear fallback's as
 * on a linear axis (the same decimals on every label).
 */
export function logTickLabels(labelled: readonly (number | null)[], splits: readonly number[]): (string | null)[] {
  const shown = labelled.filter((v): v is number => v !== null && Number.isFinite(v));
  if (isLinear(splits)) {
    const text = axisTickLabels(shown);
    let i = 0;
    return labelled.map((v) => (v === null || !Number.isFinite(v) ? null : text[i++]!));
  }
  const plain = shown.every((v) => v >= 1e-3 && v < 1e4);
  const si = shown.every((v) => v >= 1 && v < 1e15);
  return labelled.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    if (plain) return String(Number(v.toPrecision(12)));
    if (si) return siLabel(v);
    return Number(v.toPrecision(12)).toExponential();
  });
}

const SI = ['', 'k', 'M', 'G', 'T'];

function siLabel(v: number): string {
  const p = v < 1e3 ? 0 : Math.floor(Math.log10(v) / 3 + 1e-12);
  return String(Number((v / 1000 ** p).toPrecision(12))) + SI[p];
}
