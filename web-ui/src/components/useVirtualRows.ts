import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface RowRange {
  /** First and last index to render, inclusive; last < first when there is nothing. */
  first: number;
  last: number;
}

/**
 * The rows of a fixed height that a scroll position shows, plus `overscan` on each side: arithmetic, not a walk
 * over measurements, so it costs the same at 100 rows as at 100,000 and nothing when more rows arrive.
 */
export function visibleRange(scrollTop: number, viewport: number, count: number, rowHeight: number,
    overscan: number): RowRange {
  if (count <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + Math.max(viewport, rowHeight)) / rowHeight) + overscan);
  return { first: Math.min(first, last), last };
}

/** The scrollTop that shows row `index` whole, moving as little as possible (null: already shown). */
export function scrollTopFor(index: number, scrollTop: number, viewport: number, rowHeight: number,
    headerHeight: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport - headerHeight) return bottom - viewport + headerHeight;
  return null;
}

/**
 * Rows of a fixed height inside a scrolling element: only the rows in view (plus `overscan`) exist in the DOM.
 * Re-renders the calling component only when the range of rows changes, not on every scroll event, and reads
 * nothing but scrollTop while scrolling (the height comes from a ResizeObserver), so it forces no layout.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 4, headerHeight = 0) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const geometry = useRef({ scrollTop: 0, viewport: 0 });
  const [range, setRange] = useState<RowRange>({ first: 0, last: -1 });
  const countRef = useRef(count);
  countRef.current = count;

  const update = useCallback(() => {
    const g = geometry.current;
    const next = visibleRange(g.scrollTop, g.viewport, countRef.current, rowHeight, overscan);
    setRange((old) => (old.first === next.first && old.last === next.last ? old : next));
  }, [rowHeight, overscan]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    geometry.current = { scrollTop: el.scrollTop, viewport: el.clientHeight };
    update();
    const onScroll = () => {
      geometry.current.scrollTop = el.scrollTop;
      update();
    };
    const ro = new ResizeObserver((entries) => {
      geometry.current.viewport = entries[0]!.contentRect.height;
      update();
    });
    el.addEventListener('scroll', onScroll, { passive: true });
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
    };
  }, [update]);

  // more rows (a page arrived) or fewer (a new listing): the same scroll position may show others
  useLayoutEffect(update, [count, update]);

  const scrollToIndex = useCallback((index: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const top = scrollTopFor(index, el.scrollTop, el.clientHeight, rowHeight, headerHeight);
    if (top !== null) el.scrollTop = top;
  }, [rowHeight, headerHeight]);

  const indices: number[] = [];
  for (let i = range.first; i <= Math.min(range.last, count - 1); i++) indices.push(i);
  return { scrollRef, indices, totalSize: count * rowHeight, scrollToIndex };
}
