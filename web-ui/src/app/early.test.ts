import { afterEach, describe, expect, it, vi } from 'vitest';

// startEarlyRequests reads the address and sends with fetch: both stubbed, each test with fresh modules.
async function start(hash: string, answers: Record<string, { status: number; body: unknown }> = {}) {
  const sent: string[] = [];
  vi.stubGlobal('window', { location: { hash } });
  vi.stubGlobal('fetch', (url: string) => {
    sent.push(url);
    const path = url.split('?')[0]!;
    const a = answers[path] ?? { status: 200, body: { items: [], nextCursor: null } };
    return Promise.resolve(new Response(JSON.stringify(a.body), { status: a.status,
      headers: { 'Content-Type': 'application/json' } }));
  });
  const early = await import('./early');
  early.startEarlyRequests();
  return { early, sent };
}

describe('the first page load', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('asks for the session and a compare page\'s metric keys together, before anything renders', async () => {
    const { early, sent } = await start('#/projects/3/compare?runs=5,6,x,5');
    expect(sent).toEqual(['/api/v1/session', '/api/v1/projects/3/metrics/summaries?runs=5%2C6']);
    expect(early.takeEarlySummaries(3, [5, 6, 7])).toBeNull();
    expect(early.takeEarlySummaries(4, [5, 6])).toBeNull();
    const s = early.takeEarlySummaries(3, [5, 6])!;
    expect(await s.answer).toEqual({ items: [], nextCursor: null });
    expect(s.value).toEqual({ items: [], nextCursor: null });
    // once: a later visit to the same runs asks again
    expect(early.takeEarlySummaries(3, [5, 6])).toBeNull();
    expect(early.takeSessionCheck()).not.toBeNull();
    expect(early.takeSessionCheck()).toBeNull();
  });

  it('asks only for the session on other pages', async () => {
    const { early, sent } = await start('#/projects/3/runs');
    expect(sent).toEqual(['/api/v1/session']);
    expect(early.takeEarlySummaries(3, [5])).toBeNull();
  });

  it('asks for nothing when the login page has a one-time code to exchange', async () => {
    const { early, sent } = await start('#/login?code=abc');
    expect(sent).toEqual([]);
    expect(early.takeSessionCheck()).toBeNull();
  });

  it('leaves a signed-out load to the session check: the keys fail without calling the unauthorized handler', async () => {
    const client = await import('../api/client');
    const onUnauthorized = vi.fn();
    client.setUnauthorizedHandler(onUnauthorized);
    const { early } = await start('#/projects/3/compare?runs=5', {
      '/api/v1/session': { status: 401, body: { detail: 'no session' } },
      '/api/v1/projects/3/metrics/summaries': { status: 401, body: { detail: 'no session' } },
    });
    await expect(early.takeEarlySummaries(3, [5])!.answer).rejects.toThrow('no session');
    await expect(early.takeSessionCheck()).rejects.toThrow('no session');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});
