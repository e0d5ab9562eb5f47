// Run colours: Okabe and Ito's palette, made to stay distinct under the common colour-vision deficiencies (red-green
// included), without its black, which a dark page would hide, and its yellow, a 1.3:1 line on a light page; no grey
// takes their place, as any grey light or dark enough to be a line on both themes is hard to tell from the reddish
// purple or the bluish green with deuteranopia (colors.test.ts measures both). See https://jfly.uni-koeln.de/color/.
// The dark theme draws the palette as it is (3.19:1 at the least, the blue on --bg-2). On the light theme its orange
// and sky blue had 2.25:1 and 2.31:1 on white and its reddish purple 2.81:1 on --bg-2, short of WCAG 1.4.11's 3:1 for
// graphics: the light theme has darker variants of the three, of about the same hue, and a slightly darker vermillion
// to keep the darker orange apart from it with deuteranopia and protanopia; all have >= 3.05:1 on --bg and --bg-2.
export type ColorScheme = 'light' | 'dark';

/** The run palettes, slot for slot the same colours: a run has the same place in both. */
export const RUN_PALETTES: Readonly<Record<ColorScheme, readonly string[]>> = {
  dark: [
    '#0072B2', // blue
    '#E69F00', // orange
    '#009E73', // bluish green
    '#D55E00', // vermillion
    '#56B4E9', // sky blue
    '#CC79A7', // reddish purple
  ],
  light: [
    '#0072B2', // blue
    '#C97B00', // orange, darker (#E69F00: 2.25:1 on white)
    '#009E73', // bluish green
    '#C25500', // vermillion, a little darker, to stay apart from the darker orange
    '#1893D7', // sky blue, darker (#56B4E9: 2.31:1 on white)
    '#C07398', // reddish purple, a little darker (#CC79A7: 2.81:1 on --bg-2)
  ],
};

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

/**
 * Point markers, one per round of the palette as RUN_DASHES has a pattern per round: where a run is a point (the compare
 * page's scatter) the 7th to 12th runs are squares, the 13th to 18th triangles, the 19th to 24th diamonds.
 */
export type RunMarker = 'circle' | 'square' | 'triangle' | 'diamond';
export const RUN_MARKERS: readonly RunMarker[] = ['circle', 'square', 'triangle', 'diamond'];

/** How a page draws a run: its colour, its line's dash pattern (empty: solid) and its point's marker. */
export interface RunStyle {
  color: string;
  dash: readonly number[];
  marker: RunMarker;
}

/**
 * The styles of the runs one page shows, in its theme's colours (scheme; a run's slot is the same in both), given in
 * the page's order (the compare page's: its URL's runs= list, where an added run goes last). Each run in turn takes its
 * own colour, a function of its id alone (what it has on its own page), unless a run before it in the list took it,
 * then the next colour no run before it has. Once every colour is taken, the next runs start a round with the next
 * dash pattern: the 7th to 12th runs of the list are dashed, the 13th to 18th dotted, the 19th to 24th dash-dotted (as
 * points: circles, then squares, triangles, diamonds). So:
 * - the same list (the same URL) gives the same styles;
 * - adding a run at the end changes no other run's style (nothing before a run decides its style but the runs before
 *   it);
 * - removing a run changes no other run's style but those that had not got their own colour solid: the ones it, or
 *   a run before them, had bumped to another colour or a later round, which may now move into the freed place.
 */
export function runStyles(runIds: Iterable<number>, scheme: ColorScheme = 'light'): Map<number, RunStyle> {
  const palette = RUN_PALETTES[scheme];
  const n = palette.length;
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
    out.set(id, {
      color: palette[slot]!,
      dash: RUN_DASHES[round % RUN_DASHES.length]!,
      marker: RUN_MARKERS[round % RUN_MARKERS.length]!,
    });
  }
  return out;
}

/** The runs' colours alone (runStyles without the dash patterns). */
export function runColors(runIds: Iterable<number>, scheme: ColorScheme = 'light'): Map<number, string> {
  return new Map([...runStyles(runIds, scheme)].map(([id, s]) => [id, s.color]));
}

/** A run's own colour's place in the palette. */
function paletteSlot(runId: number): number {
  const n = RUN_PALETTES.light.length;
  return ((runId % n) + n) % n;
}

/** The colour with an alpha, for the min–max band and for runs that are not highlighted. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255).toString(16).padStart(2, '0');
  return `${hex}${a}`;
}

/**
 * A marker's outline as an SVG path, centred on (x, y), of about the area of a circle of radius r (so no shape looks
 * bigger than another): a circle, a square, an upward triangle (centred on its centroid) or a diamond.
 */
export function markerPath(marker: RunMarker, x: number, y: number, r: number): string {
  const f = (v: number) => +v.toFixed(2);
  switch (marker) {
    case 'circle':
      return `M${f(x - r)} ${f(y)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0Z`;
    case 'square': {
      const h = (r * Math.sqrt(Math.PI)) / 2; // side r√π
      return `M${f(x - h)} ${f(y - h)}H${f(x + h)}V${f(y + h)}H${f(x - h)}Z`;
    }
    case 'triangle': {
      const c = r * Math.sqrt((4 * Math.PI) / (3 * Math.sqrt(3))); // circumradius of an equilateral triangle of area πr²
      const dx = (c * Math.sqrt(3)) / 2;
      return `M${f(x)} ${f(y - c)}L${f(x + dx)} ${f(y + c / 2)}L${f(x - dx)} ${f(y + c / 2)}Z`;
    }
    case 'diamond': {
      const d = r * Math.sqrt(Math.PI / 2); // half-diagonal of a square of area πr²
      return `M${f(x)} ${f(y - d)}L${f(x + d)} ${f(y)}L${f(x)} ${f(y + d)}L${f(x - d)} ${f(y)}Z`;
    }
  }
}
