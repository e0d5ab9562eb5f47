import { afterEach, describe, expect, it, vi } from 'vitest';
import { DurationTicker } from './liveDuration';

function fakeTimers() {
  const live = new Map<unknown, () => void>();
  let next = 1;
  return {
    live,
    set: (fn: () => void) => { live.set(next, fn); return next++; },
    clear: (id: unknown) => { live.delete(id); },
    fire() { for (const fn of live.values()) fn(); },
  };
}

/** setInterval and clearInterval as a browser has them: they throw unless called on the window (or on nothing). */
function browserLike<F extends (...args: never[]) => unknown>(real: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
    return real(...args);
  } as F;
}

afterEach(() => vi.unstubAllGlobals());

describe('DurationTicker', () => {
  it('moves every running cell on with one timer, and stops the timer with the last cell', () => {
    let now = Date.parse('2026-01-01T00:01:05Z');
    const timers = fakeTimers();
    const ticker = new DurationTicker(1000, () => now, timers);
    const a = { textContent: null as string | null };
    const b = { textContent: null as string | null };
    const removeA = ticker.add(a, '2026-01-01T00:00:00Z');
    const removeB = ticker.add(b, '2026-01-01T00:01:00Z');
    expect([a.textContent, b.textContent]).toEqual(['1 min 5 s', '5 s']);
    expect(timers.live.size).toBe(1);

    now += 2000;
    timers.fire();
    expect([a.textContent, b.textContent]).toEqual(['1 min 7 s', '7 s']);

    removeA();
    now += 1000;
    timers.fire();
    expect([a.textContent, b.textContent]).toEqual(['1 min 7 s', '8 s']);
    removeB();
    expect(timers.live.size).toBe(0);
    expect(ticker.size).toBe(0);
  });

  it('ticks with the real timers, called as a browser allows', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      vi.setSystemTime(Date.parse('2026-01-01T00:00:05Z'));
      vi.stubGlobal('setInterval', browserLike(setInterval));
      vi.stubGlobal('clearInterval', browserLike(clearInterval));
      const ticker = new DurationTicker();
      const cell = { textContent: null as string | null };
      const remove = ticker.add(cell, '2026-01-01T00:00:00Z');
      expect(cell.textContent).toBe('5 s');
      vi.advanceTimersByTime(3000);
      expect(cell.textContent).toBe('8 s');
      remove();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
