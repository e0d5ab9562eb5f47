import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Async<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'error'; error: unknown; reload: () => void }
  | { state: 'ready'; value: T; reload: () => void };

/** Loads a value when deps change; the answer of an older load never overwrites a newer one. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Async<T> {
  const [result, setResult] = useState<{ state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready'; value: T }>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const lastTick = useRef(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const g = ++generation.current;
    const controller = new AbortController();
    // a reload keeps showing the old value until the new one is there; other changes show loading
    const isReload = tick !== lastTick.current;
    lastTick.current = tick;
    setResult((r) => (isReload && r.state === 'ready' ? r : { state: 'loading' }));
    load(controller.signal).then(
      (value) => g === generation.current && setResult({ state: 'ready', value }),
      (error) => {
        if (g === generation.current && !(error instanceof DOMException && error.name === 'AbortError')) {
          setResult({ state: 'error', error });
        }
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  return { ...result, reload } as Async<T>;
}
