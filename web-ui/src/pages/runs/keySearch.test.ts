import { describe, expect, it } from 'vitest';
import { appendPage, columnIds, type KeyResults } from './keySearch';

describe('column picker key search', () => {
  const first: KeyResults[] = [
    { kind: 'metric', items: ['acc', 'loss'], cursor: 'loss' },
    { kind: 'param', items: ['optimizer.lr'], cursor: null },
  ];

  it('offers metric then param columns, in the API order', () => {
    expect(columnIds(first)).toEqual(['metric.acc', 'metric.loss', 'param.optimizer.lr']);
  });

  it('appends the next page of one kind and takes its cursor, leaving the other kind alone', () => {
    const next = appendPage(first, 'metric', { items: ['lr', 'val/acc'], nextCursor: null });
    expect(next[0]).toEqual({ kind: 'metric', items: ['acc', 'loss', 'lr', 'val/acc'], cursor: null });
    expect(next[1]).toBe(first[1]);
    expect(first[0]!.items).toEqual(['acc', 'loss']);
  });
});
