import { describe, expect, it } from 'vitest';
import { bigEnough, labelHint, resourceHint, offers } from './matching';

const active = (labels: Record<string, string>) => ({ status: 'ACTIVE', labels });
const gpu = { model: 'a100', memoryMb: 40960 };
const sized = (cpus: number, memoryMb: number, gpus: number, labels: Record<string, string> = {}, status = 'ACTIVE') =>
  ({ status, labels, devices: { cpus, memoryMb, gpus: Array.from({ length: gpus }, () => gpu) } });
const needs = (cpus: number, memoryMb: number, gpus = 0) => ({ cpus, gpus, memoryMb });

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

describe('bigEnough (the lease query: r.cpus <= cpus AND r.memory_mb <= memory AND r.gpus <= gpus, in total)', () => {
  it('takes needs up to and including the devices', () => {
    expect(bigEnough(sized(2, 4096, 1), needs(2, 4096, 1))).toBe(true);
    expect(bigEnough(sized(2, 4096, 0), needs(0, 0))).toBe(true);
    expect(bigEnough({ status: 'ACTIVE', labels: {}, devices: { cpus: 2, memoryMb: 4096, gpus: null } }, needs(1, 1024)))
      .toBe(true);
  });

  it('refuses one more of anything', () => {
    expect(bigEnough(sized(2, 4096, 1), needs(3, 4096, 1))).toBe(false);
    expect(bigEnough(sized(2, 4096, 1), needs(2, 4097, 1))).toBe(false);
    expect(bigEnough(sized(2, 4096, 1), needs(2, 4096, 2))).toBe(false);
    expect(bigEnough({ status: 'ACTIVE', labels: {}, devices: { cpus: 2, memoryMb: 4096, gpus: null } }, needs(1, 1024, 1)))
      .toBe(false);
  });
});

describe('resourceHint', () => {
  it('is null when a live worker offers the labels and is big enough, busy or not', () => {
    expect(resourceHint({}, needs(2, 1024), [sized(2, 4096, 0)])).toBeNull();
    expect(resourceHint({ pool: 'main' }, needs(4, 1024, 1), [sized(2, 4096, 0, { pool: 'main' }), sized(8, 8192, 1, { pool: 'main' })]))
      .toBeNull();
    expect(resourceHint({}, undefined, [sized(1, 1, 0)])).toBeNull();
  });

  it('names a resource the largest live worker has too little of', () => {
    expect(resourceHint({}, needs(4, 1024), [sized(2, 4096, 0), sized(1, 8192, 0)])).toBe('Needs 4 CPU; the largest live worker has 2');
    expect(resourceHint({}, needs(1, 1024, 2), [sized(2, 4096, 1)])).toBe('Needs 2 GPU; the largest live worker has 1');
    expect(resourceHint({}, needs(1, 16384), [sized(2, 4096, 0), sized(2, 8192, 0)]))
      .toBe('Needs 16 GiB; the largest live worker has 8 GiB');
  });

  it('names every resource short, each with the most a live worker has', () => {
    expect(resourceHint({}, needs(4, 16384, 1), [sized(2, 4096, 0), sized(3, 2048, 0)]))
      .toBe('Needs 4 CPU, 1 GPU, 16 GiB; live workers have at most 3 CPU, 0 GPU, 4 GiB');
  });

  it('says "together" when each amount is on some live worker but none has them all', () => {
    expect(resourceHint({}, needs(4, 1024, 1), [sized(4, 4096, 0), sized(2, 4096, 1)]))
      .toBe('No live worker has 4 CPU, 1 GPU, 1 GiB together');
  });

  it('with labels, looks only at the live workers that offer them', () => {
    const workers = [sized(2, 4096, 0, { pool: 'main' }), sized(16, 65536, 4, { pool: 'big' })];
    expect(resourceHint({ pool: 'main' }, needs(4, 1024), workers)).toBe('Needs 4 CPU; the largest live worker offering pool=main has 2');
    expect(resourceHint({ pool: 'big' }, needs(4, 1024), workers)).toBeNull();
    expect(resourceHint({ pool: 'main' }, needs(2, 1024, 1), [sized(2, 4096, 0, { pool: 'main' }), sized(1, 4096, 1, { pool: 'main' })]))
      .toBe('No live worker offering pool=main has 2 CPU, 1 GPU, 1 GiB together');
  });

  it('in GiB as everywhere, in MiB where GiB would read the same', () => {
    expect(resourceHint({}, needs(1, 1536), [sized(2, 1024, 0)])).toBe('Needs 1.5 GiB; the largest live worker has 1 GiB');
    expect(resourceHint({}, needs(1, 8200), [sized(2, 8192, 0)])).toBe('Needs 8200 MiB; the largest live worker has 8192 MiB');
    expect(resourceHint({}, needs(1, 768), [sized(2, 512, 0)])).toBe('Needs 768 MiB; the largest live worker has 512 MiB');
  });

  it('says nothing when the labels are the reason (labelHint says that), and counts only ACTIVE workers', () => {
    expect(resourceHint({ pool: 'parked' }, needs(64, 1024), [sized(2, 4096, 0)])).toBeNull();
    expect(resourceHint({}, needs(4, 1024), [sized(2, 4096, 0), sized(8, 8192, 0, {}, 'OFFLINE')]))
      .toBe('Needs 4 CPU; the largest live worker has 2');
    expect(resourceHint({}, needs(1, 1024), [sized(8, 8192, 0, {}, 'OFFLINE')])).toBeNull();
  });
});
