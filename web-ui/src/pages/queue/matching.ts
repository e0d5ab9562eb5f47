import { formatMemory } from '../../components/format';

/** A worker as far as leasing goes: whether it is live, and the labels it offers. */
export interface LabelledWorker {
  status: string;
  labels: Record<string, string> | null | undefined;
}

/** A worker with its devices (in total, not what is free now): one entry in {@code gpus} per GPU. */
export interface SizedWorker extends LabelledWorker {
  devices: { cpus: number; memoryMb: number; gpus: readonly unknown[] | null | undefined } | null | undefined;
}

/** What a run needs from one worker. */
export interface Needs {
  cpus: number;
  gpus: number;
  memoryMb: number;
}

/**
 * Whether a worker offering {@code offered} may lease a run asking for {@code required}: every label the run asks
 * for, with the same value (case and all). The lease query's rule: `r.labels <@ worker labels` in
 * PostgresQueueDialect.CLAIM (LeaseService.offered on other databases); labels the run does not ask for do not matter.
 */
export function offers(offered: Record<string, string> | null | undefined, required: Record<string, string>): boolean {
  return Object.entries(required).every(([k, v]) => offered != null && Object.hasOwn(offered, k) && offered[k] === v);
}

/**
 * Why no live worker can take a run for its labels, or null when one can. Live means ACTIVE: an OFFLINE worker
 * leases nothing until it is heard from again. Names the labels no live worker offers at all; when each is offered
 * by some worker but none offers them all, says so. Resources, run limits and back-off are not looked at here.
 */
export function labelHint(required: Record<string, string> | null | undefined, workers: readonly LabelledWorker[]): string | null {
  const need = required ?? {};
  const live = workers.filter((w) => w.status === 'ACTIVE');
  if (live.length === 0) return 'No live worker: it waits until one starts';
  if (live.some((w) => offers(w.labels, need))) return null;
  const pairs = Object.entries(need);
  const missing = pairs.filter(([k, v]) => !live.some((w) => offers(w.labels, { [k]: v })));
  const named = (ps: [string, string][]) => ps.map(([k, v]) => `${k}=${v}`).join(', ');
  return missing.length > 0
    ? `No live worker offers ${named(missing)}`
    : `No live worker offers ${named(pairs)} together`;
}

type Dimension = { key: keyof Needs; has: (w: SizedWorker) => number; amount: (n: number) => string };

/** Memory as everywhere else; in MiB when rounding to GiB would make a need and what a worker has read the same. */
function memoryAmounts(need: number, most: number): [string, string] {
  const [n, m] = [formatMemory(need), formatMemory(most)];
  return n === m ? [`${need} MiB`, `${most} MiB`] : [n, m];
}

/** CPUs, GPUs and memory in that order, each with what a worker has of it in total. */
const DIMENSIONS: readonly Dimension[] = [
  { key: 'cpus', has: (w) => w.devices?.cpus ?? 0, amount: (n) => `${n} CPU` },
  { key: 'gpus', has: (w) => w.devices?.gpus?.length ?? 0, amount: (n) => `${n} GPU` },
  { key: 'memoryMb', has: (w) => w.devices?.memoryMb ?? 0, amount: formatMemory },
];

/** A need and the most a worker has of it, as text: memory told apart where rounding would make them the same. */
function amounts(d: Dimension, need: number, most: number): [string, string] {
  return d.key === 'memoryMb' ? memoryAmounts(need, most) : [d.amount(need), d.amount(most)];
}

/**
 * Whether a worker is big enough for a run ever: the lease query asks `r.cpus <= :cpus AND r.memory_mb <= :memory
 * AND r.gpus <= :gpus` of the worker's free capacity (PostgresQueueDialect.CLAIM, PortableQueueDialect), which is
 * its devices minus what its runs hold (WorkerRepository.Capacity, GPUs counted as devices.gpus' length), so with
 * nothing held it is the devices themselves. Free capacity changes as runs finish; the devices do not.
 */
export function bigEnough(w: SizedWorker, needs: Needs): boolean {
  return DIMENSIONS.every((d) => needs[d.key] <= d.has(w));
}

/**
 * Why no live worker that offers a run's labels can ever lease it for its resources, or null when one can or when the
 * labels are the reason ({@link labelHint} says that, beside the labels): the resources the run needs more of than
 * any of those workers has in total ("Needs 4 CPU; the largest live worker has 2"; with labels, "the largest live
 * worker offering pool=main has 2", since a bigger worker without them does not help); or, when each amount is there
 * but on different workers, that none has them all together. Run limits, back-off and what is free now are not
 * looked at.
 */
export function resourceHint(
  required: Record<string, string> | null | undefined,
  needs: Needs | null | undefined,
  workers: readonly SizedWorker[],
): string | null {
  if (labelHint(required, workers) !== null || !needs) return null;
  const pairs = Object.entries(required ?? {});
  const pool = workers.filter((w) => w.status === 'ACTIVE' && offers(w.labels, required ?? {}));
  if (pool.some((w) => bigEnough(w, needs))) return null;
  const offering = pairs.length === 0 ? '' : ` offering ${pairs.map(([k, v]) => `${k}=${v}`).join(', ')}`;
  const short = DIMENSIONS
    .map((d) => ({ d, most: Math.max(...pool.map(d.has)) }))
    .filter(({ d, most }) => needs[d.key] > most)
    .map(({ d, most }) => ({ d, text: amounts(d, needs[d.key], most) }));
  const [one] = short;
  if (short.length === 1 && one) {
    const [need, has] = one.text;
    return `Needs ${need}; the largest live worker${offering} has ${one.d.key === 'memoryMb' ? has : has.split(' ')[0]}`;
  }
  if (short.length > 1) {
    return `Needs ${short.map(({ text }) => text[0]).join(', ')}; live workers${offering} have at most `
      + short.map(({ text }) => text[1]).join(', ');
  }
  const all = DIMENSIONS.filter((d) => needs[d.key] > 0).map((d) => d.amount(needs[d.key])).join(', ');
  return `No live worker${offering} has ${all} together`;
}
