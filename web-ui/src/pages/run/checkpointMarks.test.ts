import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../api';
import { checkpointMarks } from './checkpointMarks';

const cp = (id: number, step: number, metrics: Record<string, number>): Checkpoint => ({
  id, runId: 1, step, epoch: null, metrics, sizeBytes: 1, sha256: 'x', filename: 'f', attempt: 1, uploadedBy: null,
  createdAt: '2026-01-01T00:00:00Z', content: '',
});

describe('checkpointMarks', () => {
  it('marks the highest step latest, the lowest loss and the highest accuracy best', () => {
    const marks = checkpointMarks([cp(1, 100, { test_loss: 0.4, test_acc: 0.8 }),
      cp(2, 200, { test_loss: 0.3, test_acc: 0.79 }), cp(3, 300, { test_loss: 0.35, test_acc: 0.78 })]);
    expect(marks.get(3)).toEqual(['latest']);
    expect(marks.get(2)).toEqual(['best test_loss']);
    expect(marks.get(1)).toEqual(['best test_acc']);
  });
  it("follows the spec's keepBest mode", () => {
    const marks = checkpointMarks([cp(1, 1, { score: 1 }), cp(2, 2, { score: 2 })],
      { checkpoint: { keepBest: { metric: 'score', mode: 'min' } } });
    expect(marks.get(1)).toEqual(['best score']);
  });
});
