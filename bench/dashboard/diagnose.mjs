// Where the runs table's and the live compare page's frames go, for the seeding bench/dashboard/run makes (not a
// measurement of record; it prints attributions and counts, which stay meaningful on a loaded machine):
//   node bench/dashboard/diagnose.mjs target/dashboard-bench.json [table,osc,live,compare]
// table: scrolls as measure.mjs does for SCROLL_SECONDS (60); osc: 300 frames jumping 2,000 px back and forth inside
// the first page (rendering alone, no page loads); live: the 10-run stream for LIVE_SECONDS (15). Each prints the
// browser's CPU time (utime + stime of chromedriver's process tree, from /proc), DOM mutations per frame, and the
// long-animation-frame entries (> 50 ms) with their script attribution (TOP=n prints the n longest whole);
// PROFILE=1 adds the live stream's main-thread CPU profile (self and total time by function).
// compare: opens the 20-run compare page from inside the app REPEATS (3) times, prints its timeline (and with
// PROFILE=1 the client's CPU profile from the hash change to the four first draws; CANVAS_OUT=<prefix> writes the
// four canvases as PNG files and prints their SHA-256, to check that two builds draw the same pixels; REDRAW=1
// captures them after every chart has redrawn, a legend entry hovered and left; REDRAW=hold: still hovered).
import { Browser } from './webdriver.mjs';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
// CPU time (ms) of a process tree: utime + stime from /proc, at 100 ticks a second
function cpuOfTree(root) {
  const procs = new Map();
  for (const d of readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue;
    try { const st = readFileSync(`/proc/${d}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * 10 }); } catch {} }
  let total = 0; const want = new Set([root]); let grew = true;
  while (grew) { grew = false; for (const [pid, p] of procs) if (!want.has(pid) && want.has(p.ppid)) { want.add(pid); grew = true; } }
  for (const pid of want) total += procs.get(pid)?.cpu ?? 0;
  return total;
}
const info = JSON.parse(readFileSync(process.argv[2] ?? 'target/dashboard-bench.json', 'utf8'));
const what = process.argv[3] ?? 'table,live';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const api = async (path, init = {}) => {
  const r = await fetch(info.url + path, { ...init, headers: { Authorization: `Bearer ${info.token}`, 'Content-Type': 'application/json' } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.status === 204 ? null : r.json();
};
const OBS = `window.__loaf = []; window.__mut = 0; window.__mutFrames = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__loaf.push({ at: e.startTime, d: e.duration, block: e.blockingDuration,
    render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0, style: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
    scripts: e.scripts.map(s => ({ d: s.duration, inv: s.invoker, fn: s.sourceFunctionName, src: (s.sourceURL||'').split('/').pop() + ':' + s.sourceCharPosition, forced: s.forcedStyleAndLayoutDuration })) }); })
    .observe({ type: 'long-animation-frame', buffered: false });
  new MutationObserver((ms) => { for (const m of ms) window.__mut += m.addedNodes.length + m.removedNodes.length + (m.type !== 'childList' ? 1 : 0); })
    .observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });`;
function summarize(loaf) {
  const byScript = new Map();
  let render = 0, style = 0, total = 0;
  for (const e of loaf) { total += e.d; render += e.render; style += e.style;
    for (const s of e.scripts) { const k = `${s.inv} ${s.fn} ${s.src}`; const v = byScript.get(k) ?? { n: 0, d: 0, forced: 0 }; v.n++; v.d += s.d; v.forced += s.forced; byScript.set(k, v); } }
  console.log(`  LoAF: ${loaf.length} frames > 50ms, total ${total.toFixed(0)} ms, render phase ${render.toFixed(0)} ms, style+layout ${style.toFixed(0)} ms, max ${Math.max(0, ...loaf.map(e => e.d)).toFixed(0)}`);
  if (process.env.TOP) for (const e of [...loaf].sort((a, b) => b.d - a.d).slice(0, Number(process.env.TOP))) console.log('   frame', JSON.stringify(e));
  for (const [k, v] of [...byScript].sort((a, b) => b[1].d - a[1].d).slice(0, 12)) console.log(`   ${v.d.toFixed(0)} ms (${v.n}x, forced layout ${v.forced.toFixed(0)}) ${k}`);
}
// PROFILE=1: the main thread's CPU profile over the live stream (sampled by V8, so shares stay meaningful under
// load): self time by function and by the app's top-level callers
function printProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  const incl = new Map();
  profile.samples.forEach((id, i) => {
    const d = (dt[i + 1] ?? 0) / 1000;
    total += d;
    const f = byId.get(id).callFrame;
    const k = `${f.functionName || '(anon)'} ${(f.url || '').split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    self.set(k, (self.get(k) ?? 0) + d);
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const cf = byId.get(n).callFrame;
      const key = `${cf.functionName || '(anon)'} ${(cf.url || '').split('/').pop()}:${cf.lineNumber}:${cf.columnNumber}`;
      if (!seen.has(key)) { seen.add(key); incl.set(key, (incl.get(key) ?? 0) + d); }
    }
  });
  const top = (m, n) => [...m].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(root)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`  profile: ${total.toFixed(0)} ms sampled, idle ${(self.get('(idle) :-1:-1') ?? 0).toFixed(0)} ms, program ${(self.get('(program) :-1:-1') ?? 0).toFixed(0)} ms, GC ${(self.get('(garbage collector) :-1:-1') ?? 0).toFixed(0)} ms`);
  for (const [k, v] of top(self, Number(process.env.PROFILE_TOP ?? 15))) console.log(`   self ${v.toFixed(0)} ms ${k}`);
  for (const [k, v] of top(incl, Number(process.env.PROFILE_TOP ?? 15))) console.log(`   total ${v.toFixed(0)} ms ${k}`);
  // PROFILE_CALLERS=fnA,fnB: the stacks (4 deep) those functions' self time came from
  for (const name of (process.env.PROFILE_CALLERS ?? '').split(',').filter(Boolean)) {
    const stacks = new Map();
    profile.samples.forEach((id, i) => {
      if (byId.get(id).callFrame.functionName !== name) return;
      const chain = [];
      for (let n = parent.get(id); n !== undefined && chain.length < 4; n = parent.get(n)) {
        const cf = byId.get(n).callFrame;
        chain.push(`${cf.functionName || '(anon)'}:${cf.lineNumber}:${cf.columnNumber}`);
      }
      const k = chain.join(' < ');
      stacks.set(k, (stacks.get(k) ?? 0) + (dt[i + 1] ?? 0) / 1000);
    });
    for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`   ${name} ${v.toFixed(0)} ms < ${k}`);
  }
}

const browser = await Browser.start({ width: 1280, height: 1400 });
try {
  await browser.go(info.url + '/#/login');
  await browser.execAsync(`const done = arguments[arguments.length - 1];
    fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: arguments[0] }) }).then(r => done(r.status));`, info.token);
  if (what.includes('table')) {
    await browser.go('about:blank');
    await browser.go(`${info.url}/#/projects/${info.tableProject}/runs${process.env.COLS ? '?cols=' + process.env.COLS : ''}`);
    await browser.waitUntil(`return document.querySelectorAll('.runs-table [data-index]').length > 10`, { timeout: 60000 });
    await sleep(500);
    await browser.exec(OBS);
    const cpu0 = cpuOfTree(browser.driver.pid);
    const r = await browser.execAsync(`const done = arguments[arguments.length - 1];
      const scroller = document.querySelector('.runs-table');
      const limit = arguments[0] * 1000; const deltas = []; const muts = []; const rows = [];
      let last = performance.now(); const started = last;
      function frame(now) {
        deltas.push(now - last); last = now; muts.push(window.__mut); window.__mut = 0;
        const max = scroller.scrollHeight - scroller.clientHeight;
        const all = scroller.getAttribute('aria-rowcount') !== '-1';
        if ((all && scroller.scrollTop >= max - 1) || now - started > limit) {
          done({ top: scroller.scrollTop, deltas, muts, seconds: (now - started) / 1000, all, loaded: scroller.querySelectorAll('[data-index]').length });
          return;
        }
        scroller.scrollTop = Math.min(max, scroller.scrollTop + 2000);
        requestAnimationFrame(frame);
      }
      requestAnimationFrame(frame);`, Number(process.env.SCROLL_SECONDS ?? 60));
    const d = r.deltas.slice(1);
    const cpu = cpuOfTree(browser.driver.pid) - cpu0;
    console.log(`table CPU: ${cpu} ms browser CPU for ${Math.round(r.top / 36)} rows scrolled: ${(cpu / (r.top / 36) * 1000).toFixed(0)} ms per 1000 rows, ${(cpu / d.length).toFixed(1)} ms per frame`);
    console.log(`table: ${d.length} frames in ${r.seconds.toFixed(1)} s (all ${r.all}), p50 ${pct(d, .5).toFixed(1)} p95 ${pct(d, .95).toFixed(1)} max ${Math.max(...d).toFixed(0)}; DOM mutations/frame p50 ${pct(r.muts, .5)} p95 ${pct(r.muts, .95)} max ${Math.max(...r.muts)} total ${r.muts.reduce((a, b) => a + b, 0)}`);
    summarize(await browser.exec('return window.__loaf'));
  }
  if (what.includes('osc')) {
    // pure rendering: jump 2000 px back and forth inside the first page (no page loads), 300 frames
    await browser.go('about:blank');
    await browser.go(`${info.url}/#/projects/${info.tableProject}/runs`);
    await browser.waitUntil(`return document.querySelectorAll('.runs-table [data-index]').length > 10`, { timeout: 60000 });
    await sleep(1000);
    const cpu0 = cpuOfTree(browser.driver.pid);
    const r = await browser.execAsync(`const done = arguments[arguments.length - 1];
      const s = document.querySelector('.runs-table'); const deltas = []; let last = performance.now(); let n = 0;
      (function f(now) { deltas.push(now - last); last = now;
        if (++n > 300) return done({ deltas, rows: s.querySelectorAll('[data-index]').length });
        s.scrollTop = n % 2 ? 2000 : 4000; requestAnimationFrame(f); })(last);`);
    const cpu = cpuOfTree(browser.driver.pid) - cpu0;
    const d = r.deltas.slice(1);
    console.log(`osc CPU: ${cpu} ms browser CPU for 300 frames: ${(cpu / 300).toFixed(1)} ms per frame; wall p50 ${pct(d, .5).toFixed(1)} p95 ${pct(d, .95).toFixed(1)}; ${r.rows} rows in the DOM`);
  }
  if (what.includes('compare')) {
    // compare 20 runs x 4 charts opened from inside the app (a hash change, so the profiler sees the same page):
    // the client's work from mount to the four first draws, PROFILE=1 by function
    const runs = info.compareRuns.slice(0, Number(process.env.COMPARE_RUNS ?? 20)).join(',');
    for (let i = 0; i < Number(process.env.REPEATS ?? 3); i++) {
      await browser.go('about:blank');
      await browser.go(`${info.url}/#/projects/${info.project}/runs`);
      await browser.waitUntil(`return document.querySelectorAll('.runs-table [data-index]').length > 0`, { timeout: 60000 });
      await sleep(300);
      if (process.env.PROFILE) { await browser.cdp('Profiler.enable'); await browser.cdp('Profiler.setSamplingInterval', { interval: 200 }); await browser.cdp('Profiler.start'); }
      const cpu0 = cpuOfTree(browser.driver.pid);
      await browser.exec(OBS);
      await browser.exec(`performance.clearMarks(); performance.clearMeasures(); performance.clearResourceTimings(); window.__t0 = performance.now(); location.hash = arguments[0];`, `#/projects/${info.project}/compare?runs=${runs}`);
      const r = await browser.waitUntil(`const figs = [...document.querySelectorAll('figure.metric-chart')];
        if (figs.length < 4 || !figs.slice(0, 4).every(f => f.dataset.chartState === 'drawn')) return null;
        const draws = performance.getEntriesByName('ty:chart:first-draw').map(e => e.startTime);
        if (draws.length < 4) return null;
        const q = performance.getEntriesByType('resource').filter(e => e.name.includes('/metrics/query'));
        return { total: Math.max(...draws) - window.__t0, sent: q.map(e => e.startTime - window.__t0), answered: q.map(e => e.responseEnd - window.__t0),
          draws: draws.map(d => d - window.__t0), fetch: performance.getEntriesByName('ty:chart:fetch').map(e => [e.startTime - window.__t0, e.duration]),
          draw: performance.getEntriesByName('ty:chart:draw').map(e => [e.startTime - window.__t0, e.duration]) };`, { timeout: 60000, interval: 20 });
      const cpu = cpuOfTree(browser.driver.pid) - cpu0;
      const f = (xs) => xs.map((x) => Array.isArray(x) ? `${x[0].toFixed(0)}+${x[1].toFixed(0)}` : x.toFixed(0)).join(',');
      console.log(`compare: ${r.total.toFixed(0)} ms to the 4 first draws (browser CPU ${cpu} ms); queries sent ${f(r.sent)} answered ${f(r.answered)}; fetch ${f(r.fetch)}; draw ${f(r.draw)}; first draws ${f(r.draws)}`);
      await sleep(300);
      summarize(await browser.exec('return window.__loaf.map(e => ({ ...e, at: e.at - window.__t0 }))'));
      // REDRAW=1: hover the first legend entry and leave it (every chart redraws highlighted, then as before), so the
      // canvases are a redraw's rather than a first draw's
      if (process.env.REDRAW) {
        await browser.exec(`const li = document.querySelector('.metric-chart__legend li');
          li.dispatchEvent(new MouseEvent('mouseenter'));
          if (!arguments[0]) setTimeout(() => li.dispatchEvent(new MouseEvent('mouseleave')), 500);`, process.env.REDRAW === 'hold');
        await sleep(2500);
      }
      // CANVAS_OUT=<prefix>: the four charts' canvases as PNG files and their SHA-256, to compare two builds' drawing
      if (process.env.CANVAS_OUT) {
        const urls = await browser.exec(`return [...document.querySelectorAll('figure.metric-chart')].slice(0, 4)
          .map(f => [f.dataset.chartKey, f.querySelector('canvas').toDataURL('image/png')])`);
        for (const [key, url] of urls) {
          const png = Buffer.from(url.split(',')[1], 'base64');
          const file = `${process.env.CANVAS_OUT}-${i}-${key.replace(/\W/g, '_')}.png`;
          writeFileSync(file, png);
          console.log(`  canvas ${key}: ${createHash('sha256').update(png).digest('hex').slice(0, 16)} ${file}`);
        }
      }
      if (process.env.PROFILE) printProfile((await browser.cdp('Profiler.stop')).profile);
    }
  }
  if (what.includes('live')) {
    await browser.go('about:blank');
    await browser.go(`${info.url}/#/projects/${info.project}/compare?runs=${info.liveRuns.join(',')}`);
    let step = Number(process.env.STEP0 ?? 0) || Math.floor(Date.now() / 1000) % 100000 * 100;
    const writeAll = async () => { const from = step; step += 10;
      await Promise.all(info.liveRuns.map((r) => api(`/api/v1/projects/${info.project}/runs/${r}/metrics`, { method: 'POST',
        body: JSON.stringify({ points: Array.from({ length: 10 }, (_, i) => ({ key: 'train/loss', step: from + i, value: Math.exp(-(from + i) / 500) + Math.random() * 0.05 })) }) }))); };
    await writeAll();
    // the stream is measured once the page has loaded (the chart drawn, the runs' details and params shown): the
    // page's own first render of its params, parallel coordinates and scatter is a load, not the stream
    await browser.waitUntil(`return document.querySelector('figure.metric-chart')?.dataset.chartState === 'drawn'
      && !document.querySelector('.state-loading')`, { timeout: 60000 });
    await sleep(500);
    await browser.exec(OBS + `window.__frames = []; window.__fm = []; let last = performance.now();
      (function f(now) { window.__frames.push(now - last); window.__fm.push(window.__mut); window.__mut = 0; last = now; if (!window.__stopFrames) requestAnimationFrame(f); })(last);`);
    const cpu0 = cpuOfTree(browser.driver.pid);
    if (process.env.PROFILE) { await browser.cdp('Profiler.enable'); await browser.cdp('Profiler.setSamplingInterval', { interval: 500 }); await browser.cdp('Profiler.start'); }
    const seconds = Number(process.env.LIVE_SECONDS ?? 15); const end = Date.now() + seconds * 1000;
    while (Date.now() < end) { const t = Date.now(); await writeAll(); await sleep(Math.max(0, 100 - (Date.now() - t))); }
    const live = await browser.exec(`window.__stopFrames = true; return { frames: window.__frames.slice(1), muts: window.__fm,
      draws: document.querySelector('figure.metric-chart').dataset.chartDraws, points: document.querySelector('figure.metric-chart').dataset.chartPoints,
      live: performance.getEntriesByName('ty:chart:live').map(e => e.duration), drawm: performance.getEntriesByName('ty:chart:draw').map(e => e.duration) }`);
    console.log(`live CPU: ${cpuOfTree(browser.driver.pid) - cpu0} ms browser CPU in ${seconds} s`);
    const requests = await browser.exec(`const n = {}; for (const e of performance.getEntriesByType('resource'))
      if (e.name.includes('/api/v1/')) { const k = e.name.replace(/^.*\\/api\\/v1/, '').split('?')[0].replace(/\\d+/g, 'N'); n[k] = (n[k] ?? 0) + 1; }
      return n;`);
    console.log(`  API requests since the page opened: ${JSON.stringify(requests)}`);
    console.log(`live: ${live.draws} draws, ${live.frames.length} frames, p95 ${pct(live.frames, .95).toFixed(1)} max ${Math.max(...live.frames).toFixed(0)}; mutations total ${live.muts.reduce((a, b) => a + b, 0)}; draw ms ${live.drawm.map(x => x.toFixed(0)).join(',')}`);
    console.log(`  frames > 34ms: ${live.frames.map(x => x.toFixed(0)).filter(x => x > 34).join(',')}`);
    summarize(await browser.exec('return window.__loaf'));
    if (process.env.PROFILE) printProfile((await browser.cdp('Profiler.stop')).profile);
  }
} finally { await browser.quit(); }
