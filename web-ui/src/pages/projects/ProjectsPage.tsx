import { useState } from 'preact/hooks';
import { projects, errorText } from '../../api';
import type { PageProps } from '../../app/routes';
import { paths } from '../../app/routes';
import { href, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { useAsync } from '../../components/useAsync';
import { Empty, ErrorView, Loading } from '../../components/States';
import { RunCounts } from '../../components/RunCounts';
import { ago } from '../../components/format';

/** The projects the user is a member of, with their runs by status and last activity. */
export function ProjectsPage(_: PageProps) {
  const { session } = useSession();
  const list = useAsync(() => projects.list(), []);
  const canCreate = session.user.tokenScope !== 'read';
  return (
    <section class="page">
      <div class="toolbar">
        <h1>Projects</h1>
        <span class="spacer" />
      </div>
      {list.state === 'loading' && <Loading what="Loading projects" />}
      {list.state === 'error' && <ErrorView error={list.error} retry={list.reload} />}
      {list.state === 'ready' && (list.value.items.length === 0 ? (
        <Empty>
          <p>You are not a member of any project yet.{canCreate ? ' Create one below, or ask a project admin to add you.' : ' Ask a project admin to add you.'}</p>
        </Empty>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <caption class="visually-hidden">Your projects</caption>
            <thead>
              <tr><th scope="col">Project</th><th scope="col">Your role</th><th scope="col">Runs</th><th scope="col">Last activity</th></tr>
            </thead>
            <tbody>
              {list.value.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={href(paths.project(p.id))}>{p.name}</a>
                    {p.description && <div class="muted">{p.description}</div>}
                  </td>
                  <td>{p.role ?? '—'}</td>
                  <td><RunCounts counts={p.runCounts} /></td>
                  <td>{ago(p.lastActivityAt ?? p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {canCreate && <CreateProject />}
    </section>
  );
}

function CreateProject() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const p = await projects.create(name.trim(), description.trim() || undefined);
      navigate(paths.project(p.id));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <details class="create">
      <summary>New project</summary>
      <form class="inline-form" onSubmit={submit}>
        <label>Name <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <label>Description <input maxLength={2000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
        <button type="submit" class="primary" disabled={busy || !name.trim()}>Create project</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </details>
  );
}
