// Compare up to 100 runs: a chart per metric key any of them has, the params that differ, parallel coordinates with
// brushing and a scatter. Everything a user would share — runs, chart settings, zoom, the params shown, brushes —
// is in the URL.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  ApiError, experiments as experimentsApi, metrics as metricsApi, num, projects as projectsApi,
  type MetricsEvent, type RunSummaries, type RunSummary,
} from '../../api';
import type { PageProps } from '../../app/routes';
import { href, navigate, replaceQuery } from '../../app/router';
import { takeEarlySummaries } from '../../app/early';
import { paths } from '../../app/routes';
import { ChartControls, viewFromQuery, viewToQuery, zoomFromQuery, zoomToQuery } from '../../components/chart/ChartControls';
import { MetricChart } from '../../components/chart/MetricChart';
import { runStyles } from '../../components/chart/colors';
import { RunSwatch } from '../../components/chart/RunSwatch';
import { useColorScheme } from '../../components/chart/useColorScheme';
import { LiveFeed, NewKeyWatch, eventKeys } from '../../components/chart/liveFeed';
import { markPageStart } from '../../components/chart/perf';
import type { TimeAnchors } from '../../components/chart/xAxis';
import { Empty, ErrorView, Loading } from '../../components/States';
import { useAsync } from '../../components/useAsync';
import {
  brushed, brushesFromQuery, chartKeys, brushesToQuery, metricAxis, paramAxis, paramKeys, paramsView, paramText, parseRunIds,
  withRun, withoutRuns, MAX_COMPARE_RUNS, type Brush, type CompareRun,
} from './compareModel';
import { loadCompareRuns, settleLater, summariesOfFound } from './compareRuns';
import { shownSelection, type LoadedSelection } from './shownSelection';
import { AddRun } from './AddRun';
import { MetricTable } from './MetricTable';
import { metricTableRows } from './metricRows';
import { ParallelCoords, Scatter } from './ParallelCoords';
import './compare.css';

function setQuery(q: URLSearchParams, key: string, value: string | null): URLSearchParams {
  const out = new URLSearchParams(q);
  if (value == null || value === '') out.delete(key);
  else out.set(key, value);
  return out;
}

/** The ids that name no run; with runs left to compare, a button that takes them out of the URL. */
function MissingRuns({ missing, left, projectId, onRemove }: {
  missing: readonly number[]; left: number; projectId: number; onRemove?: () => void;
}) {
  const named = missing.map((id) => `#${id}`).join(', ');
  const one = missing.length === 1;
  return (
    <div class="notice missing-runs" role="status">
      <p>
        {one ? `Run ${named} is` : `Runs ${named} are`} not in this project (deleted, or never part of it), so {one ? 'it is' : 'they are'}{' '}
        left out{left === 1 ? '; the other run is compared' : left > 1 ? `; the other ${left} are compared` : ''}.
      </p>
      {onRemove ? (
        <button type="button" onClick={onRemove}>Remove {named} from the address</button>
      ) : (
        <a href={href(paths.projectRuns(projectId))}>Choose runs in the runs table</a>
      )}
    </div>
  );
}

/**
 * The runs of the URL still loading; with the previous selection shown meanwhile, which runs those are, so that they
 * are not taken for the new ones.
 */
function LoadingRuns({ ids, previous }: { ids: readonly number[]; previous: readonly RunSummary[] | null }) {
  const named = ids.map((id) => `#${id}`).join(', ');
  return (
    <p class="notice compare-loading" role="status" data-testid="loading-runs">
      <span class="spinner" aria-hidden="true" /> Loading {ids.length === 1 ? 'run' : 'runs'} {named}
      {previous
        ? `; until then the charts and tables below show the runs compared before (${previous.map((r) => r.name).join(', ')}), dimmed.`
        : '…'}
    </p>
  );
}

export function ComparePage({ route }: PageProps) {
  const projectId = Number(route.params.projectId);
  const q = route.query;
  const parsed = useMemo(() => parseRunIds(q.get('runs')), [q.get('runs')]);
  const ids = parsed.ids;
  const view = viewFromQuery(q);
  const zoom = zoomFromQuery(q);
  const brushes = useMemo(() => brushesFromQuery(q.get('brush')), [q.get('brush')]);
  const [highlight, setHighlight] = useState<number | null>(null);

  useEffect(() => markPageStart('compare'), []);

  // The runs themselves (names, params, start times) in one request, and the project's name, both at low priority.
  // The runs list also says which ids name no run (deleted, or in another project): once it has answered, no metric
  // query asks for those.
  const idsKey = ids.join(',');
  const details = useAsync((signal) => loadCompareRuns(projectId, ids, signal), [projectId, idsKey]);
  const project = useAsync((signal) => projectsApi.get(projectId, { signal, priority: 'low' }), [projectId]);
  const listed = details.state === 'ready' && details.value.asked.join(',') === idsKey ? details.value : null;
  const colorScheme = useColorScheme();
  const foundLater = useMemo(() => settleLater<readonly number[]>(), [projectId, idsKey]);
  useEffect(() => {
    if (listed) foundLater.resolve(listed.runs.map((r) => r.id));
    else if (details.state === 'error') foundLater.reject(details.error);
  }, [listed, details.state, foundLater]);

  // Metric keys first (one call): the charts need nothing else to start. On the app's first page they were asked
  // for with the session check (app/early.ts) and are usually there already: the first render draws the charts.
  // Until the runs list answers every id is asked for; a 404 then waits for the list and asks for the runs it found,
  // and later asks (the live stream's) take only those. Each answer says which ids it is for: right after the URL
  // changes, the last answer is still the previous selection's.
  const [early] = useState(() => takeEarlySummaries(projectId, ids));
  const earlyUsed = useRef(false);
  const askedIds = listed ? ids.filter((id) => !listed.missing.includes(id)) : ids;
  const summaries = useAsync(() => {
    const tagged = (answer: { items: RunSummaries[] }) => ({ asked: idsKey, items: answer.items });
    if (askedIds.length === 0) return Promise.resolve(tagged({ items: [] }));
    const ask = (some: readonly number[]) => metricsApi.summaries(projectId, some);
    let first: ReturnType<typeof ask>;
    if (early && !earlyUsed.current && early.runIds === askedIds.join(',')) {
      earlyUsed.current = true;
      // asked before the session was known; a 404 is the runs' answer, whoever asks
      first = early.answer.catch((e) => (e instanceof ApiError && e.status === 404 ? Promise.reject(e) : ask(askedIds)));
    } else {
      first = ask(askedIds);
    }
    return summariesOfFound(askedIds, first, foundLater.promise, ask).then(tagged);
  }, [projectId, idsKey]);
  const summariesNow = summaries.state === 'ready' && summaries.value.asked === idsKey ? summaries.value.items
    : early?.value && early.runIds === idsKey && summaries.state === 'loading' ? early.value.items : null;

  // While the URL's runs load, what the last selection with both answers said: the runs it shares with the URL, or,
  // sharing none, itself, shown as the runs compared before (shownSelection.ts) — never an empty page in between.
  const lastLoaded = useRef<LoadedSelection | null>(null);
  if (listed && summariesNow && (lastLoaded.current?.runs !== listed || lastLoaded.current.summaries !== summariesNow)) {
    lastLoaded.current = { runs: listed, summaries: summariesNow };
  }
  const shown = useMemo(() => shownSelection(ids, listed, summariesNow, lastLoaded.current),
    [idsKey, listed, summariesNow, lastLoaded.current]);
  const previous = shown?.of === 'previous';
  const missing = listed ? listed.missing : shown && !previous ? shown.missing : [];
  const foundIds = useMemo(() => ids.filter((id) => !missing.includes(id)), [idsKey, missing.join(',')]);
  // the runs the charts and tables show: the URL's, or the previous selection's while the URL's load
  const viewIds = useMemo(() => (previous ? shown!.runs.map((r) => r.id) : foundIds), [previous, shown, foundIds]);
  // of every run compared, in the URL's order (an added run goes last and so changes no other run's colour), so
  // that brushing some out changes no colour or dash
  const styles = useMemo(() => runStyles(viewIds, colorScheme), [viewIds, colorScheme]);
  const chipStyles = useMemo(() => (previous ? runStyles(foundIds, colorScheme) : styles), [previous, foundIds, styles]);
  const runDetails = shown ? shown.runs : null;
  const summaryItems = shown ? shown.summaries : summariesNow;

  const metricKeys = useMemo(() => chartKeys(summaryItems ?? []), [summaryItems]);

  const compareRuns: CompareRun[] = useMemo(() => {
    if (!runDetails) return [];
    const byRun = new Map(summaryItems ? summaryItems.map((s) => [s.runId, s.metrics]) : []);
    return runDetails.map((r: RunSummary) => {
      const m: Record<string, number> = {};
      for (const [k, v] of Object.entries(byRun.get(r.id) ?? r.metrics ?? {})) m[k] = num(v.last);
      return { id: r.id, name: r.name, params: r.params ?? {}, metrics: m };
    });
  }, [runDetails, summaryItems]);

  // Live: when every run is in one experiment and some still train, that experiment's event stream re-queries the
  // charts as their points arrive (each chart at most once a second). Events go to the charts through the feed, not
  // through this page's state: re-rendering the page per event made the long frames.
  const live = useMemo(() => new LiveFeed(), []);
  const newKeys = useMemo(() => new NewKeyWatch(), []);
  useEffect(() => newKeys.setKnown(metricKeys), [metricKeys]);
  const liveExperiment = useMemo(() => {
    if (!runDetails || runDetails.length === 0) return null;
    const experiments = new Set(runDetails.map((r) => r.experimentId));
    const active = runDetails.some((r) => r.status === 'QUEUED' || r.status === 'RUNNING');
    const only = runDetails[0]!.experimentId;
    return experiments.size === 1 && only != null && active ? only : null;
  }, [runDetails]);
  useEffect(() => {
    if (liveExperiment == null) return;
    const wanted = new Set(foundIds);
    const es = experimentsApi.events(projectId, liveExperiment);
    // points written between the keys' answer and the stream's start reach no chart: ask for the keys again once the
    // stream is open (and after each reconnect)
    es.addEventListener('open', () => summaries.reload());
    es.addEventListener('metrics', (ev) => {
      const data = JSON.parse((ev as MessageEvent).data) as MetricsEvent;
      if (!wanted.has(data.runId)) return;
      const keys = eventKeys(data);
      // a key no chart shows yet (the runs' first points of it): ask for the keys again, which adds its chart
      if (newKeys.shouldAsk(keys)) summaries.reload();
      live.notify(data.runId, keys.length > 0 ? keys : null);
    });
    return () => es.close();
  }, [projectId, liveExperiment, foundIds.join(',')]);

  // each run's last, min and max per key: the metric summaries where they have answered, else the runs list's own
  const metricRows = useMemo(() => {
    // none while the runs load (after an address change the previous answer narrowed to the new ids may be empty)
    if (!runDetails || runDetails.length === 0) return [];
    const byRun = new Map(runDetails.map((r) => [r.id, r.metrics ?? {}]));
    for (const s of summaryItems ?? []) byRun.set(s.runId, s.metrics);
    return metricTableRows(metricKeys, runDetails.map((r) => r.id), byRun);
  }, [runDetails, summaryItems, metricKeys]);

  const runNames = useMemo(() => new Map(compareRuns.map((r) => [r.id, `${r.name} (#${r.id})`])), [compareRuns]);

  const anchorsByKey = useMemo(() => {
    const out = new Map<string, Map<number, TimeAnchors>>();
    if (!runDetails || !summaryItems) return out;
    const started = new Map(runDetails.map((r) => [r.id, Date.parse(r.startedAt ?? r.createdAt) / 1000]));
    for (const s of summaryItems) {
      for (const [key, k] of Object.entries(s.metrics)) {
        let m = out.get(key);
        if (!m) out.set(key, (m = new Map()));
        m.set(s.runId, { startedAt: started.get(s.runId) ?? NaN, lastAt: Date.parse(k.updatedAt) / 1000,
          lastStep: k.step });
      }
    }
    return out;
  }, [runDetails, summaryItems]);

  // Params table, parallel coordinates and scatter settings.
  const showAllParams = q.get('params') === 'all';
  const differing = useMemo(() => paramKeys(compareRuns, true), [compareRuns]);
  const paramsTable = useMemo(() => paramsView(compareRuns, showAllParams), [compareRuns, showAllParams]);
  const allParamKeys = useMemo(() => paramKeys(compareRuns, false), [compareRuns]);
  const pcParams = (q.get('pc') ?? differing.slice(0, 4).join(',')).split(',').filter((k) => allParamKeys.includes(k));
  const pcMetric = q.get('pcm') && metricKeys.includes(q.get('pcm')!) ? q.get('pcm')! : metricKeys[0];
  const axes = useMemo(() => [
    ...pcParams.map((k) => paramAxis(k, compareRuns)),
    ...(pcMetric ? [metricAxis(pcMetric, compareRuns)] : []),
  ], [pcParams.join(','), pcMetric, compareRuns]);
  const selectedRuns = useMemo(() => brushed(compareRuns, axes, brushes), [compareRuns, axes, brushes]);
  const selected = useMemo(() => new Set(selectedRuns.map((r) => r.id)), [selectedRuns]);
  const chartRunIds = useMemo(() => (brushes.length === 0 || compareRuns.length === 0 ? viewIds
    : viewIds.filter((id) => selected.has(id))), [viewIds, selected, brushes.length, compareRuns.length]);
  // the chips name the URL's runs: from the runs list as soon as it answers, else from what is shown
  const chipNames = useMemo(() => new Map([...runNames,
    ...(listed?.runs ?? []).map((r): [number, string] => [r.id, `${r.name} (#${r.id})`])]), [runNames, listed]);
  const outsideBrushes = (id: number) => !previous && !chartRunIds.includes(id);
  const scatterX = q.get('sx') && allParamKeys.includes(q.get('sx')!) ? q.get('sx')! : (differing[0] ?? allParamKeys[0]);
  const scatterY = q.get('sy') && metricKeys.includes(q.get('sy')!) ? q.get('sy')! : metricKeys[0];

  // Adding or removing a run is a new history entry: the back button undoes it.
  const setRuns = (runs: string) => navigate(route.path, setQuery(q, 'runs', runs));
  // a removed run's × button leaves the page: the focus goes to the next run's (or the Add run box)
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    if (!focusNext.current) return;
    document.querySelector<HTMLElement>(focusNext.current)?.focus();
    focusNext.current = null;
  });
  const remove = (id: number) => {
    const i = foundIds.indexOf(id);
    const next = foundIds[i + 1] ?? foundIds[i - 1];
    focusNext.current = next != null ? `[data-remove-run="${next}"]` : '#add-run-input';
    setRuns(withoutRuns(q.get('runs'), [id]));
  };
  const addRun = (
    <AddRun projectId={projectId} compared={ids} full={ids.length >= MAX_COMPARE_RUNS}
      onAdd={(r) => setRuns(withRun(q.get('runs'), r.id))} />
  );

  if (!Number.isInteger(projectId) || projectId <= 0) return <Empty>No such project.</Empty>;
  if (ids.length === 0) {
    return (
      <section class="page compare-page">
        <h1>Compare runs</h1>
        <Empty>
          No runs chosen. Add runs below, or select them in the <a href={href(paths.projectRuns(projectId))}>runs
          table</a> and choose Compare.
        </Empty>
        {addRun}
      </section>
    );
  }

  const breadcrumbs = (
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <a href={href(paths.project(projectId))}>{project.state === 'ready' ? project.value.name : `Project ${projectId}`}</a> /{' '}
      <a href={href(paths.projectRuns(projectId))}>Runs</a> / Compare
    </nav>
  );
  if (listed && foundIds.length === 0) {
    return (
      <section class="page compare-page">
        {breadcrumbs}
        <h1>Compare runs</h1>
        <MissingRuns missing={missing} left={0} projectId={projectId} />
        {addRun}
      </section>
    );
  }

  return (
    <section class="page compare-page">
      {breadcrumbs}
      <h1>Compare {foundIds.length} run{foundIds.length === 1 ? '' : 's'}</h1>
      {parsed.tooMany && <p class="notice" role="status">Only the first {MAX_COMPARE_RUNS} runs are compared.</p>}
      {parsed.invalid.length > 0 && (
        <p class="notice" role="status">Ignored: {parsed.invalid.join(', ')} (run ids are whole numbers from 1).</p>
      )}
      {missing.length > 0 && (
        <MissingRuns missing={missing} left={foundIds.length} projectId={projectId}
          onRemove={() => replaceQuery(setQuery(q, 'runs', withoutRuns(q.get('runs'), missing)))} />
      )}
      {brushes.length > 0 && compareRuns.length > 0 && (
        <p class="notice" role="status">
          Brushing keeps {selectedRuns.length} of {compareRuns.length} runs.{' '}
          <button type="button" class="link-button" onClick={() => replaceQuery(setQuery(q, 'brush', null))}>
            Clear brushes
          </button>
        </p>
      )}
      <div class="compare-runs-bar">
        <ul class="compare-runs" aria-label="Runs compared">
          {foundIds.map((id) => {
            const name = chipNames.get(id) ?? `#${id}`;
            return (
              <li key={id} class={outsideBrushes(id) ? 'is-filtered' : ''} data-compared-run={id}>
                <RunSwatch style={chipStyles.get(id)} />
                <a href={href(paths.run(projectId, id))}>{name}</a>
                {outsideBrushes(id) && <span class="visually-hidden"> (outside the brushes)</span>}
                <button type="button" class="chip-remove" data-remove-run={id} aria-label={`Remove ${name} from the comparison`}
                  title="Remove from the comparison" onClick={() => remove(id)}>×</button>
              </li>
            );
          })}
        </ul>
        {addRun}
      </div>
      {/* from a run page's Compare…: one run is nothing to compare yet */}
      {listed && foundIds.length === 1 && (
        <p class="notice" role="status" data-testid="one-run">
          One run so far: add another with Add run (a name or #id) to compare them side by side.
        </p>
      )}

      {shown && lastLoaded.current && shown.loading.length > 0 && (
        <LoadingRuns ids={shown.loading} previous={previous ? shown.runs : null} />
      )}
      {/* the previous selection, while the URL's loads: dimmed and out of reach, not taken for the new one */}
      <div class={previous ? 'compare-body is-previous' : 'compare-body'} data-shows={previous ? 'previous' : 'current'}
        aria-busy={shown ? shown.loading.length > 0 : true} inert={previous}>
      <h2>Metrics</h2>
      <ChartControls view={view} onChange={(v) => replaceQuery(viewToQuery(v, q))} />
      {summaries.state === 'loading' && !summaryItems && <Loading what="Loading metric keys" />}
      {summaries.state === 'error' && <ErrorView error={summaries.error} retry={summaries.reload} />}
      {summaries.state === 'ready' && metricKeys.length === 0 && (
        <Empty>These runs have no metrics yet.</Empty>
      )}
      <div class="chart-grid">
        {metricKeys.map((key) => (
          <MetricChart key={key} projectId={projectId} runIds={chartRunIds} styles={styles} metricKey={key} view={view} zoom={zoom}
            onZoom={(z) => replaceQuery(zoomToQuery(z, q))} runNames={runNames} anchors={anchorsByKey.get(key)}
            highlight={highlight} onHighlight={setHighlight} syncKey={`compare-${projectId}`}
            live={live} />
        ))}
      </div>

      {metricRows.length > 0 && (
        <>
          <h2>Metric values</h2>
          <MetricTable runs={compareRuns} rows={metricRows} styles={styles} selected={selected} />
        </>
      )}

      <h2>Params</h2>
      {!shown && details.state === 'loading' && <Loading what="Loading the runs" />}
      {details.state === 'error' && <ErrorView error={details.error} retry={details.reload} />}
      {shown && details.state !== 'error' && (
        <>
          {paramsTable.toggle && (
            <div class="toolbar">
              <label>
                <input type="checkbox" checked={showAllParams}
                  onChange={(e) => replaceQuery(setQuery(q, 'params', (e.target as HTMLInputElement).checked ? 'all' : null))} />
                Show all params ({allParamKeys.length}), not only the {differing.length} that differ
              </label>
            </div>
          )}
          {paramsTable.empty !== null ? (
            <Empty>{paramsTable.empty}</Empty>
          ) : (
            // focusable: on a phone the table scrolls sideways, and keyboard users scroll it with the arrow keys
            <div class="table-scroll" tabIndex={0} role="region" aria-label="Params of the runs">
              <table class="data compare-table params-table" aria-label={paramsTable.label}>
                <thead>
                  <tr>
                    <th scope="col" class="key">Param</th>
                    {compareRuns.map((r) => (
                      <th key={r.id} scope="col" class={selected.has(r.id) ? '' : 'is-filtered'}>
                        <RunSwatch style={styles.get(r.id)} />{' '}
                        {r.name} <span class="muted">#{r.id}</span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {paramsTable.keys.map((k) => (
                    <tr key={k} data-param={k}>
                      <th scope="row" class="mono key">{k}</th>
                      {compareRuns.map((r) => <td key={r.id} class="mono">{paramText(r.params[k])}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          {/* one run: an axis with one value and a scatter of one point say nothing */}
          {compareRuns.length > 1 && allParamKeys.length > 0 && metricKeys.length > 0 && (
            <>
              <h2>Params against a metric</h2>
              <div class="toolbar pc-controls">
                <fieldset class="pc-axes">
                  <legend>Axes <span class="muted">({pcParams.length} of {allParamKeys.length} params)</span></legend>
                  <div class="pc-axes__list">
                    {allParamKeys.slice(0, 60).map((k) => (
                      <label key={k}>
                        <input type="checkbox" checked={pcParams.includes(k)} onChange={(e) => {
                          const on = (e.target as HTMLInputElement).checked;
                          const next = on ? [...pcParams, k] : pcParams.filter((x) => x !== k);
                          replaceQuery(setQuery(q, 'pc', next.join(',') || '-'));
                        }} />
                        <span class="mono">{k}</span>
                      </label>
                    ))}
                  </div>
                </fieldset>
                <label>
                  Metric
                  <select value={pcMetric} onChange={(e) => replaceQuery(setQuery(q, 'pcm', (e.target as HTMLSelectElement).value))}>
                    {metricKeys.map((k) => <option key={k} value={k}>{k}</option>)}
                  </select>
                </label>
              </div>
              <p class="help">Drag along an axis to keep only the runs in that range (click an axis to clear its brush).</p>
              <ParallelCoords runs={compareRuns} styles={styles} axes={axes} brushes={brushes} selected={selected}
                onBrushes={(b: Brush[]) => replaceQuery(setQuery(q, 'brush', brushesToQuery(b)))}
                highlight={highlight} onHighlight={setHighlight} />

              <h2>Scatter</h2>
              <div class="toolbar">
                <label>
                  Param
                  <select value={scatterX} onChange={(e) => replaceQuery(setQuery(q, 'sx', (e.target as HTMLSelectElement).value))}>
                    {allParamKeys.map((k) => <option key={k} value={k}>{k}</option>)}
                  </select>
                </label>
                <label>
                  Metric
                  <select value={scatterY} onChange={(e) => replaceQuery(setQuery(q, 'sy', (e.target as HTMLSelectElement).value))}>
                    {metricKeys.map((k) => <option key={k} value={k}>{k}</option>)}
                  </select>
                </label>
              </div>
              {scatterX && scatterY && (
                <Scatter runs={compareRuns} styles={styles} x={paramAxis(scatterX, compareRuns)} y={metricAxis(scatterY, compareRuns)}
                  selected={selected} highlight={highlight} onHighlight={setHighlight} />
              )}
            </>
          )}
        </>
      )}
      </div>
    </section>
  );
}
