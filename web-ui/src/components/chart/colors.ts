// A run keeps its colour on every page: the colour is a function of its id alone. The palette is Paul Tol's
// "bright" and "muted" qualitative schemes, chosen to stay distinct under the common colour-vision deficiencies,
// ordered so that consecutive ids get far-apart hues. See https://personal.sron.nl/~pault/.
export const RUN_PALETTE: readonly string[] = [
  '#4477AA', // blue
  '#EE6677', // red
  '#228833', // green
  '#CCBB44', // yellow
  '#66CCEE', // cyan
  '#AA3377', // purple
  '#332288', // indigo
  '#DDCC77', // sand
  '#117733', // dark green
  '#88CCEE', // light cyan
  '#882255', // wine
  '#44AA99', // teal
  '#999933', // olive
  '#CC6677', // rose
];

export function runColor(runId: number): string {
  const n = RUN_PALETTE.length;
  return RUN_PALETTE[((runId % n) + n) % n]!;
}

/** The colour with an alpha, for the min–max band and for runs that are not highlighted. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255).toString(16).padStart(2, '0');
  return `${hex}${a}`;
}
