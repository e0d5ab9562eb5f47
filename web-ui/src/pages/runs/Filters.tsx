import { useEffect, useState } from 'preact/hooks';
import { RUN_STATUSES, type RunStatus } from '../../api';
import type { RunsView } from './view';

interface Props {
  view: RunsView;
  onChange: (v: RunsView) => void;
}

const EXPRESSION = /^(param|metric)\.[A-Za-z0-9_.:/-]{1,200}\s*(<=|>=|!=|=|<|>)\s*.+$/;

/** Status toggles, name search, tags and param./metric. expressions; the API does the filtering. */
export function Filters({ view, onChange }: Props) {
  const [text, setText] = useState(view.text);
  const [expression, setExpression] = useState('');
  const [tag, setTag] = useState('');
  const [hint, setHint] = useState<string | null>(null);

  useEffect(() => setText(view.text), [view.text]);
  // the name search asks the API once typing pauses
  useEffect(() => {
    if (text === view.text) return;
    const t = setTimeout(() => onChange({ ...view, text: text.trim(), selected: view.selected }), 300);
    return () => clearTimeout(t);
  }, [text]);

  const toggleStatus = (s: RunStatus) => {
    const statuses = view.statuses.includes(s) ? view.statuses.filter((x) => x !== s) : [...view.statuses, s];
    onChange({ ...view, statuses });
  };
  const addExpression = (e: Event) => {
    e.preventDefault();
    const x = expression.trim();
    if (!EXPRESSION.test(x)) {
      setHint('Write param.<name> or metric.<name>, an operator (= != < <= > >=) and a value, e.g. param.optimizer.lr<0.01 or metric.test/accuracy>=0.8.');
      return;
    }
    setHint(null);
    setExpression('');
    if (!view.filters.includes(x)) onChange({ ...view, filters: [...view.filters, x] });
  };
  const addTag = (e: Event) => {
    e.preventDefault();
    const t = tag.trim();
    setTag('');
    if (t && !view.tags.includes(t)) onChange({ ...view, tags: [...view.tags, t] });
  };

  const active = view.statuses.length + view.tags.length + view.filters.length + (view.text ? 1 : 0);
  return (
    <details class="filters" open={wide}>
      <summary>Filters{active ? ` (${active})` : ''}</summary>
      <fieldset class="status-filter">
        <legend>Status</legend>
        {RUN_STATUSES.map((s) => (
          <label key={s} class={`chip status-${s}`}>
            <input type="checkbox" checked={view.statuses.includes(s)} onChange={() => toggleStatus(s)} />
            {s.toLowerCase()}
          </label>
        ))}
      </fieldset>
      <div class="filter-inputs">
        <label class="stacked">Name contains
          <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="adam" />
        </label>
        <form class="stacked-form" onSubmit={addExpression}>
          <label class="stacked">Filter expression
            <input value={expression} onInput={(e) => setExpression(e.currentTarget.value)}
              placeholder="param.optimizer.lr<0.01" aria-describedby="expression-help" spellcheck={false} />
          </label>
          <button type="submit">Add filter</button>
        </form>
        <form class="stacked-form" onSubmit={addTag}>
          <label class="stacked">Has tag
            <input value={tag} onInput={(e) => setTag(e.currentTarget.value)} placeholder="baseline" spellcheck={false} />
          </label>
          <button type="submit">Filter by tag</button>
        </form>
      </div>
      <p id="expression-help" class={hint ? 'error' : 'visually-hidden'} role={hint ? 'alert' : undefined}>
        {hint ?? 'param.<name> or metric.<name>, an operator (= != < <= > >=) and a value; metrics compare their latest value.'}
      </p>
      {(view.filters.length > 0 || view.tags.length > 0) && (
        <ul class="active-filters" aria-label="Active filters">
          {view.filters.map((f) => (
            <li key={f} class="chip">
              <code>{f}</code>
              <button type="button" class="chip-remove" aria-label={`Remove filter ${f}`}
                onClick={() => onChange({ ...view, filters: view.filters.filter((x) => x !== f) })}>×</button>
            </li>
          ))}
          {view.tags.map((t) => (
            <li key={t} class="chip">
              tag: {t}
              <button type="button" class="chip-remove" aria-label={`Remove tag filter ${t}`}
                onClick={() => onChange({ ...view, tags: view.tags.filter((x) => x !== t) })}>×</button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

// on a phone the filters start folded, so the runs are on the first screen
const wide = typeof window === 'undefined' || window.innerWidth > 600;
