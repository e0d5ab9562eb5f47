import { projects, experiments } from '../../api';
import type { PageProps } from '../../app/routes';
import { paths } from '../../app/routes';
import { href } from '../../app/router';
import { useAllows } from '../../app/session';
import { useAsync } from '../../components/useAsync';
import { Empty, ErrorView, Loading } from '../../components/States';
import { RunCounts } from '../../components/RunCounts';
import { ago } from '../../components/format';
import { CreateExperiment } from './CreateExperiment';
import { Members } from './Members';

/** One project: its experiments (runs by status, last activity) and its members. */
export function ProjectPage({ route }: PageProps) {
  const projectId = Number(route.params.projectId);
  const project = useAsync(() => projects.get(projectId), [projectId]);
  const list = useAsync(() => experiments.list(projectId), [projectId]);
  const role = project.state === 'ready' ? project.value.role : null;
  const canEdit = useAllows(role, 'editor');
  const canAdmin = useAllows(role, 'admin');

  if (project.state === 'loading') return <section class="page"><Loading what="Loading the project" /></section>;
  if (project.state === 'error') return <section class="page"><ErrorView error={project.error} retry={project.reload} /></section>;
  const p = project.value;
  return (
    <section class="page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href={href(paths.projects())}>Projects</a> /</nav>
      <div class="toolbar">
        <h1>{p.name}</h1>
        <span class="muted">your role: {p.role ?? 'none'}</span>
        <span class="spacer" />
        <a class="button" href={href(paths.projectRuns(projectId))}>All runs</a>
        {canEdit && <a class="button primary" href={href(paths.newRun(projectId))}>New run</a>}
      </div>
      {p.description && <p class="muted">{p.description}</p>}
      {p.runCounts && <p><RunCounts counts={p.runCounts} /></p>}

      <h2>Experiments</h2>
      {list.state === 'loading' && <Loading what="Loading experiments" />}
      {list.state === 'error' && <ErrorView error={list.error} retry={list.reload} />}
      {list.state === 'ready' && (list.value.items.length === 0 ? (
        <Empty><p>No experiments yet.{canEdit ? ' Create one below; runs submitted to it are grouped here.' : ''}</p></Empty>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <caption class="visually-hidden">Experiments of {p.name}</caption>
            <thead>
              <tr><th scope="col">Experiment</th><th scope="col">Runs</th><th scope="col">Last activity</th></tr>
            </thead>
            <tbody>
              {list.value.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={href(paths.experimentRuns(projectId, e.id))}>{e.name}</a>
                    {e.description && <div class="muted">{e.description}</div>}
                  </td>
                  <td><RunCounts counts={e.runCounts} /></td>
                  <td>{ago(e.lastActivityAt ?? e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {canEdit && <CreateExperiment projectId={projectId} onCreated={list.reload} />}

      <h2>Members</h2>
      <Members projectId={projectId} canAdmin={canAdmin} />
    </section>
  );
}
