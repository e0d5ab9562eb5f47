import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frameQueue';

function frames() {
  const queued: (() => void)[] = [];
  return {
    nextFrame: (fn: () => void) => { queued.push(fn); },
    /** runs one frame; false when none was asked for */
    step(): boolean {
      const fn = queued.shift();
      if (!fn) return false;
      fn();
      return true;
    },
    get asked() { return queued.length; },
  };
}

describe('FrameQueue', () => {
  it('runs queued jobs until the budget is spent, the rest in the next frames, each owner once with its latest', () => {
    let now = 0;
    const f = frames();
    const q = new FrameQueue(8, f.nextFrame, () => now);
    const ran: string[] = [];
    const a = {}, b = {}, c = {};
    const job = (name: string, cost: number) => () => { ran.push(name); now += cost; };
    q.schedule(a, job('a1', 5));
    q.schedule(b, job('b', 5));
    q.schedule(a, job('a2', 5)); // replaces a1, keeps a's turn
    q.schedule(c, job('c', 20));
    expect(f.asked).toBe(1);

    f.step(); // a2 (5 ms), b (10 ms spent): over the budget
    expect(ran).toEqual(['a2', 'b']);
    f.step(); // c alone: a long job still runs, one per frame
    expect(ran).toEqual(['a2', 'b', 'c']);
    expect(f.step()).toBe(false);
    expect(q.pending).toBe(0);
  });

  it('forgets a cancelled owner', () => {
    const f = frames();
    const q = new FrameQueue(8, f.nextFrame, () => 0);
    const ran: string[] = [];
    const a = {};
    q.schedule(a, () => ran.push('a'));
    q.cancel(a);
    f.step();
    expect(ran).toEqual([]);
  });

  it('puts a job asked to go first ahead of the queued ones', () => {
    let now = 0;
    const f = frames();
    const q = new FrameQueue(8, f.nextFrame, () => now);
    const ran: string[] = [];
    const a = {}, b = {}, c = {};
    const job = (name: string) => () => { ran.push(name); now += 10; };
    q.schedule(a, job('a'));
    q.schedule(b, job('b1'));
    q.schedule(c, job('c'));
    q.schedule(b, job('b2'), true);
    f.step();
    f.step();
    f.step();
    expect(ran).toEqual(['b2', 'a', 'c']);
    expect(f.step()).toBe(false);
  });
});
