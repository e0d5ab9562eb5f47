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
 * The styles of the runs one page shows, given in the page's order (the compare page's: its URL's runs= list, where an
 * added run goes last). Each run in turn takes its own colour, a function of its id alone (what it has on its own
 * page), unless a run before it in the list took it, then the next colour no run before it has. Once every colour is
 * taken, the next runs start a round with the next dash pattern: the 7th to 12th runs of the list are dashed, the 13th
 * to 18th dotted, the 19th to 24th dash-dotted. So:
 * - the same list (the same URL) gives the same styles;
 * - adding a run at the end changes no other run's style (nothing before a run decides its style but the runs before
 *   it);
 * - removing a run changes no other run's style but those that had not got their own colour solid: the ones it, or
 *   a run before them, had bumped to another colour or a later round, which may now move into the freed place.
 */
export function runStyles(runIds: Iterable<number>): Map<number, RunStyle> {
  const n = RUN_PALETTE.length;
  const out = new Map<number, RunStyle>();
  // the colours taken in each round so far; a run goes to the first round with a colour free
  const rounds: Set<number>[] = [];
  for (const id of runIds) {
    if (out.has(id)) continue;
    let round = rounds.findIndex((taken) => taken.size < n);
    if (round < 0) round = rounds.push(new Set()) - 1;
    const taken = rounds[round]!;
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
