// The compare page's zoom queries without a browser, for the server's share: ZOOMS rounds, each the four charts'
// queries at once (20 runs, one key each, BUCKETS buckets a run over a random 5%-35% of the steps, as measure.mjs
// drags), and what they cost: the answers' bytes, the Server-Timing header, and the CPU time the platform's JVM and
// the database's backends for this database spent (from /proc), which a loaded machine does not inflate as it does
// wall time.
//   node bench/dashboard/zoomprobe.mjs target/dashboard-bench.json [FORMAT] [JVM_PID]
// against a platform bench/dashboard/run (or DashboardBench) serves; JVM_PID: its java process (pgrep -f DashboardBench).
// FORMAT: the format parameter (columns); BUCKETS (600), ZOOMS (20), SEED (1), KEYS=1 for one chart's query a round,
// PGDB: the database the platform reads (dash7).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const info = JSON.parse(readFileSync(process.argv[2] ?? 'target/dashboard-bench.json', 'utf8'));
const format = process.argv[3] ?? 'columns';
const jvm = process.argv[4] ? Number(process.argv[4]) : null;
const BUCKETS = Number(process.env.BUCKETS ?? 600);
const ZOOMS = Number(process.env.ZOOMS ?? 20);
const KEYS = Number(process.env.KEYS ?? info.keys.length);
let seed = Number(process.env.SEED ?? 1);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const TICKS = 100; // clock ticks a second (getconf CLK_TCK)
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 1000 / TICKS;
  } catch {
    return 0;
  }
}
function backends() {
  const out = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc',
    `SELECT pid FROM pg_stat_activity WHERE datname = '${process.env.PGDB ?? 'dash7'}'`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}
const pgCpu = (pids) => pids.reduce((s, p) => s + cpuMs(p), 0);

const runs = info.compareRuns.slice(0, 20).join(',');
const query = async (key, from, to) => {
  const t0 = performance.now();
  const r = await fetch(`${info.url}/api/v1/projects/${info.project}/metrics/query?runs=${runs}&keys=${encodeURIComponent(key)}`
    + `&buckets=${BUCKETS}&fromStep=${from}&toStep=${to}&format=${format}`, { headers: { Authorization: `Bearer ${info.token}` } });
  const body = await r.arrayBuffer();
  if (!r.ok) throw new Error(`${r.status} ${new TextDecoder().decode(body)}`);
  const timing = Object.fromEntries((r.headers.get('server-timing') ?? '').split(',').filter(Boolean)
    .map((t) => t.trim().split(';dur=')).map(([k, v]) => [k, Number(v)]));
  return { ms: performance.now() - t0, bytes: body.byteLength, ...timing };
};

// one warm-up round (JIT, connections), not counted
const extent = info.points ?? 1_000_000;
await Promise.all(info.keys.slice(0, KEYS).map((k) => query(k, 1000, 200_000)));
const pids = backends();
const jvm0 = jvm ? cpuMs(jvm) : 0;
const pg0 = pgCpu(pids);
const results = [];
for (let i = 0; i < ZOOMS; i++) {
  const center = 0.5 + (random() - 0.5) * 0.6;
  const len = 0.05 + random() * 0.3;
  const from = Math.max(0, Math.floor((center - len / 2) * extent));
  const to = Math.ceil((center + len / 2) * extent);
  results.push(...await Promise.all(info.keys.slice(0, KEYS).map((k) => query(k, from, to))));
}
const jvmMs = jvm ? cpuMs(jvm) - jvm0 : NaN;
const pgMs = pgCpu(pids) - pg0;
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const f = (x) => x.toFixed(0);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`${format}, ${BUCKETS} buckets, ${ZOOMS} rounds x ${KEYS} queries (load ${load}): `
  + `bytes p50 ${f(pct(results.map((r) => r.bytes), 0.5) / 1024)} KB; `
  + `wall p50 ${f(pct(results.map((r) => r.ms), 0.5))} p95 ${f(pct(results.map((r) => r.ms), 0.95))} ms; `
  + `server db p50 ${f(pct(results.map((r) => r.db), 0.5))}, query p50 ${f(pct(results.map((r) => r.query), 0.5))} ms; `
  + `CPU per query: JVM ${f(jvmMs / results.length)} ms, PostgreSQL ${f(pgMs / results.length)} ms (${pids.length} backends)`);
