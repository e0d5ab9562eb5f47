import { describe, expect, it } from 'vitest';
import { RowSlots } from './rowSlots';

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
});
