import { describe, expect, it } from 'vitest';
import { LiveFeed, LiveRequery, NewKeyWatch, eventKeys, type Clock } from './liveFeed';

/** A clock whose time only moves when the test says so; timers fire in time order. */
class FakeClock implements Clock {
  time = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimeout = (id: number) => {
    this.timers.delete(id);
  };
  async advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
      await flush();
    }
    this.time = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** Loads that take `ms` of fake time and record when they started and which first event they answered. */
function recorder(clock: FakeClock, ms: number) {
  const loads: { start: number; eventAt: number }[] = [];
  const load = (eventAt: number) => {
    loads.push({ start: clock.now(), eventAt });
    return new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  };
  return { loads, load };
}

describe('LiveRequery', () => {
  it('turns 100 events a second for 3 s into one query a second and one after the last event', async () => {
    const clock = new FakeClock();
    const { loads, load } = recorder(clock, 50);
    const r = new LiveRequery(load, 1000, clock);
    for (let t = 0; t < 3000; t += 10) {
      r.event();
      await clock.advance(10);
    }
    await clock.advance(5000);
    expect(loads.map((l) => l.start)).toEqual([0, 1050, 2100, 3150]);
    // each query answers the first event after the previous one was sent
    expect(loads.map((l) => l.eventAt)).toEqual([0, 10, 1050, 2100]);
  });

  it('never has two queries in flight, even when they take longer than the interval', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let most = 0;
    let count = 0;
    const r = new LiveRequery(() => {
      inFlight++;
      count++;
      most = Math.max(most, inFlight);
      return new Promise<void>((resolve) => clock.setTimeout(() => {
        inFlight--;
        resolve();
      }, 2500));
    }, 1000, clock);
    for (let t = 0; t < 10000; t += 100) {
      r.event();
      await clock.advance(100);
    }
    await clock.advance(20000);
    expect(most).toBe(1);
    expect(count).toBe(4); // at 0, 3500 and 7000, then the one after the last event at 10500
    expect(inFlight).toBe(0);
  });

  it('waits for another load of the chart and counts the interval from its end', async () => {
    const clock = new FakeClock();
    const { loads, load } = recorder(clock, 10);
    const r = new LiveRequery(load, 1000, clock);
    const view = r.around(new Promise<void>((resolve) => clock.setTimeout(resolve, 300)));
    r.event();
    await clock.advance(200);
    expect(loads).toEqual([]);
    await clock.advance(2000);
    await view;
    expect(loads).toEqual([{ start: 1300, eventAt: 0 }]);
  });

  it('does nothing after stop, and nothing without events', async () => {
    const clock = new FakeClock();
    const { loads, load } = recorder(clock, 10);
    const r = new LiveRequery(load, 1000, clock);
    await clock.advance(5000);
    r.event();
    r.stop();
    r.event();
    await clock.advance(5000);
    expect(loads).toEqual([]);
  });

  it('tries again on the next event after a failed query', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    const r = new LiveRequery(async () => {
      starts.push(clock.now());
      if (starts.length === 1) throw new Error('network');
    }, 1000, clock);
    r.event();
    await clock.advance(10);
    r.event();
    await clock.advance(2000);
    expect(starts).toEqual([0, 1000]);
  });
});

describe('LiveFeed', () => {
  it('tells every subscriber until it unsubscribes', () => {
    const feed = new LiveFeed();
    const a: string[] = [];
    const b: string[] = [];
    const offA = feed.subscribe((run, keys) => a.push(`${run}:${keys?.join('+') ?? '*'}`));
    feed.subscribe((run) => b.push(String(run)));
    feed.notify(3, ['loss']);
    offA();
    feed.notify(4, null);
    expect(a).toEqual(['3:loss']);
    expect(b).toEqual(['3', '4']);
  });
});

describe('eventKeys', () => {
  it('reads the map the API sends and the older list form', () => {
    expect(eventKeys({ runId: 1, metrics: { 'train/loss': { last: 1 }, acc: { last: 2 } } } as never)).toEqual(['train/loss', 'acc']);
    expect(eventKeys({ keys: [{ key: 'a' }, { key: 'b' }] })).toEqual(['a', 'b']);
    expect(eventKeys({})).toEqual([]);
  });
});

describe('NewKeyWatch', () => {
  it('asks once for a key the page does not know, then not again within the interval', () => {
    let t = 0;
    const w = new NewKeyWatch(1000, () => t);
    w.setKnown(['loss']);
    expect(w.shouldAsk(['loss'])).toBe(false);
    expect(w.shouldAsk(['loss', 'acc'])).toBe(true);
    t = 500;
    expect(w.shouldAsk(['acc'])).toBe(false);
    t = 1000;
    expect(w.shouldAsk(['acc'])).toBe(true);
    w.setKnown(['loss', 'acc']);
    t = 5000;
    expect(w.shouldAsk(['acc'])).toBe(false);
  });
});
