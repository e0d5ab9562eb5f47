import { describe, expect, it } from 'vitest';
import { labelHint, offers } from './matching';

const active = (labels: Record<string, string>) => ({ status: 'ACTIVE', labels });

describe('offers (the lease query: run labels <@ worker labels)', () => {
  it('takes a run whose every label the worker has with the same value', () => {
    expect(offers({ pool: 'main', gpu: 'a100' }, { pool: 'main' })).toBe(true);
    expect(offers({ pool: 'main' }, {})).toBe(true);
    expect(offers({}, {})).toBe(true);
    expect(offers(null, {})).toBe(true);
  });

  it('refuses a missing key, another value, or another case', () => {
    expect(offers({ gpu: 'a100' }, { pool: 'main' })).toBe(false);
    expect(offers({ pool: 'main' }, { pool: 'parked' })).toBe(false);
    expect(offers({ pool: 'Main' }, { pool: 'main' })).toBe(false);
    expect(offers({}, { constructor: 'x' })).toBe(false);
    expect(offers(null, { pool: 'main' })).toBe(false);
  });
});

describe('labelHint', () => {
  it('is null when a live worker offers every label, or the run asks for none', () => {
    expect(labelHint({ pool: 'main' }, [active({ pool: 'other' }), active({ pool: 'main', zone: 'eu' })])).toBeNull();
    expect(labelHint({}, [active({})])).toBeNull();
    expect(labelHint(null, [active({ pool: 'main' })])).toBeNull();
  });

  it('names the labels no live worker offers', () => {
    expect(labelHint({ pool: 'parked' }, [active({ pool: 'main' })])).toBe('No live worker offers pool=parked');
    expect(labelHint({ gpu: 'a100', pool: 'main', zone: 'us' }, [active({ pool: 'main' }), active({ zone: 'eu' })]))
      .toBe('No live worker offers gpu=a100, zone=us');
  });

  it('says "together" when each label is offered but no worker offers them all', () => {
    expect(labelHint({ gpu: 'a100', zone: 'eu' }, [active({ gpu: 'a100', zone: 'us' }), active({ zone: 'eu' })]))
      .toBe('No live worker offers gpu=a100, zone=eu together');
  });

  it('counts only ACTIVE workers as live', () => {
    const offline = { status: 'OFFLINE', labels: { pool: 'parked' } };
    expect(labelHint({ pool: 'parked' }, [offline, active({})])).toBe('No live worker offers pool=parked');
    expect(labelHint({}, [offline])).toBe('No live worker: it waits until one starts');
    expect(labelHint({}, [])).toBe('No live worker: it waits until one starts');
  });
});
