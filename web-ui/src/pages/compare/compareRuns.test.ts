import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api';
import { inIdOrder, loadCompareRuns, narrowed, summariesOfFound } from './compareRuns';

describe('the compared runs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are in the order of the URL, with the ids the list had no run for', () => {
    const listed = [{ id: 9, name: 'newest' }, { id: 4, name: 'b' }, { id: 2, name: 'a' }];
    expect(inIdOrder([2, 5, 9, 4], listed)).toEqual({
      runs: [{ id: 2, name: 'a' }, { id: 9, name: 'newest' }, { id: 4, name: 'b' }], missing: [5] });
  });

  it('keep what the last list said of the runs still compared while the list for a new set loads', () => {
    const runs = [{ id: 2, name: 'a' }, { id: 9, name: 'b' }, { id: 4, name: 'c' }] as never[];
    const last = { asked: [2, 5, 9, 4], runs, missing: [5] };
    // a run removed: the others at once, in the new order
    expect(narrowed(last, [4, 2])).toEqual({ runs: [runs[2], runs[0]], missing: [] });
    // a run added: not known yet, so neither listed nor missing
    expect(narrowed(last, [2, 5, 9, 4, 11])).toEqual({ runs, missing: [5] });
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
    expect(loaded.asked).toEqual(ids);
    expect(await loadCompareRuns(7, [])).toEqual({ asked: [], runs: [], missing: [] });
    expect(urls.length).toBe(1);
  });

  describe('summaries of the runs that exist', () => {
    const answer = (ids: readonly number[]) => ({ items: ids.map((runId) => ({ runId })), nextCursor: null });
    const notFound = () => Promise.reject(new ApiError(404, { detail: 'no run 5 in project 7' }));

    it('are the first answer when every run exists', async () => {
      const asked: number[][] = [];
      const got = await summariesOfFound([1, 2], Promise.resolve(answer([1, 2])), new Promise(() => {}),
        (ids) => { asked.push([...ids]); return Promise.resolve(answer(ids)); });
      expect(got.items).toEqual([{ runId: 1 }, { runId: 2 }]);
      expect(asked).toEqual([]);
    });

    it('after a 404, are asked again for the found runs only', async () => {
      const asked: number[][] = [];
      const got = await summariesOfFound([1, 5, 2], notFound(), Promise.resolve([1, 2]),
        (ids) => { asked.push([...ids]); return Promise.resolve(answer(ids)); });
      expect(asked).toEqual([[1, 2]]);
      expect(got.items).toEqual([{ runId: 1 }, { runId: 2 }]);
    });

    it('are none when no run exists, and the 404 when every run exists or the list failed', async () => {
      const never = () => Promise.reject(new Error('not asked'));
      expect(await summariesOfFound([5], notFound(), Promise.resolve([]), never)).toEqual({ items: [], nextCursor: null });
      await expect(summariesOfFound([1, 2], notFound(), Promise.resolve([1, 2]), never)).rejects.toThrow('no run 5');
      await expect(summariesOfFound([1, 2], notFound(), Promise.reject(new Error('list failed')), never))
        .rejects.toThrow('no run 5');
      await expect(summariesOfFound([1], Promise.reject(new ApiError(500, {})), Promise.resolve([]), never))
        .rejects.toThrow('500');
    });
  });
});
