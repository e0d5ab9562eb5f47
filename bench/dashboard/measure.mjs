// bench/dashboard's browser half: drives Debian's headless chromium (through chromedriver) against the platform
// DashboardBench seeded, reads the performance entries the app records (web-ui/src/components/chart/perf.ts) and
// frame times, and prints one line per measurement with its target.
//   node bench/dashboard/measure.mjs target/dashboard-bench.json
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Browser } from './webdriver.mjs';

const info = JSON.parse(readFileSync(process.argv[2] ?? 'target/dashboard-bench.json', 'utf8'));
const REPEATS = Number(process.env.REPEATS ?? 5);
const ZOOMS = Number(process.env.ZOOMS ?? 20);
// ZOOM_SETTLE=0: the next zoom as soon as the dragged chart has drawn (sessions 5 and 6), the other charts' queries
// aborted in the browser but still running on the server; by default every chart's zoom is drawn first
const ZOOM_SETTLE = process.env.ZOOM_SETTLE !== '0';
// SKIP=table,live (any of compare100, zoom, table, live): leaves those measurements out, for a quick A/B of builds
const SKIP = new Set((process.env.SKIP ?? '').split(',').filter(Boolean));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const median = (xs) => pct(xs, 0.5);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const results = [];
function report(name, value, target, unit = 'ms') {
  const ok = value < target;
  const line = `${name}: ${unit === 'KB' ? value.toFixed(1) + ' KB' : fmt(value)} (target < ${target} ${unit}) ${ok ? 'ok' : 'MISSED'}`;
  results.push({ name, value, target, ok });
  console.log(line);
}

const api = async (path, init = {}) => {
  const r = await fetch(info.url + path, { ...init, headers: { Authorization: `Bearer ${info.token}`,
    'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
};

// ---------------------------------------------------------------- the initial bundle
{
  const html = await (await fetch(info.url + '/')).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let gz = 0;
  for (const a of assets) gz += gzipSync(Buffer.from(await (await fetch(info.url + a)).arrayBuffer()), { level: 9 }).length;
  report(`initial JS bundle (${assets.join(', ')}), gzip`, gz / 1024, 150, 'KB');
}

const browser = await Browser.start({ width: 1280, height: 1400 });
try {
  // sign in with the token, as a user pasting it would: the session cookie does the rest
  await browser.go(info.url + '/#/login');
  await browser.execAsync(`const done = arguments[arguments.length - 1];
    fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: arguments[0] }) }).then(r => done(r.status));`, info.token);

  // ---------------------------------------------------------------- compare to first full draw
  // Diagnostics (not the measurement): each load's requests from navigation start, the series queries' sizes and
  // the server's own time for them (its Server-Timing header: db = the database reads, query = the whole query).
  const WATERFALL = `return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/'))
    .map(e => ({ path: e.name.replace(/^.*\\/api\\/v1/, '').replace(/runs=[0-9,]+/, 'runs=..'), start: e.startTime,
      end: e.responseEnd, bytes: e.encodedBodySize, status: e.responseStatus,
      server: Object.fromEntries((e.serverTiming || []).map(t => [t.name, t.duration])) }))`;
  function printWaterfalls(what, loads) {
    const series = loads.flat().filter((r) => r.path.includes('/metrics/query'));
    if (series.length === 0) return;
    const sent = loads.map((l) => l.filter((r) => r.path.includes('/metrics/query')).map((r) => r.start));
    console.log(`  ${what}: ${series.length / loads.length} series queries a load, sent ${sent.map((s) => `${fmt(Math.min(...s))}-${fmt(Math.max(...s))}`).join(', ')} after navigation; `
      + `answers ${(median(series.map((r) => r.bytes)) / 1024).toFixed(0)} KB (median), `
      + `server db p50 ${fmt(median(series.map((r) => r.server.db ?? NaN)))}, query p50 ${fmt(median(series.map((r) => r.server.query ?? NaN)))} `
      + `max ${fmt(Math.max(...series.map((r) => r.server.query ?? NaN)))}`);
    const first = loads[loads.length - 1];
    console.log(`  last load's requests: ${first.map((r) => `${r.path.split('?')[0]} ${fmt(r.start)}-${fmt(r.end)}`).join('; ')}`);
  }
  async function compareFirstDraw(n) {
    const runs = info.compareRuns.slice(0, n).join(',');
    const times = [];
    const waterfalls = [];
    const client = [];
    for (let i = 0; i < REPEATS; i++) {
      await browser.go('about:blank');
      await browser.go(`${info.url}/#/projects/${info.project}/compare?runs=${runs}`);
      const t = await browser.waitUntil(`
        const figs = [...document.querySelectorAll('figure.metric-chart')];
        if (figs.length < 4 || !figs.slice(0, 4).every(f => f.dataset.chartState === 'drawn')) return null;
        const draws = performance.getEntriesByName('ty:chart:first-draw').map(e => e.startTime);
        if (draws.length < 4) return null;
        return Math.max(...draws);`, { timeout: 60000, interval: 20 });
      times.push(t);
      waterfalls.push(await browser.exec(WATERFALL));
      // the client's share after the server answered: the last series answer's end to the last first draw, and
      // each chart's answer-to-drawn time (ty:chart:draw: arrays built, handed to uPlot, drawn)
      client.push(await browser.exec(`const answers = performance.getEntriesByType('resource')
          .filter(e => e.name.includes('/metrics/query')).map(e => e.responseEnd);
        const draws = performance.getEntriesByName('ty:chart:first-draw').map(e => e.startTime);
        const fetches = performance.getEntriesByName('ty:chart:fetch');
        return { afterLastAnswer: Math.max(...draws) - Math.max(...answers),
          parse: fetches.map(e => e.startTime + e.duration - Math.max(...answers.filter(a => a <= e.startTime + e.duration + 0.5), e.startTime)),
          draw: performance.getEntriesByName('ty:chart:draw').map(e => e.duration) };`));
    }
    printWaterfalls(`compare ${n} runs`, waterfalls);
    console.log(`  client after the last answer to the last first draw: ${client.map((c) => fmt(c.afterLastAnswer)).join(', ')}; `
      + `answer to arrays per chart p50 ${fmt(median(client.flatMap((c) => c.parse)))}; arrays to drawn per chart p50 ${fmt(median(client.flatMap((c) => c.draw)))} `
      + `max ${fmt(Math.max(...client.flatMap((c) => c.draw)))}`);
    return times;
  }
  const c20 = await compareFirstDraw(20);
  report(`compare 20 runs x 4 charts, navigation to first full draw (median of ${REPEATS}: ${c20.map(fmt).join(', ')})`, median(c20), 1000);
  if (!SKIP.has('compare100')) {
    const c100 = await compareFirstDraw(100);
    report(`compare 100 runs x 4 charts, navigation to first full draw (median of ${REPEATS}: ${c100.map(fmt).join(', ')})`, median(c100), 2500);
  }

  // ---------------------------------------------------------------- zoom re-query + redraw (on the 100-run page)
  if (!SKIP.has('zoom')) {
    const base = `${info.url}/#/projects/${info.project}/compare?runs=${info.compareRuns.slice(0, 20).join(',')}`;
    await browser.go('about:blank');
    await browser.go(base);
    const chartId = await browser.waitUntil(`const f = document.querySelector('figure.metric-chart');
      return f && f.dataset.chartState === 'drawn' && f.dataset.chartId`, { timeout: 60000 });
    const el = Object.values(await browser.cmd('POST', '/element', { using: 'css selector',
      value: `figure[data-chart-id='${chartId}'] .u-over` }))[0];
    const rect = await browser.cmd('GET', `/element/${el}/rect`);
    const FIRST_CHARTS = `[...document.querySelectorAll('figure.metric-chart')].slice(0, 4)`;
    for (let i = 0; i < ZOOMS; i++) {
      const before = await browser.exec(`return performance.getEntriesByName('ty:chart:zoom')
        .filter(e => e.detail.key === arguments[0]).length`, info.keys[0]);
      const drawsBefore = await browser.exec(`return ${FIRST_CHARTS}.map(f => Number(f.dataset.chartDraws))`);
      const start = Math.round((Math.random() - 0.5) * rect.width * 0.6);
      const width = Math.round(rect.width * (0.05 + Math.random() * 0.3));
      await browser.cmd('POST', '/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', origin: { 'element-6066-11e4-a52e-4f735466cecf': el }, x: start - (width >> 1), y: 0 },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerMove', origin: 'pointer', x: width, y: 0, duration: 50 },
          { type: 'pointerUp', button: 0 }] }] });
      await browser.waitUntil(`return performance.getEntriesByName('ty:chart:zoom')
        .filter(e => e.detail.key === arguments[0]).length > ${before}`, { timeout: 30000, interval: 10 }, info.keys[0]);
      if (ZOOM_SETTLE) {
        // as a user looks at every chart zoomed: the other three charts' queries answered and drawn too, so the
        // server is not still computing them (aborted in the browser, not on the server) during the next zoom
        await browser.waitUntil(`return ${FIRST_CHARTS}.every((f, i) => f.dataset.chartQuery.includes('fromStep')
          && Number(f.dataset.chartDraws) > arguments[0][i])`, { timeout: 30000, interval: 10 }, drawsBefore);
      }
      // back to the whole range for the next zoom
      await browser.exec(`history.replaceState(null, '', location.hash.replace(/&zoom=[^&]*/, ''));
        window.dispatchEvent(new HashChangeEvent('hashchange'));`);
      await browser.waitUntil(`const f = document.querySelector("figure[data-chart-id='${chartId}']");
        return f.dataset.chartState === 'drawn' && !f.dataset.chartQuery.includes('fromStep')`, { timeout: 30000 });
      await sleep(100);
    }
    const zoomSpans = await browser.exec(`return performance.getEntriesByName('ty:chart:zoom')
      .filter(e => e.detail.key === arguments[0]).map(e => ({ start: e.startTime, end: e.startTime + e.duration }))`, info.keys[0]);
    const zooms = zoomSpans.map((z) => z.end - z.start);
    report(`zoom re-query + redraw, 20 runs, ${zooms.length} zooms, p95 (p50 ${fmt(median(zooms))})`, pct(zooms, 0.95), 200);
    // the dragged chart's own query in each zoom: release to request, request to answer, answer to drawn
    const draggedKey = `keys=${encodeURIComponent(info.keys[0])}&`;
    const draggedQueries = (await browser.exec(WATERFALL))
      .filter((r) => r.path.includes('fromStep=') && r.path.includes(draggedKey));
    const phases = zoomSpans.map((z) => {
      const q = draggedQueries.find((r) => r.start >= z.start && r.end <= z.end);
      return q ? [q.start - z.start, q.end - q.start, z.end - q.end] : null;
    }).filter((p) => p != null);
    if (phases.length > 0) {
      const p = (i, at) => fmt(pct(phases.map((x) => x[i]), at));
      console.log(`  the dragged chart's zoom, p50 / p95 (${phases.length} matched): release to request ${p(0, 0.5)} / ${p(0, 0.95)}, `
        + `request to answer ${p(1, 0.5)} / ${p(1, 0.95)}, answer to drawn ${p(2, 0.5)} / ${p(2, 0.95)}`);
    }
    // A zoom's four queries, less those the page aborted unanswered (status 0, no Server-Timing: the measurement resets
    // the zoom as soon as the dragged chart has drawn, which aborts the other charts' queries still on their way;
    // their NaN made the percentiles NaN).
    const zoomQueries = (await browser.exec(WATERFALL)).filter((r) => r.path.includes('fromStep='));
    const answered = zoomQueries.filter((r) => r.server.query != null);
    if (answered.length > 0) {
      const q = answered.map((r) => r.server.query);
      const db = answered.map((r) => r.server.db);
      const took = answered.map((r) => r.end - r.start);
      const statuses = [...new Set(zoomQueries.filter((r) => r.server.query == null).map((r) => r.status))].join('/');
      console.log(`  zoom queries: ${answered.length} answered, ${zoomQueries.length - answered.length} without an answer (status ${statuses || '-'}); server query p50 ${fmt(median(q))} p95 ${fmt(pct(q, 0.95))} max ${fmt(Math.max(...q))} `
        + `(db p50 ${fmt(median(db))}); request to answer p50 ${fmt(median(took))} p95 ${fmt(pct(took, 0.95))}; answers ${(median(answered.map((r) => r.bytes)) / 1024).toFixed(0)} KB (median)`);
    }
  }

  // ---------------------------------------------------------------- the runs table, scrolled to the bottom
  if (!SKIP.has('table')) {
    // the table loads 200 runs at a time as its end comes into view: scroll on every frame until all are loaded
    // and the last row is shown (at most SCROLL_SECONDS)
    await browser.go('about:blank');
    await browser.go(`${info.url}/#/projects/${info.tableProject}/runs`);
    await browser.waitUntil(`return document.querySelectorAll('.runs-table [data-index]').length > 10`, { timeout: 60000 });
    await sleep(500);
    const frames = await browser.execAsync(`const done = arguments[arguments.length - 1];
      const scroller = document.querySelector('.runs-table');
      const limit = arguments[0] * 1000;
      const deltas = [];
      let last = performance.now();
      const started = last;
      function frame(now) {
        deltas.push(now - last);
        last = now;
        const max = scroller.scrollHeight - scroller.clientHeight;
        const all = scroller.getAttribute('aria-rowcount') !== '-1';
        if ((all && scroller.scrollTop >= max - 1) || now - started > limit) {
          const rows = [...scroller.querySelectorAll('[data-index]')].map(e => Number(e.dataset.index));
          done({ deltas, height: scroller.scrollHeight, lastRow: Math.max(...rows), all, seconds: (now - started) / 1000 });
          return;
        }
        scroller.scrollTop = Math.min(max, scroller.scrollTop + 2000);
        requestAnimationFrame(frame);
      }
      requestAnimationFrame(frame);`, Number(process.env.SCROLL_SECONDS ?? 300));
    const d = frames.deltas.slice(1);
    report(`runs table, ${info.tableRuns} runs scrolled top to bottom (${frames.all ? 'all loaded' : 'NOT all loaded'}, `
      + `last row ${frames.lastRow + 1}, ${d.length} frames in ${frames.seconds.toFixed(0)} s, p50 ${fmt(median(d))}), p95 frame`,
      pct(d, 0.95), 32);
  }

  // ---------------------------------------------------------------- 10 runs streaming 100 points/s each
  if (!SKIP.has('live')) {
    await browser.go('about:blank');
    await browser.go(`${info.url}/#/projects/${info.project}/compare?runs=${info.liveRuns.join(',')}`);
    let step = 0;
    const writeAll = async () => {
      const from = step;
      step += 10;
      await Promise.all(info.liveRuns.map((r) => api(`/api/v1/projects/${info.project}/runs/${r}/metrics`, {
        method: 'POST',
        body: JSON.stringify({ points: Array.from({ length: 10 }, (_, i) => ({ key: 'train/loss', step: from + i,
          value: Math.exp(-(from + i) / 500) + Math.random() * 0.05 })) }),
      })));
    };
    await writeAll();
    // measured once the page has loaded (the chart drawn, the runs' details shown): the page's first render of its
    // params, parallel coordinates and scatter is part of loading it, not of the stream
    await browser.waitUntil(`return document.querySelector('figure.metric-chart')?.dataset.chartState === 'drawn'
      && !document.querySelector('.state-loading')`, { timeout: 60000 });
    await sleep(500);
    await browser.exec(`window.__frames = []; let last = performance.now();
      (function f(now) { window.__frames.push(now - last); last = now; if (!window.__stopFrames) requestAnimationFrame(f); })(last);`);
    const seconds = Number(process.env.LIVE_SECONDS ?? 15);
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const t = Date.now();
      await writeAll();
      await sleep(Math.max(0, 100 - (Date.now() - t)));
    }
    const live = await browser.exec(`window.__stopFrames = true; return { frames: window.__frames.slice(1),
      draws: document.querySelector('figure.metric-chart').dataset.chartDraws,
      points: document.querySelector('figure.metric-chart').dataset.chartPoints }`);
    report(`10 runs streaming 100 points/s each for ${seconds} s, compare page live (${live.draws} redraws, `
      + `${live.frames.length} frames, p95 ${fmt(pct(live.frames, 0.95))}), longest frame`, Math.max(...live.frames), 50);
  }
} finally {
  await browser.quit();
}
const full = info.fullRuns ?? info.compareRuns.length;
const series = full >= info.compareRuns.length
  ? `${info.compareRuns.length} runs x ${info.keys.length} keys x ${info.points.toLocaleString('en')} points`
  : `${full} runs x ${info.keys.length} keys x ${info.points.toLocaleString('en')} points (the first ${full}: every 20-run measurement) and ${info.compareRuns.length - full} x ${info.keys.length} x ${Math.floor(info.points / 10).toLocaleString('en')}`;
console.log(`machine: ${info.machine}; ${series}, ${info.tableRuns.toLocaleString('en')} table runs`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
