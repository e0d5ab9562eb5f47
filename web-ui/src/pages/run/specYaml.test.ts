import { describe, expect, it } from 'vitest';
import { lineOfPointer, mergePatch, parseSpec, pointerPath, toYaml } from './specYaml';

const text = `name: mlp
optimizer:
  type: adam
  lr: 0.001
metrics:
  - accuracy
  - f1_macro
`;

describe('spec YAML', () => {
  it('parses a mapping and refuses broken YAML with its line', async () => {
    const ok = await parseSpec(text);
    expect(ok).toEqual({ ok: true, value: { name: 'mlp', optimizer: { type: 'adam', lr: 0.001 },
      metrics: ['accuracy', 'f1_macro'] } });
    const bad = await parseSpec('name: a\noptimizer: [1, 2\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('finds the line of a JSON pointer, or of its nearest written parent', async () => {
    expect(await lineOfPointer(text, '/optimizer/lr')).toBe(4);
    expect(await lineOfPointer(text, '/metrics/1')).toBe(7);
    expect(await lineOfPointer(text, '/optimizer/momentum')).toBe(2);
    expect(await lineOfPointer(text, '/epochs')).toBe(1);
  });

  it('reads pointers with escapes and indices', () => {
    expect(pointerPath('/a~1b/0/c~0d')).toEqual(['a/b', 0, 'c~d']);
  });

  it('makes the merge patch from one spec to another', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 5 }, e: [1, 2], f: 'x' }))
      .toEqual({ b: { c: 5, d: null }, e: [1, 2], f: 'x' });
    expect(mergePatch({ a: 1 }, { a: 1 })).toBeUndefined();
  });
});

describe('toYaml', () => {
  it('writes the top-level settings in the documented order', async () => {
    expect(await toYaml({ seed: 1, loss: { type: 'mse' }, name: 'x', epochs: 2, zzz: true }))
      .toBe('name: x\nseed: 1\nloss:\n  type: mse\nepochs: 2\nzzz: true\n');
  });
});
