/** The prefix of the metrics a worker records on its own (CPU, memory), not the training code. */
const SYSTEM_PREFIX = 'system/';

/**
 * Metric keys in the order their charts appear: the run's own metrics by name, then the worker's system metrics, as
 * W&B keeps its System section below the charts a user logged.
 */
export function chartOrder(keys: Iterable<string>): string[] {
  const sorted = [...new Set(keys)].sort();
  return [...sorted.filter((k) => !k.startsWith(SYSTEM_PREFIX)), ...sorted.filter((k) => k.startsWith(SYSTEM_PREFIX))];
}
