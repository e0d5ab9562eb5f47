// How wide the y axis must be for its tick labels: a fixed width clips long ones (lr = 3.000e-4, -1.2345e+6).

/** The axis' room besides the widest label: tick length, gap, and a pixel of slack for anti-aliasing. */
export const AXIS_PADDING = { tick: 10, gap: 5, slack: 2 } as const;
/** Never narrower than this, so charts on one page line up when their labels are short. */
export const MIN_AXIS_SIZE = 48;

/**
 * The y axis size in CSS pixels for these tick labels, measured by `measure` (the canvas' own text width, in CSS
 * pixels). Without labels yet (uPlot's first sizing pass) it is the minimum.
 */
export function yAxisSize(labels: readonly (string | null)[] | null | undefined, measure: (text: string) => number): number {
  let widest = 0;
  // null: a split without a label (a log axis' minor tick)
  for (const label of labels ?? []) if (label !== null) widest = Math.max(widest, measure(label));
  return Math.max(MIN_AXIS_SIZE, Math.ceil(widest + AXIS_PADDING.tick + AXIS_PADDING.gap + AXIS_PADDING.slack));
}
