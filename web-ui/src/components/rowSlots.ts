/**
 * Gives each visible row of a virtualised list a slot (its Preact key) so that DOM rows are recycled: a row still in
 * view keeps its slot (and its DOM, untouched), a row coming into view takes a slot a row leaving it gave up (its DOM
 * is patched, not created), and new slots are made only when more rows are in view than before. Scrolling a page at
 * a time then replaces text in some thirty rows instead of removing and creating them.
 */
export class RowSlots {
  private byIndex = new Map<number, number>();
  private size = 0;

  /** The slot of each index, in order; `indices` are distinct. */
  assign(indices: readonly number[]): number[] {
    const next = new Map<number, number>();
    const used = new Set<number>();
    for (const i of indices) {
      const slot = this.byIndex.get(i);
      if (slot !== undefined) {
        next.set(i, slot);
        used.add(slot);
      }
    }
    const free: number[] = [];
    for (let s = this.size - 1; s >= 0; s--) if (!used.has(s)) free.push(s);
    const out = indices.map((i) => {
      let slot = next.get(i);
      if (slot === undefined) {
        slot = free.pop() ?? this.size++;
        next.set(i, slot);
      }
      return slot;
    });
    this.byIndex = next;
    return out;
  }

  /** Forget every row (a new listing): slots are kept for reuse. */
  clear(): void {
    this.byIndex = new Map();
  }
}

/**
 * `indices` (ascending) with `pinned` added in order when it is not among them: the row holding focus stays rendered
 * when it scrolls out of view, so it keeps its slot and its DOM, and the focus never lands in a row recycled for
 * another item.
 */
export function withPinned(indices: readonly number[], pinned: number | null): number[] {
  if (pinned === null || indices.includes(pinned)) return indices as number[];
  const out = [...indices];
  let at = 0;
  while (at < out.length && out[at]! < pinned) at++;
  out.splice(at, 0, pinned);
  return out;
}
