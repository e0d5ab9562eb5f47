/** A runs table column's share of the row: its width, and whether it takes the room a wider table leaves. */
export interface ColumnWidth {
  width: number;
  /** Grows to fill a table wider than the columns (the first such column; else the last column). */
  flex?: boolean;
}

/**
 * The rows' grid columns: each column its width, the flexible one (the run's name, whose text is the longest and
 * whose room is never wasted; else the last column) at least its width and sharing out the rest (1fr), so that
 * the header and rows fill a wider table with the figures kept beside each other. A narrower table scrolls
 * sideways: the header and body are at least the columns' sum wide.
 */
export function columnTemplate(selectWidth: number, columns: readonly ColumnWidth[]): string {
  let flex = columns.findIndex((c) => c.flex);
  if (flex < 0) flex = columns.length - 1;
  return [`${selectWidth}px`, ...columns.map((c, i) => (i === flex ? `minmax(${c.width}px, 1fr)` : `${c.width}px`))]
    .join(' ');
}
