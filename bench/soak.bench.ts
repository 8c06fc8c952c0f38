// Does a long soak make k6 heavier as it goes? Runs dist/report.js with
// PROFILE=soak under a real k6 against the loopback target of
// bench/fixed-target.ts (its own process, so its CPU is never k6's), samples
// k6's RSS and CPU every 5 s from /proc, and prints: RSS at minute 5 and at
// the end of the load, the CPU one request costs around minute 5 and over the
// last two minutes, and how long handleSummary took (timed inside k6 by a
// wrapper around the bundle's own handleSummary). The issue's targets: RSS
// grows < 10 %, CPU per request flat within 10 %, summary < 1 s. Go's live
// heap (GODEBUG=gctrace=1) beside RSS tells growth that is kept from memory
// Go has not handed back. SOAK_BENCH_SHAPE=one-scenario runs the same load
// as one scenario per route (no windows): the floor, what k6 costs for the
// load alone.
// Without k6 on PATH (or K6_BIN) it prints "skipped: no k6".
//
//   npm run bench -- soak                         30 minutes (npm run bench alone skips it)
//   SOAK_BENCH_DURATION=10m SOAK_BENCH_RATE=20 npm run bench -- soak
//   SOAK_BENCH_SHAPE=one-scenario npm run bench -- soak
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseDurationMs } from '../lib/config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const k6 = process.env.K6_BIN ?? 'k6';
if (spawnSync(k6, ['version']).status !== 0) {
  console.log('skipped: no k6');
  process.exit(0);
}
const duration = process.env.SOAK_BENCH_DURATION ?? '30m';
const rate = process.env.SOAK_BENCH_RATE ?? '5';
const durationMs = parseDurationMs(duration);
const oneScenario = process.env.SOAK_BENCH_SHAPE === 'one-scenario';
const work = mkdtempSync(join(tmpdir(), 'party-perf-soak-bench-'));

// The bundle as it is, with its handleSummary timed where it runs (goja, not Node).
writeFileSync(join(work, 'timed.js'), [
  `import * as suite from ${JSON.stringify(join(root, 'dist/report.js'))};`,
  'export const options = suite.options;',
  'export const setup = suite.setup;',
  'export const query = suite.query;',
  'export const id = suite.id;',
  'export const ref = suite.ref;',
  'export function handleSummary(data) {',
  '  const t0 = Date.now();',
  '  const out = suite.handleSummary(data);',
  '  console.log(`soak-bench: handleSummary took ${Date.now() - t0} ms`);',
  '  return out;',
  '}', '',
].join('\n'));

const target = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/fixed-target.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = (await new Promise<string>((r) => createInterface({ input: target.stdout! }).once('line', r))).trim();
const base = `http://127.0.0.1:${port}`;
const count = async (): Promise<number> => Number(await (await fetch(`${base}/__count`)).text());

interface Sample { t: number; rssMB: number; cpuS: number; n: number; liveMB: number }
const samples: Sample[] = [];
// Go prints "... 35->36->18 MB, ..." per collection: the heap at its start and end, and what stayed live.
const GC_LINE = /(\d+)->(\d+)->(\d+) MB/;
let liveMB = NaN;
const TICK = 100; // clock ticks per second (USER_HZ)
function proc(pid: number): { rssMB: number; cpuS: number } | null {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return { rssMB: Number(rss?.[1] ?? NaN) / 1024, cpuS: (Number(f[11]) + Number(f[12])) / TICK };
  } catch {
    return null;
  }
}

console.log(`soak: ${duration} at ${rate} requests/s per route (3 routes, ${oneScenario ? 'one scenario each: the floor' : 'in windows'}) against ${base}, k6 sampled every 5 s`);
const shape = oneScenario
  // The same arrivals as one scenario per route: no windows, the profile's timeout, no validation.
  ? { PROFILE: 'quick', ORDER: 'parallel-routes', COUNTS: String(Math.round((durationMs / 1000) * Number(rate))), OFFSETS: String(Math.round(1000 / Number(rate))), TIMEOUT: '10s', VALIDATE: 'false', GATE_P95: 'off' }
  : { PROFILE: 'soak', SOAK_DURATION: duration, SOAK_RATE: rate };
const env = { ...shape, BASE_URL: base, PREFLIGHT: 'false', SEED: '1', SUMMARY_DIR: work, DATA_FILE: join(root, 'data/businesses.csv') };
const t0 = Date.now();
let summaryMs = NaN;
const code = await new Promise<number>((resolve) => {
  const c = spawn(k6, ['run', '--quiet', '--no-usage-report', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(work, 'timed.js')], {
    cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GODEBUG: 'gctrace=1' },
  });
  let err = '';
  createInterface({ input: c.stderr! }).on('line', (line) => {
    const m = /handleSummary took (\d+) ms/.exec(line);
    const gc = GC_LINE.exec(line);
    if (m) summaryMs = Number(m[1]);
    else if (gc) liveMB = Number(gc[3]);
    else err = (err + line + '\n').slice(-4000);
  });
  const poll = setInterval(() => {
    const p = proc(c.pid!);
    if (p) void count().then((n) => samples.push({ t: (Date.now() - t0) / 1000, ...p, n, liveMB }), () => {});
  }, 5000);
  c.on('exit', (code) => {
    clearInterval(poll);
    if (code !== 0 && code !== 99) console.error(err);
    resolve(code ?? 1);
  });
});
target.kill();

/** The sample nearest to t seconds. */
const at = (t: number): Sample => samples.reduce((a, s) => (Math.abs(s.t - t) < Math.abs(a.t - t) ? s : a));
/** k6's CPU per request between two sample times, µs. */
const perRequest = (from: number, to: number): number => {
  const a = at(from);
  const b = at(to);
  return ((b.cpuS - a.cpuS) / Math.max(1, b.n - a.n)) * 1e6;
};
const loadEnd = durationMs / 1000;
const early = { rss: at(300).rssMB, live: at(300).liveMB, cpu: perRequest(240, 360) };
const late = { rss: at(loadEnd - 10).rssMB, live: at(loadEnd - 10).liveMB, cpu: perRequest(loadEnd - 130, loadEnd - 10) };
const peak = Math.max(...samples.map((s) => s.rssMB));
const summary = readdirSync(work).find((f) => f.endsWith('summary.json'));
const verdict = summary ? (JSON.parse(readFileSync(join(work, summary), 'utf8')) as { verdict?: { status: string }; drift?: unknown; windows?: { drift?: { status: string } } }) : null;
const pct = (a: number, b: number): string => `${(((b - a) / a) * 100).toFixed(1)} %`;
console.log(`k6 exited ${code}; ${samples.length} samples; ${samples[samples.length - 1]?.n ?? 0} requests reached the target`);
console.log(`k6 RSS: ${early.rss.toFixed(1)} MB at minute 5, ${late.rss.toFixed(1)} MB at the end of the load (${pct(early.rss, late.rss)}; target < 10 %), peak ${peak.toFixed(1)} MB`);
console.log(`Go live heap after the last collection: ${early.live} MB at minute 5, ${late.live} MB at the end (${pct(early.live, late.live)})`);
console.log(`k6 CPU per request: ${early.cpu.toFixed(0)} µs around minute 5, ${late.cpu.toFixed(0)} µs over the last 2 minutes (${pct(early.cpu, late.cpu)}; target within 10 %)`);
console.log(`handleSummary: ${Number.isNaN(summaryMs) ? 'not timed (no line from k6)' : `${summaryMs} ms`} (target < 1000 ms)`);
console.log(`verdict: ${verdict?.verdict?.status ?? 'no summary.json'}; drift: ${verdict?.windows?.drift?.status ?? 'n/a'}`);
console.log(`RSS / live heap over time (min: MB): ${samples.filter((_, i) => i % 24 === 0).map((s) => `${(s.t / 60).toFixed(0)}: ${s.rssMB.toFixed(0)}/${s.liveMB}`).join(', ')}`);
writeFileSync(join(work, 'samples.json'), JSON.stringify(samples));
console.log(`samples: ${join(work, 'samples.json')}`);
