import { useLayoutEffect, useRef } from 'preact/hooks';
import { duration } from './format';
import { durationTicker } from './liveDuration';

/** How long a run has been running (ticking) or ran. */
export function LiveDuration({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const ref = useRef<HTMLSpanElement>(null);
  const running = startedAt != null && finishedAt == null;
  // the ticker writes the text node Preact made, so a later render patches the same node
  useLayoutEffect(() => (running ? durationTicker.add(ref.current!.firstChild as Text, startedAt) : undefined),
    [startedAt, running]);
  return <span ref={ref}>{startedAt ? duration(startedAt, finishedAt) : '—'}</span>;
}
