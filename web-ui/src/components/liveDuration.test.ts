import { describe, expect, it } from 'vitest';
import { DurationTicker } from './liveDuration';

function fakeTimers() {
  const live = new Map<number, () => void>();
  let next = 1;
  return {
    live,
    set: ((fn: () => void) => { live.set(next, fn); return next++; }) as unknown as typeof setInterval,
    clear: ((id: number) => { live.delete(id); }) as unknown as typeof clearInterval,
    fire() { for (const fn of live.values()) fn(); },
  };
}

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
});
