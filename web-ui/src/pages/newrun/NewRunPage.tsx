import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorText, experiments, projects, runs, specs } from '../../api';
import type { PageProps } from '../../app/routes';
import { paths } from '../../app/routes';
import { href, navigate } from '../../app/router';
import { useAllows } from '../../app/session';
import { useAsync } from '../../components/useAsync';
import { ErrorView, Loading } from '../../components/States';
import { EXAMPLES } from './examples';
import { SpecEditor, goToLine, placeProblems, type LineProblem } from './SpecEditor';

type Check = { state: 'idle' } | { state: 'checking' } | { state: 'ok' } | { state: 'problems'; problems: LineProblem[] }
  | { state: 'error'; message: string };

/** Submits a run: a YAML spec checked by the API as you type, with its problems at their lines. */
export function NewRunPage({ route }: PageProps) {
  const projectId = Number(route.params.projectId);
  const project = useAsync(() => projects.get(projectId), [projectId]);
  const exps = useAsync(() => experiments.list(projectId), [projectId]);
  const canEdit = useAllows(project.state === 'ready' ? project.value.role : null, 'editor');
  const [yaml, setYaml] = useState(EXAMPLES[0]!.yaml);
  const [experimentId, setExperimentId] = useState(route.query.get('experimentId') ?? '');
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [priority, setPriority] = useState('0');
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [submitError, setSubmitError] = useState<LineProblem[] | string | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLDivElement>(null);

  // ask the API about the spec once typing pauses
  useEffect(() => {
    if (!yaml.trim()) {
      setCheck({ state: 'idle' });
      return;
    }
    const controller = new AbortController();
    const t = setTimeout(() => {
      setCheck({ state: 'checking' });
      specs.check(projectId, yaml, controller.signal).then(() => setCheck({ state: 'ok' }), (e) => {
        if (e instanceof DOMException) return;
        if (e instanceof ApiError && e.status === 400 && e.errors.length) {
          setCheck({ state: 'problems', problems: placeProblems(yaml, e.errors) });
        } else setCheck({ state: 'error', message: errorText(e) });
      });
    }, 400);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [yaml, projectId]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setSubmitError(null);
    try {
      const run = await runs.submit(projectId, {
        spec: yaml,
        name: name.trim() || undefined,
        experimentId: experimentId ? Number(experimentId) : undefined,
        tags: tags.split(/[\s,]+/).filter(Boolean),
        priority: Number(priority) || 0,
      });
      navigate(paths.run(projectId, run.id));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.errors.length) setSubmitError(placeProblems(yaml, err.errors));
      else setSubmitError(errorText(err));
    }
  };

  const jump = (line: number | null) => {
    const t = editor.current?.querySelector('textarea');
    if (t && line) goToLine(t, line);
  };

  if (project.state === 'loading') return <section class="page"><Loading what="Loading the project" /></section>;
  if (project.state === 'error') return <section class="page"><ErrorView error={project.error} retry={project.reload} /></section>;
  const problems = check.state === 'problems' ? check.problems : [];
  return (
    <section class="page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href(paths.projects())}>Projects</a> / <a href={href(paths.project(projectId))}>{project.value.name}</a> /
      </nav>
      <h1>New run</h1>
      {!canEdit ? (
        <p class="notice">Your role in {project.value.name} is {project.value.role ?? 'none'}: submitting runs needs the editor role.</p>
      ) : (
        <form class="new-run" onSubmit={submit}>
          <div class="new-run-fields">
            <label class="stacked">Experiment
              <select value={experimentId} onChange={(e) => setExperimentId(e.currentTarget.value)}>
                <option value="">(none)</option>
                {exps.state === 'ready' && exps.value.items.map((x) => <option key={x.id} value={String(x.id)}>{x.name}</option>)}
              </select>
            </label>
            <label class="stacked">Run name
              <input value={name} maxLength={200} placeholder="run-… when empty" onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label class="stacked">Tags
              <input value={tags} placeholder="baseline, sweep" spellcheck={false} onInput={(e) => setTags(e.currentTarget.value)} />
            </label>
            <label class="stacked">Priority
              <input type="number" min={-1000} max={1000} value={priority} onInput={(e) => setPriority(e.currentTarget.value)} />
            </label>
            <label class="stacked">Start from an example
              <select onChange={(e) => {
                const ex = EXAMPLES[Number(e.currentTarget.value)];
                if (ex) setYaml(ex.yaml);
              }}>
                {EXAMPLES.map((x, i) => <option key={x.title} value={String(i)}>{x.title}</option>)}
              </select>
            </label>
          </div>
          <label for="spec-yaml">Spec (YAML; see docs/run-spec.md)</label>
          <div ref={editor}>
            <SpecEditor id="spec-yaml" value={yaml} onInput={setYaml} problems={problems} describedBy="spec-status" />
          </div>
          <div id="spec-status" class="spec-status" aria-live="polite">
            {check.state === 'checking' && <span class="muted">Checking…</span>}
            {check.state === 'ok' && <span class="ok">The platform accepts this spec.</span>}
            {check.state === 'error' && <span class="error">Could not check the spec: {check.message}</span>}
            {problems.length > 0 && <ProblemList problems={problems} onJump={jump} />}
          </div>
          {submitError && (typeof submitError === 'string'
            ? <p class="error" role="alert">{submitError}</p>
            : <div role="alert"><p class="error">The run was not submitted:</p><ProblemList problems={submitError} onJump={jump} /></div>)}
          <div class="toolbar">
            <button type="submit" class="primary" disabled={busy || check.state === 'problems'}>
              {busy ? 'Submitting…' : 'Submit run'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ProblemList({ problems, onJump }: { problems: LineProblem[]; onJump: (line: number | null) => void }) {
  return (
    <ul class="problems">
      {problems.map((p, i) => (
        <li key={i}>
          {p.line !== null
            ? <button type="button" class="link-button" onClick={() => onJump(p.line)}>line {p.line}</button>
            : null}
          {' '}<code>{p.pointer}</code>: {p.detail}
        </li>
      ))}
    </ul>
  );
}
