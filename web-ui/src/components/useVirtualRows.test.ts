import { describe, expect, it } from 'vitest';
import { scrollTopFor, visibleRange } from './useVirtualRows';

describe('visibleRange', () => {
  it('is the rows the viewport crosses, plus overscan on each side', () => {
    // rows of 36 px, a 360 px viewport scrolled to 3600: rows 100..110 show (110 partly), 4 more on each side
    expect(visibleRange(3600, 360, 100_000, 36, 4)).toEqual({ first: 96, last: 114 });
    // half a row down: row 100 is cut at the top, 110 at the bottom
    expect(visibleRange(3618, 360, 100_000, 36, 4)).toEqual({ first: 96, last: 115 });
  });

  it('stops at both ends', () => {
    expect(visibleRange(0, 360, 100_000, 36, 4)).toEqual({ first: 0, last: 14 });
    expect(visibleRange(36 * 99_990, 360, 100_000, 36, 4)).toEqual({ first: 99_986, last: 99_999 });
    expect(visibleRange(0, 360, 3, 36, 4)).toEqual({ first: 0, last: 2 });
  });

  it('is empty without rows, and shows rows before the viewport has a height', () => {
    expect(visibleRange(0, 360, 0, 36, 4)).toEqual({ first: 0, last: -1 });
    expect(visibleRange(0, 0, 100, 36, 4).last).toBeGreaterThanOrEqual(0);
  });

  it('a scroll position past the rows there are (rows went away) still gives a valid range', () => {
    const r = visibleRange(36 * 5000, 360, 200, 36, 4);
    expect(r.last).toBe(199);
    expect(r.first).toBeLessThanOrEqual(r.last);
  });
});

describe('scrollTopFor', () => {
  // a 400 px viewport under a 37 px sticky header, scrolled to row 10 (360 px)
  it('scrolls up to a row above the view and down to one below it, no further', () => {
    expect(scrollTopFor(9, 360, 400, 36, 37)).toBe(324);
    expect(scrollTopFor(10, 360, 400, 36, 37)).toBeNull();
    // rows 10..19 fit under the header: their bottoms reach 720 of 360 + 400 - 37 = 723
    expect(scrollTopFor(19, 360, 400, 36, 37)).toBeNull();
    expect(scrollTopFor(20, 360, 400, 36, 37)).toBe(393);
  });
});
