import { useLayoutEffect, useRef } from 'preact/hooks';
import { duration } from './format';
import { durationTicker } from './liveDuration';

/** How long a run has been running (ticking) or ran. */
export function LiveDuration({ startedAt, finishedAt }: { startedAt: string | null; finishedAt: string | null }) {
  const ref = useRef<HTMLSpanElement>(null);
  const text = startedAt ? duration(startedAt, finishedAt) : '—';
  const rendered = useRef(text);
  rendered.current = text;
  const running = startedAt != null && finishedAt == null;
  // The ticker writes the text node Preact made, so a later render patches the same node. Preact patches it only
  // when its own last text differs, though: when the ticking stops (the run ended, or a recycled row now shows
  // another run) the node gets back the text Preact last rendered, or a run whose duration reads as this one's
  // first render did would keep the ticker's last text.
  useLayoutEffect(() => {
    if (!running) return undefined;
    const node = ref.current!.firstChild as Text;
    const remove = durationTicker.add(node, startedAt);
    return () => {
      remove();
      node.data = rendered.current;
    };
  }, [startedAt, running]);
  return <span ref={ref}>{text}</span>;
}
