// The compare page's Add run box: a combobox that searches the project's runs by name or #id through the runs list
// (its id= and name= filters) and adds the one chosen. Arrow keys move through the matches, Enter adds, Escape closes.
import { useEffect, useState } from 'preact/hooks';
import { errorText, runs as runsApi, type RunSummary } from '../../api';
import { runSearch, searchMatches } from './compareModel';

/** matches shown at most */
const SHOWN = 8;
const TYPING_PAUSE_MS = 200;

type Found = { state: 'idle' } | { state: 'searching' } | { state: 'error'; message: string }
  | { state: 'ready'; text: string; runs: RunSummary[]; comparedAlready: number | null };

/** The matches, and the id searched for when it names a run compared already (the list leaves that out). */
async function search(projectId: number, text: string, compared: readonly number[], signal: AbortSignal):
    Promise<{ runs: RunSummary[]; comparedAlready: number | null }> {
  const s = runSearch(text)!;
  const none = Promise.resolve({ items: [] as RunSummary[] });
  const [byId, byName] = await Promise.all([
    s.id == null ? none : runsApi.list(projectId, { id: s.id, limit: 1 }, signal),
    // enough to fill the list after the compared runs are left out
    s.name == null ? none : runsApi.list(projectId, { name: s.name, limit: SHOWN + compared.length }, signal),
  ]);
  const comparedAlready = byId.items.find((r) => compared.includes(r.id))?.id ?? null;
  return { runs: searchMatches(byId.items, byName.items, compared, SHOWN), comparedAlready };
}

export function AddRun({ projectId, compared, full, onAdd }: {
  projectId: number;
  compared: readonly number[];
  /** the comparison holds as many runs as it can */
  full: boolean;
  onAdd: (run: RunSummary) => void;
}) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Found>({ state: 'idle' });
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [said, setSaid] = useState('');

  useEffect(() => {
    if (!runSearch(text)) {
      setFound({ state: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    setFound({ state: 'searching' });
    const t = setTimeout(() => {
      search(projectId, text, compared, ctrl.signal).then(
        ({ runs, comparedAlready }) => {
          setFound({ state: 'ready', text, runs, comparedAlready });
          setActive(-1);
        },
        (e) => !ctrl.signal.aborted && setFound({ state: 'error', message: errorText(e) }),
      );
    }, TYPING_PAUSE_MS);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [projectId, text, compared.join(',')]);

  const matches = found.state === 'ready' ? found.runs : [];
  const expanded = open && matches.length > 0;
  const add = (r: RunSummary) => {
    onAdd(r);
    setText('');
    setOpen(false);
    setActive(-1);
    setSaid(`Added ${r.name} (#${r.id}).`);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      if (matches.length === 0) return;
      const last = matches.length - 1;
      setActive((a) => (e.key === 'ArrowDown' ? (a < last ? a + 1 : 0) : (a > 0 ? a - 1 : last)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const r = matches[active >= 0 ? active : 0];
      if (r && open) add(r);
    } else if (e.key === 'Escape') {
      if (open) setOpen(false);
      else setText('');
      setActive(-1);
    }
  };

  const status = found.state === 'searching' ? 'Searching…'
    : found.state === 'error' ? `Could not search: ${found.message}`
      : found.state === 'ready' && found.runs.length === 0 ? (found.comparedAlready != null
        ? `Run #${found.comparedAlready} is compared already.` : `No other run matches “${found.text.trim()}”.`)
        : found.state === 'ready' ? `${found.runs.length} run${found.runs.length === 1 ? '' : 's'} found.` : '';
  const optionId = (id: number) => `add-run-option-${id}`;
  return (
    <div class="add-run">
      <label for="add-run-input">Add run</label>
      <div class="add-run__box">
        <input id="add-run-input" type="text" role="combobox" autocomplete="off" spellcheck={false}
          placeholder={full ? 'The comparison is full' : 'Name or #id'} disabled={full}
          aria-autocomplete="list" aria-expanded={expanded} aria-controls="add-run-options"
          aria-activedescendant={expanded && active >= 0 && matches[active] ? optionId(matches[active]!.id) : undefined}
          aria-describedby="add-run-status" value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setOpen(true);
            setSaid('');
          }}
          onKeyDown={onKeyDown} onFocus={() => setOpen(true)} onBlur={() => setOpen(false)} />
        <ul id="add-run-options" role="listbox" aria-label="Runs found" class="add-run__options" hidden={!expanded}>
          {matches.map((r, i) => (
            <li key={r.id} id={optionId(r.id)} role="option" aria-selected={i === active}
              class={i === active ? 'is-active' : ''}
              // keeps the focus in the box, whose blur would close the list before the click
              onMouseDown={(e) => e.preventDefault()} onClick={() => add(r)}>
              <span class="add-run__name">{r.name}</span> <span class="muted">#{r.id} · {r.status.toLowerCase()}</span>
            </li>
          ))}
        </ul>
      </div>
      <span id="add-run-status" class="add-run__status muted" role="status">{said || (open ? status : '')}</span>
    </div>
  );
}
