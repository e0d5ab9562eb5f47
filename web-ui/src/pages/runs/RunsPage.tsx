import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { experiments, projects, type RunSummary, type Run } from '../../api';
import type { PageProps } from '../../app/routes';
import { paths } from '../../app/routes';
import { href, replaceQuery } from '../../app/router';
import { useAllows } from '../../app/session';
import { useAsync } from '../../components/useAsync';
import { Empty, ErrorView, Loading } from '../../components/States';
import { BulkActions } from './BulkActions';
import { ColumnPicker } from './ColumnPicker';
import { CompareLink } from './CompareLink';
import { Filters } from './Filters';
import { RunsTable } from './RunsTable';
import { columnsFor } from './columns';
import { download, toCsv } from './csv';
import { useLiveRuns } from './liveRuns';
import { useRunPages } from './useRunPages';
import { apiQuery, readView, writeView, type RunsView } from './view';
import { runs as runsApi } from '../../api';

/** The runs of a project or of one experiment: filters, sort, columns and selection all live in the URL. */
export function RunsPage({ route }: PageProps) {
  const projectId = Number(route.params.projectId);
  const experimentId = route.params.experimentId ? Number(route.params.experimentId) : null;
  const view = useMemo(() => readView(route.query), [route.query.toString()]);
  const query = useMemo(() => apiQuery(view, experimentId), [view, experimentId]);
  const pages = useRunPages(projectId, query);
  const project = useAsync(() => projects.get(projectId), [projectId]);
  const experiment = useAsync(() => (experimentId === null ? Promise.resolve(null) : experiments.get(projectId, experimentId)),
    [projectId, experimentId]);
  const role = project.state === 'ready' ? project.value.role : null;
  const canEdit = useAllows(role, 'editor');
  const columns = useMemo(() => columnsFor(view.columns), [view.columns.join(',')]);
  const selected = useMemo(() => new Set(view.selected), [view.selected.join(',')]);
  const lastToggled = useRef<number | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  // runs submitted since the list was loaded; shown on request, so rows do not move under the pointer
  const [newRuns, setNewRuns] = useState(0);
  useEffect(() => setNewRuns(0), [query.toString()]);

  const setView = (v: RunsView) => replaceQuery(writeView(v));

  useLiveRuns(projectId, experimentId, pages, () => setNewRuns((n) => n + 1));

  const onSort = (key: string) =>
    setView({ ...view, sortKey: key, descending: view.sortKey === key ? !view.descending : true });

  const onToggle = (id: number, range: boolean) => {
    const next = new Set(selected);
    const index = pages.rows.findIndex((r) => r.id === id);
    const on = !selected.has(id);
    if (range && lastToggled.current !== null) {
      const from = pages.rows.findIndex((r) => r.id === lastToggled.current);
      if (from >= 0 && index >= 0) {
        for (let i = Math.min(from, index); i <= Math.max(from, index); i++) next.add(pages.rows[i]!.id);
      }
    } else if (on) next.add(id);
    else next.delete(id);
    lastToggled.current = id;
    setView({ ...view, selected: [...next] });
  };
  const onToggleAll = (on: boolean) =>
    setView({ ...view, selected: on ? [...new Set([...view.selected, ...pages.rows.map((r) => r.id)])] : [] });

  const exportCsv = async () => {
    setExporting('Exporting…');
    try {
      const all: RunSummary[] = [];
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams(query);
        q.set('limit', '500');
        if (cursor) q.set('cursor', cursor);
        const page = await runsApi.list(projectId, q);
        all.push(...page.items);
        cursor = page.nextCursor;
        setExporting(`Exporting… ${all.length} runs`);
      } while (cursor);
      download(`runs-project-${projectId}${experimentId !== null ? `-experiment-${experimentId}` : ''}.csv`, toCsv(columns, all));
      setExporting(null);
    } catch (e) {
      setExporting(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const afterBulk = (changed: Run[]) =>
    pages.update(changed.map((r) => r.id), (old) => {
      const r = changed.find((c) => c.id === old.id)!;
      return { ...old, status: r.status, tags: r.tags, attempt: r.attempt, retries: r.retries };
    });

  const title = experimentId === null
    ? 'All runs'
    : experiment.state === 'ready' && experiment.value ? experiment.value.name : `Experiment ${experimentId}`;
  const filtered = view.statuses.length + view.tags.length + view.filters.length > 0 || view.text !== '';

  return (
    <section class="page page-wide">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href(paths.projects())}>Projects</a> / <a href={href(paths.project(projectId))}>
          {project.state === 'ready' ? project.value.name : `Project ${projectId}`}</a> /
      </nav>
      <div class="toolbar">
        <h1>{title}</h1>
        <span class="spacer" />
        {experimentId !== null && <a class="button" href={href(paths.projectRuns(projectId))}>All runs of the project</a>}
        {canEdit && <a class="button primary" href={href(paths.newRun(projectId), experimentId !== null ? { experimentId } : undefined)}>New run</a>}
      </div>
      {project.state === 'error' ? <ErrorView error={project.error} retry={project.reload} /> : (
        <>
          <Filters view={view} onChange={setView} />
          <div class="toolbar runs-toolbar">
            <span class="muted" aria-live="polite">
              {pages.rows.length.toLocaleString()}{pages.done ? '' : '+'} runs
              {view.selected.length > 0 && `, ${view.selected.length} selected`}
            </span>
            {view.selected.length > 0 && (
              <button type="button" class="link-button" onClick={() => setView({ ...view, selected: [] })}>Clear selection</button>
            )}
            {newRuns > 0 && (
              <button type="button" class="link-button" onClick={() => { setNewRuns(0); pages.reload(); }}>
                {newRuns} new {newRuns === 1 ? 'run' : 'runs'}: show
              </button>
            )}
            <span class="spacer" />
            <CompareLink projectId={projectId} selected={view.selected} />
            {canEdit && <BulkActions projectId={projectId} selected={view.selected} onDone={afterBulk} />}
            <ColumnPicker projectId={projectId} columns={view.columns}
              onChange={(cols) => setView({ ...view, columns: cols })} />
            <button type="button" onClick={exportCsv} disabled={exporting === 'Exporting…'}>Export CSV</button>
          </div>
          {exporting && <p class="muted" role="status">{exporting}</p>}
          {pages.error !== null && pages.rows.length === 0 ? (
            <ErrorView error={pages.error} retry={pages.reload} />
          ) : pages.rows.length === 0 && pages.done ? (
            <Empty>
              {filtered
                ? <p>No runs match these filters.</p>
                : <p>No runs here yet.{canEdit && <> <a href={href(paths.newRun(projectId))}>Submit one</a>.</>}</p>}
            </Empty>
          ) : pages.rows.length === 0 ? (
            <Loading what="Loading runs" />
          ) : (
            <>
              <RunsTable rows={pages.rows} version={pages.version} columns={columns} more={!pages.done}
                loading={pages.loading || pages.error !== null} onNeedMore={pages.loadMore}
                sortKey={view.sortKey} descending={view.descending} onSort={onSort}
                selected={selected} onToggle={onToggle} onToggleAll={onToggleAll} />
              {pages.error !== null && <ErrorView error={pages.error} retry={pages.loadMore} />}
            </>
          )}
        </>
      )}
    </section>
  );
}

