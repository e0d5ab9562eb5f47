import { describe, expect, it } from 'vitest';
import { formatMemory } from './format';

describe('formatMemory (MiB in, one unit rule everywhere memory is shown)', () => {
  it('writes whole MiB below 1 GiB and GiB with at most one decimal from there', () => {
    expect([0, 512, 1000, 1023].map(formatMemory)).toEqual(['0 MiB', '512 MiB', '1000 MiB', '1023 MiB']);
    expect([1024, 1536, 2048, 8192, 16000, 65536].map(formatMemory))
      .toEqual(['1 GiB', '1.5 GiB', '2 GiB', '8 GiB', '15.6 GiB', '64 GiB']);
  });
});
