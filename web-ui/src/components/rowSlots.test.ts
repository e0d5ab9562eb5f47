import { describe, expect, it } from 'vitest';
import { RowSlots, withPinned } from './rowSlots';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('RowSlots', () => {
  it('keeps the slot of a row that stays in view', () => {
    const s = new RowSlots();
    const first = s.assign(range(0, 30));
    expect(first).toEqual(range(0, 30));
    const next = s.assign(range(1, 31));
    // rows 1..29 keep slots 1..29; row 30 takes the slot row 0 gave up
    expect(next.slice(0, 29)).toEqual(range(1, 30));
    expect(next[29]).toBe(0);
  });

  it('reuses every slot when the view jumps a page, and never makes more slots than rows in view', () => {
    const s = new RowSlots();
    s.assign(range(0, 40));
    for (let start = 55; start < 100_000; start += 55) {
      const slots = s.assign(range(start, start + 40));
      expect(new Set(slots).size).toBe(40);
      expect(Math.max(...slots)).toBe(39);
    }
  });

  it('makes new slots only for rows beyond the most ever in view, and gives distinct slots', () => {
    const s = new RowSlots();
    s.assign(range(0, 10));
    const grown = s.assign(range(5, 25));
    expect(new Set(grown).size).toBe(20);
    expect(Math.max(...grown)).toBe(19);
    const shrunk = s.assign(range(100, 105));
    expect(new Set(shrunk).size).toBe(5);
    expect(shrunk.every((x) => x < 20)).toBe(true);
  });

  it('after clear, rows start over in the slots already made', () => {
    const s = new RowSlots();
    s.assign(range(0, 30));
    s.clear();
    expect(s.assign(range(0, 30)).sort((a, b) => a - b)).toEqual(range(0, 30));
  });

  it('keeps the focused row in its slot while it is out of view, and never gives its slot to another row', () => {
    const s = new RowSlots();
    const first = s.assign(withPinned(range(0, 30), 2));
    const focusedSlot = first[2]!;
    for (let start = 40; start < 2000; start += 37) {
      const shown = withPinned(range(start, start + 30), 2);
      expect(shown[0]).toBe(2);
      const slots = s.assign(shown);
      expect(slots[0]).toBe(focusedSlot);
      expect(slots.slice(1)).not.toContain(focusedSlot);
    }
    // without the pin, a jump hands that slot to another row: what the focus landed in
    const unpinned = new RowSlots();
    unpinned.assign(range(0, 30));
    expect(unpinned.assign(range(40, 70))).toContain(focusedSlot);
  });

  it('adds the pinned index in order, once', () => {
    expect(withPinned([5, 6, 7], 2)).toEqual([2, 5, 6, 7]);
    expect(withPinned([5, 6, 7], 9)).toEqual([5, 6, 7, 9]);
    expect(withPinned([5, 6, 7], 6)).toEqual([5, 6, 7]);
    expect(withPinned([5, 6, 7], null)).toEqual([5, 6, 7]);
  });
});
