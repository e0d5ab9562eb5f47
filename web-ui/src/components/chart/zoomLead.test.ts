import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZoomLead } from './zoomLead';

describe('ZoomLead', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function settled(p: Promise<void>): Promise<boolean> {
    let done = false;
    void p.then(() => { done = true; });
    await vi.advanceTimersByTimeAsync(0);
    return done;
  }

  it('lets followers go at once when no chart leads', async () => {
    expect(await settled(new ZoomLead().follow())).toBe(true);
  });

  it('holds followers until the leading chart has drawn its zoom', async () => {
    const lead = new ZoomLead(400);
    const drawn = lead.lead();
    const follower = lead.follow();
    expect(await settled(follower)).toBe(false);
    drawn();
    expect(await settled(follower)).toBe(true);
    expect(await settled(lead.follow())).toBe(true);
  });

  it('lets followers go after the longest wait when the lead never draws', async () => {
    const lead = new ZoomLead(400);
    lead.lead();
    const follower = lead.follow();
    await vi.advanceTimersByTimeAsync(399);
    expect(await settled(follower)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(follower)).toBe(true);
  });

  it('releases the previous lead when a new zoom starts', async () => {
    const lead = new ZoomLead(400);
    lead.lead();
    const first = lead.follow();
    const second = lead.lead();
    expect(await settled(first)).toBe(true);
    const follower = lead.follow();
    expect(await settled(follower)).toBe(false);
    second();
    expect(await settled(follower)).toBe(true);
  });
});
