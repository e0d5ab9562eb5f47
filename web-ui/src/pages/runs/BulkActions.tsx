import { useState } from 'preact/hooks';
import { runs, errorText, type Run } from '../../api';

interface Props {
  projectId: number;
  selected: number[];
  onDone: (changed: Run[]) => void;
}

/** Cancel, retry or tag the selected runs, one request per run; says what happened to each. */
export function BulkActions({ projectId, selected, onDone }: Props) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [tag, setTag] = useState('');

  const apply = async (verb: string, action: (id: number) => Promise<Run>) => {
    setBusy(true);
    setMessage(null);
    const changed: Run[] = [];
    const failures: string[] = [];
    for (let i = 0; i < selected.length; i += 8) {
      const chunk = selected.slice(i, i + 8);
      const results = await Promise.allSettled(chunk.map(action));
      results.forEach((r, j) => {
        if (r.status === 'fulfilled') changed.push(r.value);
        else failures.push(`run ${chunk[j]}: ${errorText(r.reason)}`);
      });
    }
    setBusy(false);
    onDone(changed);
    setMessage({
      text: `${verb} ${changed.length} of ${selected.length} runs.` + (failures.length ? ` ${failures.slice(0, 3).join('; ')}${failures.length > 3 ? ` and ${failures.length - 3} more` : ''}` : ''),
      error: failures.length > 0,
    });
  };

  const addTag = async (e: Event) => {
    e.preventDefault();
    const t = tag.trim();
    if (!t) return;
    await apply(`Tagged "${t}":`, async (id) => {
      const run = await runs.get(projectId, id);
      return runs.patch(projectId, id, { tags: [...new Set([...run.tags, t])] });
    });
    setTag('');
  };

  const none = selected.length === 0;
  return (
    <div class="bulk-actions" role="group" aria-label="Actions on the selected runs">
      <button type="button" disabled={none || busy} onClick={() => apply('Cancelled', (id) => runs.cancel(projectId, id))}>
        Cancel runs
      </button>
      <button type="button" disabled={none || busy} onClick={() => apply('Queued again', (id) => runs.retry(projectId, id))}>
        Retry runs
      </button>
      <form class="tag-form" onSubmit={addTag}>
        <input aria-label="Tag to add to the selected runs" placeholder="tag" value={tag} spellcheck={false}
          onInput={(e) => setTag(e.currentTarget.value)} />
        <button type="submit" disabled={none || busy || !tag.trim()}>Tag runs</button>
      </form>
      {message && <p class={message.error ? 'error' : 'muted'} role="status">{message.text}</p>}
    </div>
  );
}
