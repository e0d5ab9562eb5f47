// One run: its status timeline, a chart per metric key (fetched when scrolled into view, re-queried live while it
// trains), the log's tail, checkpoints, spec and params, and — for editors — cancel, retry and clone.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  checkpoints as checkpointsApi, errorText, experiments as experimentsApi, metrics as metricsApi,
  projects as projectsApi, runs as runsApi, type MetricSummary, type RunStatus,
} from '../../api';
import type { PageProps } from '../../app/routes';
import { paths } from '../../app/routes';
import { href, replaceQuery } from '../../app/router';
import { useAllows } from '../../app/session';
import { ChartControls, viewFromQuery, viewToQuery, zoomFromQuery, zoomToQuery } from '../../components/chart/ChartControls';
import { MetricChart } from '../../components/chart/MetricChart';
import { chartOrder } from '../../components/chart/chartOrder';
import { LiveFeed, eventKeys } from '../../components/chart/liveFeed';
import { markPageStart } from '../../components/chart/perf';
import type { TimeAnchors } from '../../components/chart/xAxis';
import { Empty, ErrorView, Loading } from '../../components/States';
import { useAsync } from '../../components/useAsync';
import { paramText } from '../compare/compareModel';
import { CheckpointsTable } from './CheckpointsTable';
import { CloneEditor } from './CloneEditor';
import { LogTail } from './LogTail';
import { MetricSummaryTable } from './MetricSummaryTable';
import { mergeSummaries, summaryRows } from './metricSummary';
import { StatusTimeline } from './StatusTimeline';
import { toYaml } from './specYaml';
import './run.css';

export function RunPage({ route }: PageProps) {
  const projectId = Number(route.params.projectId);
  const runId = Number(route.params.runId);
  const q = route.query;
  const view = viewFromQuery(q);
  const zoom = zoomFromQuery(q);

  useEffect(() => markPageStart('run'), [projectId, runId]);

  const project = useAsync(() => projectsApi.get(projectId), [projectId]);
  const runAsync = useAsync((signal) => runsApi.get(projectId, runId, signal), [projectId, runId]);
  const run = runAsync.state === 'ready' ? runAsync.value : null;
  const experimentId = run?.experimentId ?? null;
  const experiment = useAsync(
    () => (experimentId === null ? Promise.resolve(null) : experimentsApi.get(projectId, experimentId)),
    [projectId, experimentId]);
  const canWrite = useAllows(project.state === 'ready' ? project.value.role : null, 'editor');

  const [liveStatus, setLiveStatus] = useState<RunStatus | null>(null);
  const [liveKeys, setLiveKeys] = useState<string[]>([]);
  const [liveSummaries, setLiveSummaries] = useState<ReadonlyMap<string, MetricSummary>>(new Map());
  const live = useMemo(() => new LiveFeed(), []);
  const [now, setNow] = useState(Date.now());
  const [cloning, setCloning] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reloadRun = useRef(runAsync.reload);
  reloadRun.current = runAsync.reload;

  const summaries = useAsync(() => metricsApi.ofRun(projectId, runId), [projectId, runId]);
  const checkpoints = useAsync(() => checkpointsApi.list(projectId, runId), [projectId, runId]);
  // a status (the live stream's first snapshot's included) asks for both again as a reload, which keeps the tables
  // shown until the answer: as a dependency it put "Loading" in their place, and a Download link clicked in that
  // moment was gone
  useEffect(() => {
    if (liveStatus === null) return;
    summaries.reload();
    checkpoints.reload();
  }, [liveStatus]);
  const reloadCheckpoints = useRef(checkpoints.reload);
  reloadCheckpoints.current = checkpoints.reload;

  // Live: status changes reload the run; metric events re-query the visible charts.
  useEffect(() => {
    setLiveStatus(null);
    setLiveKeys([]);
    setLiveSummaries(new Map());
    const es = runsApi.events(projectId, runId);
    es.addEventListener('snapshot', (ev) => {
      const data = JSON.parse((ev as MessageEvent).data) as { run?: { status?: RunStatus }; metrics?: object };
      if (data.run?.status) setLiveStatus(data.run.status);
      if (data.metrics) setLiveKeys((old) => [...new Set([...old, ...Object.keys(data.metrics!)])]);
    });
    es.addEventListener('status', (ev) => {
      const data = JSON.parse((ev as MessageEvent).data) as { runId: number; to: RunStatus };
      if (data.runId !== runId) return;
      setLiveStatus(data.to);
      reloadRun.current();
    });
    es.addEventListener('metrics', (ev) => {
      const data = JSON.parse((ev as MessageEvent).data) as { runId: number; keys?: unknown };
      if (data.runId !== runId) return;
      const keys = eventKeys(data);
      setLiveKeys((old) => (keys.every((k) => old.includes(k)) ? old : [...new Set([...old, ...keys])]));
      const latest = data.keys;
      if (latest && typeof latest === 'object' && !Array.isArray(latest)) {
        setLiveSummaries((old) => new Map([...old, ...Object.entries(latest as Record<string, MetricSummary>)]));
      }
      live.notify(runId, keys.length > 0 ? keys : null);
    });
    return () => es.close();
  }, [projectId, runId]);

  const status = liveStatus ?? run?.status ?? null;
  const active = status === 'QUEUED' || status === 'RUNNING';

  // While a run trains: running durations tick, and new checkpoints show up.
  useEffect(() => {
    if (!active) return;
    const t = window.setInterval(() => {
      setNow(Date.now());
      reloadCheckpoints.current();
    }, 10_000);
    return () => window.clearInterval(t);
  }, [active]);

  const keys = useMemo(() => {
    const all = new Set<string>(liveKeys);
    if (run) for (const k of Object.keys(run.metrics ?? {})) all.add(k);
    if (summaries.state === 'ready') for (const s of summaries.value.items) all.add(s.key);
    return chartOrder(all);
  }, [run, liveKeys.join('\n'), summaries.state === 'ready' ? summaries.value : null]);

  const summaryItems = summaries.state === 'ready' ? summaries.value.items : null;
  const summary = useMemo(() => summaryRows(mergeSummaries(summaryItems ?? [], liveSummaries)),
    [summaryItems, liveSummaries]);
  const anchorsByKey = useMemo(() => {
    const out = new Map<string, Map<number, TimeAnchors>>();
    if (!run || !summaryItems) return out;
    const startedAt = Date.parse(run.startedAt ?? run.createdAt) / 1000;
    for (const s of summaryItems) {
      out.set(s.key, new Map([[runId, { startedAt, lastAt: Date.parse(s.updatedAt) / 1000, lastStep: s.step }]]));
    }
    return out;
  }, [run?.startedAt, summaryItems]);

  const [specYaml, setSpecYaml] = useState<string | null>(null);
  useEffect(() => {
    if (run) toYaml(run.spec).then(setSpecYaml, () => setSpecYaml(JSON.stringify(run.spec, null, 2)));
  }, [run?.id]);

  const act = async (what: 'cancel' | 'retry') => {
    setBusy(true);
    setActionError(null);
    try {
      await (what === 'cancel' ? runsApi.cancel(projectId, runId) : runsApi.retry(projectId, runId));
      runAsync.reload();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (runAsync.state === 'loading') return <section class="page"><Loading what="Loading the run" /></section>;
  if (runAsync.state === 'error') {
    return <section class="page"><h1>Run {runId}</h1><ErrorView error={runAsync.error} retry={runAsync.reload} /></section>;
  }
  const r = runAsync.value;
  const params = Object.entries(r.params ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section class="page run-page" data-run-status={status ?? ''}>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href(paths.project(projectId))}>{project.state === 'ready' ? project.value.name : `Project ${projectId}`}</a> /{' '}
        {r.experimentId != null
          ? <a href={href(paths.experimentRuns(projectId, r.experimentId))}>
              {experiment.state === 'ready' && experiment.value ? experiment.value.name : `Experiment ${r.experimentId}`}
            </a>
          : <a href={href(paths.projectRuns(projectId))}>Runs</a>} / Run #{r.id}
      </nav>
      <div class="run-header">
        <h1>{r.name} <span class="muted">#{r.id}</span></h1>
        <span class={`status status-${status}`} data-testid="run-status">{status}</span>
        {r.tags.map((t) => <span key={t} class="tag">{t}</span>)}
        <span class="spacer" />
        {canWrite && (
          <div class="run-actions" role="group" aria-label="Run actions">
            {active && <button type="button" class="danger" disabled={busy} onClick={() => act('cancel')}>Cancel</button>}
            {(status === 'FAILED' || status === 'CANCELLED') && (
              <button type="button" disabled={busy} onClick={() => act('retry')}>Retry</button>
            )}
            <button type="button" onClick={() => setCloning(true)} aria-expanded={cloning}>Clone with edits…</button>
          </div>
        )}
        <a class="button" href={href(paths.compare(projectId), { runs: String(r.id) })}>Compare…</a>
      </div>
      {actionError && <p class="error" role="alert">{actionError}</p>}
      {cloning && canWrite && <CloneEditor run={r} onClose={() => setCloning(false)} />}

      <h2>Status</h2>
      <StatusTimeline run={r} now={now} />

      {summaries.state === 'error' && <ErrorView error={summaries.error} retry={summaries.reload} />}
      {summary.length > 0 && (<><h2>Summary</h2><MetricSummaryTable rows={summary} /></>)}

      <h2>Metrics</h2>
      <ChartControls view={view} onChange={(v) => replaceQuery(viewToQuery(v, q))} />
      {keys.length === 0 ? (
        <Empty>{active ? 'No metrics yet: they appear here as the run reports them.' : 'This run reported no metrics.'}</Empty>
      ) : (
        <div class="chart-grid">
          {keys.map((key) => (
            <MetricChart key={key} projectId={projectId} runIds={[runId]} metricKey={key} view={view} zoom={zoom}
              onZoom={(z) => replaceQuery(zoomToQuery(z, q))} anchors={anchorsByKey.get(key)}
              runNames={new Map([[runId, r.name]])} live={live} syncKey={`run-${runId}`} />
          ))}
        </div>
      )}

      <h2>Log</h2>
      <LogTail projectId={projectId} runId={runId} />

      <h2>Checkpoints</h2>
      {checkpoints.state === 'loading' && <Loading what="Loading checkpoints" />}
      {checkpoints.state === 'error' && <ErrorView error={checkpoints.error} retry={checkpoints.reload} />}
      {checkpoints.state === 'ready' && (
        <CheckpointsTable projectId={projectId} runId={runId} items={checkpoints.value.items} spec={r.spec} />
      )}

      <div class="run-spec-params">
        <div>
          <h2>Spec</h2>
          <pre class="spec-yaml mono" tabIndex={0} aria-label="Spec as YAML">{specYaml ?? '…'}</pre>
        </div>
        <div>
          <h2>Params</h2>
          {params.length === 0 ? <Empty>No params.</Empty> : (
            <table class="data params" aria-label="Params">
              <tbody>
                {params.map(([k, v]) => (
                  <tr key={k}><th scope="row" class="mono">{k}</th><td class="mono">{paramText(v)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {r.notes && (<><h3>Notes</h3><p class="run-notes">{r.notes}</p></>)}
        </div>
      </div>
    </section>
  );
}
