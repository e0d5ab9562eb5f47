import { describe, expect, it } from 'vitest';
import type { RunSummaries, RunSummary } from '../../api';
import type { CompareRuns } from './compareRuns';
import { shownSelection, type LoadedSelection } from './shownSelection';

const run = (id: number) => ({ id, name: `run-${id}` }) as RunSummary;
const sums = (...ids: number[]) => ids.map((runId) => ({ runId, metrics: { loss: {} } }) as unknown as RunSummaries);
const ids = (s: { runs: RunSummary[] } | null) => s?.runs.map((r) => r.id);
const sumIds = (s: { summaries: RunSummaries[] | null } | null) => s?.summaries?.map((x) => x.runId) ?? null;

/** The page had runs 1 and 2, with both answers. */
const last: LoadedSelection = { runs: { asked: [1, 2], runs: [run(1), run(2)], missing: [] }, summaries: sums(1, 2) };

describe('what the compare page shows while the URL\'s runs load', () => {
  it('a new selection sharing no run: the runs compared before, as such, until both answers are in', () => {
    const before = shownSelection([3, 4], null, null, last);
    expect(before).toMatchObject({ of: 'previous', missing: [], loading: [3, 4] });
    expect(ids(before)).toEqual([1, 2]);
    expect(sumIds(before)).toEqual([1, 2]);
    // the runs list answered, the metric keys not yet: still the previous runs (their charts would otherwise go)
    const listed = { asked: [3, 4], runs: [run(3), run(4)], missing: [] };
    expect(shownSelection([3, 4], listed, null, last)?.of).toBe('previous');
    // the keys answered first: the previous runs, not the new keys with the old runs
    const keysFirst = shownSelection([3, 4], null, sums(3, 4), last);
    expect([keysFirst?.of, sumIds(keysFirst)]).toEqual(['previous', [1, 2]]);
    const both = shownSelection([3, 4], listed, sums(3, 4), last);
    expect(both).toMatchObject({ of: 'current', loading: [] });
    expect([ids(both), sumIds(both)]).toEqual([[3, 4], [3, 4]]);
  });

  it('never shows an empty selection in between', () => {
    const cases: [CompareRuns | null, RunSummaries[] | null][] = [[null, null], [{ asked: [3], runs: [run(3)], missing: [] }, null],
      [null, sums(3)]];
    for (const [listed, summaries] of cases) {
      const s = shownSelection([3], listed, summaries, last)!;
      expect(s.runs.length, JSON.stringify(s)).toBeGreaterThan(0);
      expect(s.summaries?.length, JSON.stringify(s)).toBeGreaterThan(0);
    }
  });

  it('a run removed: the others at once; a run added: the others kept, the new one loading', () => {
    const removed = shownSelection([2], null, null, last);
    expect([removed?.of, ids(removed), sumIds(removed), removed?.loading]).toEqual(['current', [2], [2], []]);
    const added = shownSelection([1, 2, 5], null, null, last);
    expect([added?.of, ids(added), sumIds(added), added?.loading]).toEqual(['current', [1, 2], [1, 2], [5]]);
  });

  it('the first load: nothing until the runs list answers, then its runs while their keys load', () => {
    expect(shownSelection([1, 2], null, null, null)).toBeNull();
    const listed = { asked: [1, 7], runs: [run(1)], missing: [7] };
    expect(shownSelection([1, 7], listed, null, null)).toEqual({ of: 'current', runs: [run(1)], missing: [7], summaries: null,
      loading: [1, 7] });
  });
});
