// Clone a run with an edited spec: the YAML of the run's spec (defaults written out) in an editor. As you type,
// the YAML is parsed here and then checked by the API (run-specs/check, the submission's own validator); every
// problem comes back at its JSON pointer and is shown next to the line it names. Submitting sends the edit as a
// merge patch to the clone endpoint, which validates again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorText, runs as runsApi, specs as specsApi, type FieldProblem, type Run } from '../../api';
import { navigate } from '../../app/router';
import { paths } from '../../app/routes';
import { lineOfPointer, mergePatch, parseSpec, toYaml, type YamlProblem } from './specYaml';

export function CloneEditor({ run, onClose }: { run: Run; onClose: () => void }) {
  const [text, setText] = useState<string | null>(null);
  const [name, setName] = useState(`${run.name} (clone)`);
  const [problems, setProblems] = useState<YamlProblem[]>([]);
  const [otherError, setOtherError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  useEffect(() => {
    toYaml(run.spec).then(setText, (e) => setOtherError(errorText(e)));
  }, [run.id]);

  // As you type: YAML syntax here, then the API's validation of the whole spec.
  useEffect(() => {
    if (text == null) return;
    const ctrl = new AbortController();
    const t = window.setTimeout(async () => {
      const parsed = await parseSpec(text);
      if (ctrl.signal.aborted) return;
      if (!parsed.ok) {
        setProblems(parsed.problems);
        return;
      }
      try {
        await specsApi.check(run.projectId, text, ctrl.signal);
        if (!ctrl.signal.aborted) setProblems([]);
      } catch (err) {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 400) setProblems(await specProblems(text, err.errors));
        else setProblems([]);
      }
    }, 400);
    return () => {
      ctrl.abort();
      window.clearTimeout(t);
    };
  }, [text]);

  const goToLine = (line: number | null) => {
    const el = area.current;
    if (!el || line == null || text == null) return;
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
    el.focus();
    el.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (text == null) return;
    setOtherError(null);
    const parsed = await parseSpec(text);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    const patch = mergePatch(run.spec, parsed.value);
    setBusy(true);
    try {
      const created = await runsApi.clone(run.projectId, run.id, { name, ...(patch !== undefined ? { spec: patch } : {}) });
      navigate(paths.run(run.projectId, created.id));
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) {
        const found = await specProblems(text, err.errors);
        const others = err.errors.filter((fe) => !isSpecPointer(fe.pointer))
          .map((fe) => `${fe.pointer || fe.parameter || ''}: ${fe.detail}`);
        setProblems(found);
        setOtherError(others.length ? others.join('; ') : found.length ? null : err.message);
      } else {
        setOtherError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const errorLines = new Set(problems.map((p) => p.line).filter((l): l is number => l != null));
  const lineCount = text == null ? 0 : text.split('\n').length;
  return (
    <form class="clone-editor" onSubmit={submit} aria-label="Clone with an edited spec">
      <h3>Clone run #{run.id}</h3>
      <label>
        Name
        <input type="text" value={name} required maxLength={200}
          onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label for="clone-spec">Spec (YAML)</label>
      {text == null ? <p class="muted">Loading the spec…</p> : (
        <div class="yaml-editor">
          <div class="yaml-editor__gutter" ref={gutter} aria-hidden="true">
            {Array.from({ length: lineCount }, (_, i) => (
              <div key={i} class={errorLines.has(i + 1) ? 'is-error' : ''}>{i + 1}</div>
            ))}
          </div>
          <textarea id="clone-spec" ref={area} class="yaml-editor__text mono" value={text} spellcheck={false}
            rows={Math.min(30, Math.max(10, lineCount + 1))} aria-invalid={problems.length > 0}
            aria-describedby="clone-problems"
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            onScroll={(e) => {
              if (gutter.current) gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
            }} />
        </div>
      )}
      <div id="clone-problems" aria-live="polite">
        {problems.length > 0 && (
          <ul class="problems" aria-label="Problems in the spec">
            {problems.map((p, i) => (
              <li key={i} data-pointer={p.where} data-line={p.line ?? ''}>
                <button type="button" class="link-button" onClick={() => goToLine(p.line)}>
                  {p.line != null ? `line ${p.line}` : 'spec'}
                </button>{' '}
                <code>{p.where}</code>: {p.message}
              </li>
            ))}
          </ul>
        )}
        {otherError && <p class="error" role="alert">{otherError}</p>}
      </div>
      <div class="toolbar">
        <button type="submit" class="primary" disabled={busy || text == null}>{busy ? 'Submitting…' : 'Submit clone'}</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </form>
  );
}

function isSpecPointer(pointer: string | undefined): boolean {
  return pointer === '/spec' || (pointer ?? '').startsWith('/spec/');
}

/** The API's problems under /spec, each at the line of the YAML text its pointer names. */
async function specProblems(text: string, errors: readonly FieldProblem[]): Promise<YamlProblem[]> {
  const out: YamlProblem[] = [];
  for (const fe of errors) {
    if (!isSpecPointer(fe.pointer)) continue;
    const inSpec = fe.pointer!.slice('/spec'.length);
    out.push({ line: await lineOfPointer(text, inSpec), where: inSpec || '/', message: fe.detail });
  }
  return out;
}
