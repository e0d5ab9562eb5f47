// Run colours: Okabe and Ito's palette, made to stay distinct under the common colour-vision deficiencies (red-green
// included), without its black, which a dark page would hide, and its yellow, a 1.3:1 line on a light page; no grey
// takes their place, as any grey light or dark enough to be a line on both themes is hard to tell from the reddish
// purple or the bluish green with deuteranopia (colors.test.ts measures both). See https://jfly.uni-koeln.de/color/.
export const RUN_PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#56B4E9', // sky blue
  '#CC79A7', // reddish purple
];

/**
 * The colours of the runs one page shows: each run its own colour, a function of its id alone (what it has on its own
 * page), unless a run with a smaller id on the page took it first, then the next colour no run on the page has. Distinct for up to the palette's length of runs, and the same
 * for the same runs whatever their order in the URL; beyond that, colours repeat in a second round.
 */
export function runColors(runIds: Iterable<number>): Map<number, string> {
  const n = RUN_PALETTE.length;
  const out = new Map<number, string>();
  let taken = new Set<number>();
  for (const id of [...new Set(runIds)].sort((a, b) => a - b)) {
    if (taken.size === n) taken = new Set();
    let slot = paletteSlot(id);
    while (taken.has(slot)) slot = (slot + 1) % n;
    taken.add(slot);
    out.set(id, RUN_PALETTE[slot]!);
  }
  return out;
}

/** A run's own colour's place in the palette. */
function paletteSlot(runId: number): number {
  const n = RUN_PALETTE.length;
  return ((runId % n) + n) % n;
}

/** The colour with an alpha, for the min–max band and for runs that are not highlighted. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255).toString(16).padStart(2, '0');
  return `${hex}${a}`;
}
