import { useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import {
  Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualItem,
} from '@tanstack/virtual-core';

/**
 * Rows of a fixed height inside a scrolling element, virtualised by @tanstack/virtual-core: only the rows in view
 * (plus `overscan`) exist in the DOM. Re-renders the calling component when the visible range changes.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 12) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [virtualizer] = useState(() => new Virtualizer<HTMLDivElement, HTMLDivElement>({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    onChange: () => rerender(0),
  }));
  // the same estimateSize function every time: a new one would make the virtualizer measure every row again
  virtualizer.setOptions({ ...virtualizer.options, count, overscan });
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  const items: VirtualItem[] = virtualizer.getVirtualItems();
  return { scrollRef, items, totalSize: virtualizer.getTotalSize(), virtualizer };
}
