import { afterEach, describe, expect, it, vi } from 'vitest';
import { inIdOrder, loadCompareRuns } from './compareRuns';

describe('the compared runs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are in the order of the URL, with the ids the list had no run for', () => {
    const listed = [{ id: 9, name: 'newest' }, { id: 4, name: 'b' }, { id: 2, name: 'a' }];
    expect(inIdOrder([2, 5, 9, 4], listed)).toEqual({
      runs: [{ id: 2, name: 'a' }, { id: 9, name: 'newest' }, { id: 4, name: 'b' }], missing: [5] });
  });

  it('load in one request however many there are', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit & { priority?: string }) => {
      urls.push(`${url} ${init.priority}`);
      const ids = new URL(url, 'http://x').searchParams.get('id')!.split(',').map(Number);
      const items = ids.filter((id) => id !== 13).reverse().map((id) => ({ id, name: `run-${id}` }));
      return Promise.resolve(new Response(JSON.stringify({ items, nextCursor: null }),
        { status: 200, headers: { 'Content-Type': 'application/json' } }));
    });
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const loaded = await loadCompareRuns(7, ids);
    expect(urls).toEqual([`/api/v1/projects/7/runs?id=${ids.join('%2C')}&limit=20 low`]);
    expect(loaded.runs.map((r) => r.id)).toEqual(ids.filter((id) => id !== 13));
    expect(loaded.missing).toEqual([13]);
    expect(await loadCompareRuns(7, [])).toEqual({ runs: [], missing: [] });
    expect(urls.length).toBe(1);
  });
});
