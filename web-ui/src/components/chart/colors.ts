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
 * Line patterns (CSS pixels, as canvas setLineDash and SVG stroke-dasharray take them) that tell apart the runs whose
 * colours repeat: solid for the palette's first round of runs, then dashed, dotted and dash-dotted. Beyond four rounds
 * (24 runs) colour and pattern both repeat.
 */
export const RUN_DASHES: readonly (readonly number[])[] = [
  [],
  [7, 4],
  [1.5, 3],
  [9, 3, 1.5, 3],
];

/** How a page draws a run: its colour and its line's dash pattern (empty: solid). */
export interface RunStyle {
  color: string;
  dash: readonly number[];
}

/**
 * The styles of the runs one page shows: each run its own colour, a function of its id alone (what it has on its own
 * page), unless a run with a smaller id on the page took it first, then the next colour no run on the page has. Once
 * every colour is taken, a new round starts with the next dash pattern: runs 7 to 12 (by id) are dashed, 13 to 18
 * dotted. The same for the same runs whatever their order in the URL. Removing a run changes no other run's colour
 * unless that run had given up its own colour to it (or a run of a later round moves up a round).
 */
export function runStyles(runIds: Iterable<number>): Map<number, RunStyle> {
  const n = RUN_PALETTE.length;
  const out = new Map<number, RunStyle>();
  let taken = new Set<number>();
  let round = 0;
  for (const id of [...new Set(runIds)].sort((a, b) => a - b)) {
    if (taken.size === n) {
      taken = new Set();
      round++;
    }
    let slot = paletteSlot(id);
    while (taken.has(slot)) slot = (slot + 1) % n;
    taken.add(slot);
    out.set(id, { color: RUN_PALETTE[slot]!, dash: RUN_DASHES[round % RUN_DASHES.length]! });
  }
  return out;
}

/** The runs' colours alone (runStyles without the dash patterns). */
export function runColors(runIds: Iterable<number>): Map<number, string> {
  return new Map([...runStyles(runIds)].map(([id, s]) => [id, s.color]));
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
