import { afterEach, describe, expect, it, vi } from 'vitest';
import { arrayBuffersOf, parseSeriesAnswer, seriesToArrays, type RunSeries } from './seriesArrays';
import type { ParseReply } from './seriesParser';

// An answer as the API writes it (format=columns): two bucketed runs, one with the points, the non-finite values as
// the strings 'NaN', 'Infinity' and '-Infinity'.
const ANSWER = JSON.stringify({
  series: [
    { runId: 7, key: 'loss', count: 40,
      bucketColumns: { stepStart: [0, 16, 32], stepEnd: [15, 31, 39], count: [16, 16, 8], nanCount: [0, 16, 1],
        min: [0.5, 'NaN', '-Infinity'], max: [2.5, 'NaN', 'Infinity'], last: [0.75, 'NaN', 3] } },
    { runId: 8, key: 'loss', count: 2,
      bucketColumns: { stepStart: [1], stepEnd: [2], count: [2], nanCount: [1], min: [0.1], max: [0.2], last: [0.2] },
      pointColumns: { step: [1, 2], value: [0.1, 'NaN'], timeMicros: [1767268800000000, 1767268801500001] } },
    { runId: 9, key: 'loss', count: 0, bucketColumns: { stepStart: [], stepEnd: [], count: [], nanCount: [], min: [],
      max: [], last: [] } },
  ],
});

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
/** What the charts did before: the parsed JSON (response.json()) through seriesToArrays. */
const before = (text: string): RunSeries[] => JSON.parse(text).series.map(seriesToArrays);

describe('parseSeriesAnswer', () => {
  it('reads the body into exactly the arrays the parsed JSON gave', () => {
    const got = parseSeriesAnswer(bytes(ANSWER));
    expect(got).toEqual(before(ANSWER));
    expect(Array.from(got[0]!.min)).toEqual([0.5, NaN, -Infinity]);
    expect(Array.from(got[0]!.max)).toEqual([2.5, NaN, Infinity]);
    expect(Array.from(got[1]!.last)).toEqual([0.1, NaN]);
    expect(got[2]!.step.length).toBe(0);
  });

  it('reads UTF-8 keys', () => {
    const text = ANSWER.replaceAll('"loss"', '"verlust/überprüft ✓"');
    expect(parseSeriesAnswer(bytes(text))[0]!.key).toBe('verlust/überprüft ✓');
  });
});

describe('the arrays sent back from the worker', () => {
  it('transfer each buffer once and arrive equal, a points series still sharing one array', () => {
    const series = parseSeriesAnswer(bytes(ANSWER));
    const transfer = arrayBuffersOf(series);
    // run 7: step, min, max, last; run 8: step, value (min = max = last), time; run 9: four empty arrays
    expect(transfer).toHaveLength(4 + 3 + 4);
    const copy = structuredClone(series, { transfer });
    expect(copy).toEqual(before(ANSWER));
    expect(copy[1]!.min).toBe(copy[1]!.last);
    expect(copy[1]!.max).toBe(copy[1]!.last);
    // transferred, not copied: the sender's arrays are detached
    expect(series[0]!.step.length).toBe(0);
  });
});

describe('the worker', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('says it has started, then answers each body with its arrays or the reason it could not read it', async () => {
    const posted: { message: ParseReply; transfer?: Transferable[] }[] = [];
    const scope: { onmessage: ((e: { data: unknown }) => void) | null; postMessage: (m: ParseReply, t?: Transferable[]) => void } = {
      onmessage: null,
      postMessage: (message, transfer) => posted.push({ message, transfer }),
    };
    vi.stubGlobal('self', scope);
    await import('./seriesWorker');
    expect(posted).toEqual([{ message: { id: 0 }, transfer: undefined }]);

    scope.onmessage!({ data: { id: 5, body: bytes(ANSWER) } });
    const reply = posted[1]!;
    expect(reply.message.id).toBe(5);
    expect(reply.message.series).toEqual(before(ANSWER));
    expect(reply.transfer).toHaveLength(11);

    scope.onmessage!({ data: { id: 6, body: bytes('{"series": [') } });
    expect(posted[2]!.message.id).toBe(6);
    expect(posted[2]!.message.series).toBeUndefined();
    expect(posted[2]!.message.error).toMatch(/JSON/);
  });
});

describe('parseSeries without workers', () => {
  it('parses on the main thread, as before', async () => {
    const { parseSeries } = await import('./seriesParser');
    expect(await parseSeries(bytes(ANSWER))).toEqual(before(ANSWER));
    await expect(parseSeries(bytes('not json'))).rejects.toThrow();
  });
});
