// The suite under a real k6, side by side with a bare script: the same
// scenarios (read from `k6 inspect` of the bundle) and the same -e values
// (k6 builds __ENV in every VU from them), one http.get per iteration and
// nothing else. Runs A B A B against a loopback target in its
// own process (bench/fixed-target.ts) and prints user+sys CPU and peak RSS of
// the k6 process (/usr/bin/time), the CPU a request costs while the load runs
// (start-up and the end left out), their ratios, and the suite's own
// accounting (summary.json) against the plan and the target's tally.
// K6_BENCH_FLOOR=1 adds two more scripts. The floor, as issue 11 defines it:
// the bare one plus one tagged Counter add and one check per request (the
// suite now does less on a success: one check). The fixed part: the suite's
// own bundle with its VU half swapped for the bare request, so its __VU 0 half (options, thresholds, SharedArrays,
// setup, handleSummary) and module shape stay and nothing per VU or per
// request does: what the suite costs before a VU does any of its own work.
// The `iteration` case times the JS of one iteration inside k6, without
// HTTP: the bundle's VU half with k6/http swapped for a function that
// answers at once, beside the floor's Counter add and check (steady to a few
// percent, where whole runs vary by 20 %).
// Without k6 on PATH (or K6_BIN) it prints "skipped: no k6".
//
//   npm run bench -- k6                     every case, 2 pairs each
//   K6_BENCH_CASES=1001,3000 K6_BENCH_PAIRS=3 npm run bench -- k6
//   K6_BENCH_SCRIPT=<file.js> ...           measure an edited bundle instead of dist/
//   K6_BENCH_ARGS='--system-tags ...' ...   extra k6 run arguments for the suite only
//   K6_BENCH_FLOOR=1 ...                    also measure the floor script
//   K6_BENCH_CASES=iteration ...             only the per-iteration JS
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { CHECK_NAME, STATUS_CHECK_PREFIX } from '../lib/plan.ts';
import { VU_HALF_LINE } from '../build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const k6 = process.env.K6_BIN ?? 'k6';
if (spawnSync(k6, ['version']).status !== 0 || !existsSync('/usr/bin/time')) {
  console.log('skipped: no k6 (or no /usr/bin/time)');
  process.exit(0);
}

interface Case { key: string; bundle: string; env: Record<string, string>; rows?: number }
const CASES: Case[] = [
  { key: '101', bundle: 'report', env: { ROUTES: 'id', COUNTS: '10000', OFFSETS: '1', TIMEOUT: '100ms' } },
  { key: '1001', bundle: 'report', env: { ROUTES: 'id', COUNTS: '10000', OFFSETS: '1', TIMEOUT: '1s' } },
  { key: '3000', bundle: 'report', env: { PROFILE: 'stress', OFFSETS: '1' } },
  // Mostly VU start-up: 1001 VUs, one request each.
  { key: 'init-101', bundle: 'report', env: { ROUTES: 'id', COUNTS: '1001', OFFSETS: '1', TIMEOUT: '100ms' } },
  { key: 'init-1001', bundle: 'report', env: { ROUTES: 'id', COUNTS: '1001', OFFSETS: '1', TIMEOUT: '1s' } },
  { key: '10k-rows', bundle: 'smoke', env: { VALIDATE: 'false' }, rows: 10_000 },
  { key: '1M-rows', bundle: 'smoke', env: { VALIDATE: 'false' }, rows: 1_000_000 },
];
const wanted = (process.env.K6_BENCH_CASES ?? '').split(',').filter(Boolean);
const pairs = Number(process.env.K6_BENCH_PAIRS ?? 2);
const extraArgs = (process.env.K6_BENCH_ARGS ?? '').split(' ').filter(Boolean);
const work = mkdtempSync(join(tmpdir(), 'party-perf-k6-bench-'));

/** A CSV of `rows` businesses, written in pieces (never one string in memory). */
async function dataFile(rows: number): Promise<string> {
  const file = join(work, `businesses-${rows}.csv`);
  const out = createWriteStream(file);
  out.write('id,sampleUnitRef\n');
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  for (let i = 0; i < rows; i++) {
    const line = `${hex(i, 8)}-0000-4000-8000-${hex(i * 7919, 12).slice(-12)},${String(49900000000 + i)}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return file;
}

async function startTarget(env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/fixed-target.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, base: `http://127.0.0.1:${line.trim()}` };
}

async function count(base: string): Promise<number> {
  return Number(await (await fetch(`${base}/__count`)).text());
}

async function tally(base: string): Promise<{ statuses: Record<string, number>; firstMs: number }> {
  return (await fetch(`${base}/__tally`)).json() as Promise<{ statuses: Record<string, number>; firstMs: number }>;
}

/** The bare request (any id: the loopback target answers every GET 200). */
const bareUrl = (base: string): string => `${base}/party-api/v1/businesses/id/81a7d9b4-0b44-48e9-a2d5-422d7256cef6`;

/**
 * The suite's fixed part: a copy of the bundle (ES module and body) whose VU
 * half only sends the bare request from each exec function; __VU 0's half
 * is the bundle's own, byte for byte.
 */
function fixedScript(script: string, base: string): string {
  const shim = readFileSync(script, 'utf8');
  const m = /^import body from "\.\/(.+\.cjs)";$/m.exec(shim);
  if (!m) throw new Error(`${script} imports no ./<name>.cjs body`);
  const body = readFileSync(join(script, '..', m[1]!), 'utf8');
  const at = body.indexOf(`\n${VU_HALF_LINE}`);
  if (at < 0) throw new Error(`${m[1]} has no VU half`);
  const exported = [...shim.matchAll(/^export const (\w+) = b\.\w+;$/gm)].map((e) => e[1]!).filter((n) => n !== 'options');
  const lifecycle = ['setup', 'teardown', 'handleSummary'];
  writeFileSync(join(work, 'fixed.cjs'), [
    body.slice(0, at),
    `${VU_HALF_LINE} "use strict"; var http = k6["k6/http"];`,
    `function send() { http.get(${JSON.stringify(bareUrl(base))}); }`,
    'function none() { throw new Error("fixed part: __VU 0 runs this"); }',
    `return { options: {}, ${exported.map((n) => `${n}: ${lifecycle.includes(n) ? 'none' : 'send'}`).join(', ')} };`,
    '})(k6);', '};', '',
  ].join('\n'));
  const out = join(work, 'fixed.js');
  writeFileSync(out, shim.replace(m[0], 'import body from "./fixed.cjs";'));
  return out;
}

/** The bundle's options as k6 resolves them, and a bare script with the same scenarios (`floor`: plus the floor's work). */
function bareScript(script: string, envArgs: string[], base: string, floor = false): { source: string; planned: number } {
  const r = spawnSync(k6, ['inspect', ...envArgs, script], { encoding: 'utf8', cwd: work });
  if (r.status !== 0) throw new Error(`k6 inspect failed: ${r.stderr}`);
  const scenarios = JSON.parse(r.stdout).scenarios as Record<string, { exec: string; tags: { count: string } }>;
  const execs = [...new Set(Object.values(scenarios).map((s) => s.exec))];
  const planned = Object.values(scenarios).reduce((n, s) => n + Number(s.tags.count), 0);
  const url = bareUrl(base);
  const source = [
    "import http from 'k6/http';",
    `export const options = ${JSON.stringify({ scenarios, discardResponseBodies: true })};`,
    ...(floor
      ? [
          "import { check } from 'k6';",
          "import { Counter } from 'k6/metrics';",
          "const responses = new Counter('party_responses');",
          "const SUCCESS = Object.freeze({ class: 'success' });",
          "const PASS = { 'status is expected': true };",
          ...execs.map((e) => `export function ${e}() { http.get(${JSON.stringify(url)}); responses.add(1, SUCCESS); check(null, PASS); }`),
        ]
      : execs.map((e) => `export function ${e}() { http.get(${JSON.stringify(url)}); }`)),
  ].join('\n');
  return { source, planned };
}

interface Measured { cpu: number; rssMB: number; liveMB: number; wall: number; sent: number; startS: number; usPerRequest: number }

/** user+sys CPU seconds of a process so far (/proc/<pid>/stat, fields 14 and 15, in 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The k6 process /usr/bin/time started (its one child). */
function childPid(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]) || 0;
  } catch {
    return 0;
  }
}

/**
 * CPU per request while the load runs: k6's CPU and the target's count,
 * sampled every 250 ms, over the samples between 20 % and 90 % of the
 * requests sent. Start-up and the end of the run are outside the window, so
 * this is what a request costs, where the whole run's ratio also weighs what
 * both scripts pay once.
 */
function steadyUs(samples: Array<{ cpu: number; n: number }>, sent: number): number {
  const inside = samples.filter((x) => x.n >= sent * 0.2 && x.n <= sent * 0.9 && Number.isFinite(x.cpu));
  if (inside.length < 2) return NaN;
  const [a, b] = [inside[0]!, inside[inside.length - 1]!];
  return b.n > a.n ? ((b.cpu - a.cpu) / (b.n - a.n)) * 1e6 : NaN;
}

// Go prints one line per collection with GODEBUG=gctrace=1: "... 35->36->18 MB, ...": the
// heap at its start and end, and what stayed live. The largest live figure of a run moves
// by about 1 MB between runs, where peak RSS swings by 20-30 MB (it depends on when Go collects).
const GC_LINE = /(\d+)->(\d+)->(\d+) MB/;

async function measure(script: string, envArgs: string[], base: string): Promise<Measured> {
  const timeFile = join(work, 'time.txt');
  const t0 = Date.now();
  let liveMB = 0;
  const samples: Array<{ cpu: number; n: number }> = [];
  const r = await new Promise<number>((resolve) => {
    const c = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, k6, 'run', '--quiet', '--no-usage-report', ...envArgs, script], {
      cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GODEBUG: 'gctrace=1' },
    });
    let err = '';
    createInterface({ input: c.stderr! }).on('line', (line) => {
      const m = GC_LINE.exec(line);
      if (m) liveMB = Math.max(liveMB, Number(m[3]));
      else err = (err + line + '\n').slice(-4000);
    });
    let pid = 0;
    const poll = setInterval(() => {
      pid ||= childPid(c.pid!);
      if (pid) void count(base).then((n) => samples.push({ cpu: cpuSeconds(pid), n }), () => {});
    }, 250);
    c.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 99) console.error(err);
      resolve(code ?? 1);
    });
  });
  if (r !== 0 && r !== 99) throw new Error(`k6 run ${script} exited ${r}`);
  const [wall, user, sys, rssKB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  const t = await tally(base);
  const sent = Object.values(t.statuses).reduce((a, b) => a + b, 0);
  return { cpu: user + sys, rssMB: rssKB / 1024, liveMB, wall, sent, startS: t.firstMs ? (t.firstMs - t0) / 1000 : NaN, usPerRequest: steadyUs(samples, sent) };
}

/**
 * Per-scenario status checks (issue 12 item 4) against a target answering a
 * known mix of 404/405/500: the checks' fails, by status, must equal the
 * target's own tally, and the passes its 200s.
 */
async function statusChecks(): Promise<void> {
  const mix = await startTarget({ STATUS_MIX: '1' });
  try {
    // A rate and timeout every answer arrives in, even on a busy machine: an
    // answer k6 gave up on is tallied by the target but checked as no response.
    const env = { ROUTES: 'id,ref', ORDER: 'parallel-routes', COUNTS: '1000', OFFSETS: '5', TIMEOUT: '2s', BASE_URL: mix.base, PREFLIGHT: 'false', SEED: '1', SUMMARY_DIR: work, DATA_FILE: join(root, 'data/businesses.csv') };
    const exported = join(work, 'export.json');
    const args = ['run', '--quiet', '--no-usage-report', `--summary-export=${exported}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(root, 'dist/report.js')];
    spawnSync(k6, args, { cwd: work, stdio: 'ignore' });
    const tallied = (await tally(mix.base)).statuses;
    const checks = Object.values((JSON.parse(readFileSync(exported, 'utf8')) as { root_group: { checks: Record<string, { name: string; passes: number; fails: number }> } }).root_group.checks);
    const byStatus: Record<string, number> = {};
    let passes = 0;
    let noAnswer = 0;
    for (const c of checks) {
      passes += c.passes;
      if (c.name === CHECK_NAME) noAnswer += c.fails;
      const m = / \| (\d+)$/.exec(c.name);
      if (m && c.name.startsWith(STATUS_CHECK_PREFIX)) byStatus[m[1]!] = (byStatus[m[1]!] ?? 0) + c.fails;
    }
    const { 200: ok = 0, ...others } = tallied;
    const same = passes === ok && JSON.stringify(Object.entries(byStatus).sort()) === JSON.stringify(Object.entries(others).sort());
    console.log(`\nstatuses: target tallied ${JSON.stringify(tallied)}; checks passed ${passes}, failed by status ${JSON.stringify(byStatus)}, ${noAnswer} other failures: ${same ? 'equal' : 'DIFFERENT'}`);
    if (!same) process.exitCode = 1;
  } finally {
    mix.child.kill('SIGTERM');
  }
}

/**
 * The suite's own accounting (its summary.json, SUMMARY_DIR=work) against the
 * plan and the target's tally: planned = sent + not sent + not run + not
 * scheduled - extra, and every request it counts as sent reached the target.
 */
function accounting(tallied: number, planned: number): void {
  const t = (JSON.parse(readFileSync(join(work, 'summary.json'), 'utf8')) as { totals: { planned: number; sent: number; notSent: number; notRun: number; notScheduled: number; extra: number } }).totals;
  const sum = t.sent + t.notSent + t.notRun + t.notScheduled - t.extra;
  const ok = t.planned === planned && sum === planned && t.sent === tallied;
  console.log(`  accounting: planned ${t.planned} = sent ${t.sent} + not sent ${t.notSent} + not run ${t.notRun} + not scheduled ${t.notScheduled} - extra ${t.extra}; target tallied ${tallied}: ${ok ? 'exact' : 'DIFFERENT'}`);
  if (!ok) process.exitCode = 1;
}

/**
 * The JS of one iteration under k6, without the network: dist/report.js's
 * ES module with k6/http swapped, in VUs 1..N, for a get that answers 200 at
 * once (its body and __VU 0's half keep the real modules), timed in a loop
 * beside the floor's work (a Counter add and a check) and a bare call.
 */
function iteration(): void {
  const shim = readFileSync(join(root, 'dist/report.js'), 'utf8');
  // The shim's names for k6's modules (build.mjs numbers them in import order).
  const name = (spec: string): string => {
    const m = new RegExp(`^import (m\\d+) from "${spec}";$`, 'm').exec(shim);
    if (!m) throw new Error(`dist/report.js does not import ${spec}`);
    return m[1]!;
  };
  const [httpM, k6M, metricsM] = [name('k6/http'), name('k6'), name('k6/metrics')];
  writeFileSync(join(work, 'report.cjs'), readFileSync(join(root, 'dist/report.cjs')));
  const script = join(work, 'iteration.js');
  writeFileSync(script, [
    ...shim.split('\n').filter((l) => l.startsWith('import ')),
    "const RES = { status: 200, error_code: 0 };",
    "const fakeHttp = { get: () => RES };",
    shim.split('\n').find((l) => l.startsWith('const b = body('))!.replace(`"k6/http": ${httpM}`, `"k6/http": __VU === 0 ? ${httpM} : fakeHttp`),
    "export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'run' } } };",
    `const floorResponses = new ${metricsM}.Counter('floor_responses');`,
    "const SUCCESS = Object.freeze({ class: 'success' });",
    `const PASS = { ${JSON.stringify(CHECK_NAME)}: true };`,
    "const params = { headers: { Authorization: 'Basic YWRtaW46c2VjcmV0' }, timeout: '1000ms', tags: { name: 'GET /businesses/id/{id}' } };",
    'const N = 30000;',
    // One k6 iteration runs every call, so its schedule lag grows with the loop:
    // the clock the suite reads is pinned at 0 (every call on time), then left
    // to run (every call late: the Counter and Gauge adds too).
    'const realNow = Date.now;',
    'const time = (f) => { const t = realNow(); for (let i = 0; i < N; i++) f(i); return ((realNow() - t) / N * 1000).toFixed(2); };',
    'export function run() {',
    '  Date.now = () => 0;',
    '  const suite = time(() => b.id());',
    '  Date.now = realNow;',
    '  const late = time(() => b.id());',
    `  const floor = time((i) => { const r = fakeHttp.get('http://127.0.0.1/x/' + i, params); if (r.status === 200) { floorResponses.add(1, SUCCESS); ${k6M}.check(null, PASS); } });`,
    "  const bare = time((i) => fakeHttp.get('http://127.0.0.1/x/' + i, params));",
    '  console.log(`ITERATION ${suite} ${floor} ${bare} ${late}`);',
    '}',
  ].join('\n'));
  const env = ['-e', `DATA_FILE=${join(root, 'data/businesses.csv')}`, '-e', 'VALIDATE=false', '-e', 'PREFLIGHT=false', '-e', `SUMMARY_DIR=${work}`];
  console.log('\niteration: the JS of one iteration in k6, no HTTP (30000 calls, one VU)');
  for (let i = 0; i < pairs; i++) {
    const r = spawnSync(k6, ['run', '--quiet', '--no-usage-report', ...env, script], { encoding: 'utf8', cwd: work });
    const m = /ITERATION ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (!m) throw new Error(`k6 run ${script} printed no timing: ${r.stderr.slice(-2000)}`);
    console.log(`  suite ${m[1]} us (every request late: ${m[4]} us), floor (Counter add and check) ${m[2]} us, bare get ${m[3]} us per iteration`);
  }
}

if (wanted.includes('iteration')) iteration();

const { child, base } = await startTarget();
try {
  if (wanted.length === 0 || wanted.includes('statuses')) await statusChecks();
  for (const c of CASES) {
    if (wanted.length && !wanted.includes(c.key)) continue;
    const env: Record<string, string> = { ...c.env, BASE_URL: base, PREFLIGHT: 'false', SEED: '1', SUMMARY_DIR: work };
    env.DATA_FILE = c.rows ? await dataFile(c.rows) : join(root, 'data/businesses.csv');
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const suite = process.env.K6_BENCH_SCRIPT ?? join(root, 'dist', `${c.bundle}.js`);
    const { source, planned } = bareScript(suite, envArgs, base);
    const bare = join(work, 'bare.js');
    writeFileSync(bare, source);
    const floor = process.env.K6_BENCH_FLOOR ? join(work, 'floor.js') : null;
    if (floor) writeFileSync(floor, bareScript(suite, envArgs, base, true).source);
    const fixed = floor ? fixedScript(suite, base) : null;
    console.log(`\n${c.key}: ${c.bundle}.js ${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')}${c.rows ? ` DATA_FILE=<${c.rows} rows>` : ''} (${planned} planned)`);
    const rows: Array<{ s: Measured; b: Measured; f: Measured | null; x: Measured | null }> = [];
    for (let i = 0; i < pairs; i++) {
      const s = await measure(suite, [...extraArgs, ...envArgs], base);
      accounting(s.sent, planned);
      // The same -e values: k6 builds __ENV in every VU from them, so they cost the bare script as much.
      const b = await measure(bare, envArgs, base);
      const f = floor ? await measure(floor, envArgs, base) : null;
      const x = fixed ? await measure(fixed, envArgs, base) : null;
      rows.push({ s, b, f, x });
      const line = (m: Measured) => `${m.cpu.toFixed(2)} s CPU${Number.isFinite(m.usPerRequest) ? ` (${m.usPerRequest.toFixed(0)} µs a request under load)` : ''}, ${m.rssMB.toFixed(0)} MB (live heap ${m.liveMB} MB), first request at ${m.startS.toFixed(1)} s, ${m.sent} sent`;
      console.log(`  suite ${line(s)}\n  bare  ${line(b)}${f ? `\n  floor ${line(f)}` : ''}${x ? `\n  fixed ${line(x)}` : ''}\n  ratio CPU ${(s.cpu / b.cpu).toFixed(2)}x, peak RSS ${(s.rssMB / b.rssMB).toFixed(2)}x`);
    }
    // One script's ratios to bare over the pairs, as min-max spans.
    const spans = (of: (r: (typeof rows)[number]) => Measured) => {
      const span = (key: 'cpu' | 'rssMB' | 'liveMB' | 'usPerRequest') => {
        const xs = rows.map((r) => of(r)[key] / r.b[key]);
        if (!xs.every(Number.isFinite)) return '-';
        return `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}x`;
      };
      return `CPU ${span('cpu')} (under load, a request: ${span('usPerRequest')}), peak RSS ${span('rssMB')}, live heap ${span('liveMB')}`;
    };
    console.log(`  => ${spans((r) => r.s)} over ${pairs} pair(s)`);
    if (floor) {
      console.log(`     floor / bare: ${spans((r) => r.f!)}`);
      console.log(`     fixed part / bare: ${spans((r) => r.x!)}`);
    }
  }
} finally {
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
