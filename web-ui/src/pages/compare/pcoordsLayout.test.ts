import { describe, expect, it } from 'vitest';
import { fitLabel, pcoordsWidth } from './ParallelCoords';

describe('the parallel coordinates layout', () => {
  it('takes the frame width when the axes fit, else their least width (the frame then scrolls)', () => {
    expect(pcoordsWidth(5, 1200)).toBe(1200);
    expect(pcoordsWidth(5, 358)).toBe(120 + 4 * 130);
    expect(pcoordsWidth(1, 200)).toBe(250);
    expect(pcoordsWidth(2, 0)).toBe(250);
  });

  it('cuts a label to its room with an ellipsis', () => {
    expect(fitLabel('optimizer.lr', 130)).toBe('optimizer.lr');
    expect(fitLabel('model.hidden_sizes.0.width', 122)).toBe('model.hidden_si…');
    expect(fitLabel('abcdefgh', 10)).toBe('abc…');
  });
});
