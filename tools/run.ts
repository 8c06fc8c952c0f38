// `npm start`: the main job. Checks k6, starts the reference target and
// seeds it (unless BASE_URL names a target), runs one k6 bundle with the
// results folder prepared, then plots, scrapes /metrics and stops the target.
// Exits with k6's exit code (2 when k6 is missing or the setup fails).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { publicTarget, seed } from './seed.ts';
import type { SeedOptions } from './seed.ts';
import { startTarget } from './party-service/server.ts';
import type { RunningTarget } from './party-service/server.ts';
import type { TargetOptions } from './party-service/presets.ts';
import { ConfigError, ENV_NAMES, parseConfig } from '../lib/config.ts';
import { countersMarkdown, delta, routeCounters } from './counters.ts';
import { addReportSection } from './report-section.ts';
import { recordHost, sampleHost, type HostSampler } from './host.ts';
import { liveProgress, ticker } from './progress.ts';
import { verdictLine } from '../lib/summary/verdict.ts';
import type { SummaryModel } from '../lib/summary/model.ts';

/**
 * The exit code of a run whose gates failed while its numbers were not the
 * target's (the load generator fell behind, or the machine was saturated):
 * CI can tell "fix the load generator" from "the target got worse" (99).
 */
export const UNTRUSTED_EXIT = 3;

/** k6's exit code, or UNTRUSTED_EXIT when a gate failed (99) and the verdict says the figures are not the target's. */
export function exitCodeFor(k6Code: number, model: Pick<SummaryModel, 'verdict'> | null): number {
  const v = model && model.verdict ? model.verdict.status : null;
  return k6Code === 99 && (v === 'generator-behind' || v === 'saturated') ? UNTRUSTED_EXIT : k6Code;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

/** Suite variables handed to k6 as `-e NAME=value` when set: every variable the config reads. */
export const PASSTHROUGH_ENV = ENV_NAMES;

const USAGE = `Usage: npm start -- [flags]

  --scenario NAME     bundle dist/<NAME>.js: report | smoke | single-route | writes | mixed | capacity (default report)
  --profile NAME      PROFILE for k6 (default: env PROFILE, else quick for the report scenario)
  --preset NAME       reference target preset when BASE_URL is unset: baseline | report-baseline | pool-100 | cached | degrading (default baseline)
  --label TEXT        results folder summaries/<label>-<YYYYMMDD-HHMMSS>/ (default: env LABEL, else <scenario>-<preset>)
  --count N           businesses to seed (default 10000)
  --seed              with BASE_URL: seed that target first (data/businesses.csv)
  --script FILE       run this bundle instead of dist/<scenario>.js
  --results-dir DIR   parent of the results folder (default summaries)
  --k6-out SPEC       another k6 output beside the raw CSV, e.g. experimental-prometheus-rw (repeatable; docs/grafana.md)
  -h, --help
Env: BASE_URL (run against that target instead of starting one), K6_BIN (default k6), and the suite's variables.`;

export function k6MissingMessage(bin: string, detail: string, command = 'npm start'): string {
  return [
    `k6 is not installed or cannot run ('${bin} version' failed: ${detail}).`,
    `${command} drives the k6 load-testing tool; install it, then run ${command} again:`,
    `  Debian/Ubuntu  the apt repository at https://dl.k6.io/deb (see the guide below), then: sudo apt-get install k6`,
    `  macOS          brew install k6`,
    `  Windows        winget install k6 --source winget   or   choco install k6`,
    `  Docker         docker run --rm -i --network host -v "$PWD:/w" -w /w grafana/k6 run dist/report.js   (the bundle imports dist/report.cjs and opens data/)`,
    `  Binary         download a release from https://github.com/grafana/k6/releases and put k6 on PATH`,
    `Guide: ${INSTALL_URL}`,
    `Or point K6_BIN at a k6 executable.`,
  ].join('\n');
}

/**
 * The release in `k6 version`'s first line ("v0.49.0", "v2.2.0"), or null.
 * k6 v1 and later start the line with the executable's own name
 * ("k6-v2 v2.2.0 (...)" when K6_BIN is a renamed binary), so look for the tag.
 */
export function k6Release(versionLine: string): string | null {
  return /(?:^|\s)(v\d+\.\d+\.\d+\S*)/.exec(versionLine)?.[1] ?? null;
}

/** `k6 version` output, or undefined with the reason. */
export function k6Version(bin: string): { version?: string; error?: string } {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { error: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'command not found' : r.error.message };
  if (r.status !== 0) return { error: `exit code ${r.status}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}` };
  return { version: r.stdout.trim().split('\n')[0] ?? '' };
}

export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  // UTC, as the summary's own file names.
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** `<parent>/<label>-<YYYYMMDD-HHMMSS>` (UTC), created; `-2`, `-3`... when taken. */
export async function makeRunFolder(parent: string, label: string): Promise<string> {
  const base = path.join(parent, `${label.replace(/[^A-Za-z0-9._-]+/g, '_')}-${timestamp()}`);
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    if (!existsSync(dir)) {
      await mkdir(dir, { recursive: true });
      return dir;
    }
  }
}

/** Sums each metric's samples in Prometheus text. */
export function metricTotals(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$/.exec(line);
    if (m?.[1] && m[3]) totals.set(m[1], (totals.get(m[1]) ?? 0) + Number(m[3]));
  }
  return totals;
}

interface PlotModule {
  plot?: (inputs: string[], options?: Record<string, unknown>) => Promise<unknown>;
  readingMarkdown?: (reading: unknown, plotFile?: string) => string;
  readingHtml?: (reading: unknown, plotFile?: string) => string;
}

/**
 * Plots the raw output, then adds the graph in words to the run's report.md
 * and report.html (against the gates in summary.json beside it). One line per
 * step for the terminal; a plot that fails adds nothing and stops nothing.
 */
export async function tryPlot(raw: string): Promise<string[]> {
  if (!existsSync(raw)) return [`no raw output at ${raw}: nothing to plot`];
  let mod: PlotModule;
  try {
    mod = (await import(pathToFileURL(path.join(REPO, 'tools', 'plot', 'cli.ts')).href)) as PlotModule;
  } catch (err) {
    return [`plot skipped: tools/plot/cli.ts could not be loaded (${(err as Error).message.split('\n')[0]})`];
  }
  if (typeof mod.plot !== 'function') return ['plot skipped: tools/plot/cli.ts exports no plot()'];
  let r: unknown;
  try {
    r = await mod.plot([raw]);
  } catch (err) {
    return [`plot failed: ${(err as Error).message}`];
  }
  const p = typeof r === 'string' ? r : (r as { htmlPath?: string } | undefined)?.htmlPath;
  const out = [`plot: ${p ?? '(written)'}`];
  const reading = (r as { reading?: { line?: unknown } } | undefined)?.reading;
  if (reading && typeof reading.line === 'string' && mod.readingMarkdown && mod.readingHtml) {
    out.push(reading.line);
    const plotFile = p ? path.basename(p) : undefined;
    try {
      out.push(await addReportSection(path.dirname(raw), mod.readingMarkdown(reading, plotFile), mod.readingHtml(reading, plotFile), 'the graph in words'));
    } catch (err) {
      out.push(`the graph in words not added: ${(err as Error).message}`);
    }
  }
  return out;
}

async function saveMetrics(text: string, file: string): Promise<string> {
  if (text === '') return 'target /metrics not available (not the reference target?): not saved';
  await writeFile(file, text);
  const t = metricTotals(text);
  const g = (n: string) => t.get(n) ?? 0;
  return (
    `target: function hit ${g('party_target_route_hits_total')}, query started ${g('party_target_queries_started_total')}, ` +
    `query completed ${g('party_target_queries_completed_total')}, pool waits ${g('party_target_pool_waits_total')}, ` +
    `pool timeouts ${g('party_target_pool_timeouts_total')}, cache hits ${g('party_target_cache_hits_total')} (${file})`
  );
}

export async function metricsText(baseUrl: string): Promise<string> {
  try {
    const res = await fetch(publicTarget(baseUrl) + '/metrics', { signal: AbortSignal.timeout(5000) });
    return res.status === 200 ? await res.text() : '';
  } catch {
    return '';
  }
}

/** The report's hit / started / completed table, appended to report.md. */
async function appendCounters(folder: string, before: string, after: string): Promise<string> {
  const summaryFile = path.join(folder, 'summary.json');
  const report = path.join(folder, 'report.md');
  if (!existsSync(summaryFile) || !existsSync(report)) return 'target counters: no summary.json/report.md to add them to';
  try {
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as Parameters<typeof countersMarkdown>[0];
    if (!Array.isArray(summary.scenarios)) return 'target counters: summary.json has no scenarios';
    const md = countersMarkdown(summary, delta(routeCounters(after), routeCounters(before)));
    if (md === null) return 'target counters: the target counted none of this run\'s routes';
    await appendFile(report, `\n${md}`);
    return `target counters added to ${report}`;
  } catch (err) {
    return `target counters not added: ${(err as Error).message}`;
  }
}

/**
 * The reference target on a free loopback port, seeded with `count`
 * businesses into `csvPath`: a fresh in-memory target holds nothing.
 */
export async function startSeededTarget(
  preset: string, count: number, csvPath: string, env: NodeJS.ProcessEnv, overrides: Partial<TargetOptions> = {},
  progress?: SeedOptions['progress'],
): Promise<{ target: RunningTarget; csvPath: string; count: number; elapsedMs: number }> {
  const target = await startTarget({
    ...overrides,
    port: 0,
    preset,
    quiet: true,
    ...(env.PARTY_USER ? { user: env.PARTY_USER } : {}),
    ...(env.PARTY_PASSWORD ? { password: env.PARTY_PASSWORD } : {}),
  });
  try {
    const r = await seed({ baseUrl: target.url, count, out: csvPath, user: target.options.user, password: target.options.password, ...(progress ? { progress } : {}) });
    return { target, csvPath: r.csvPath, count: r.count, elapsedMs: r.elapsedMs };
  } catch (err) {
    await target.close();
    throw err;
  }
}

function mask(arg: string): string {
  return arg.replace(/^(PARTY_PASSWORD=).*/, '$1***').replace(/\/\/[^/@]*@/, '//***@');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string', default: 'report' },
        profile: { type: 'string' },
        preset: { type: 'string', default: 'baseline' },
        label: { type: 'string' },
        count: { type: 'string', default: '10000' },
        seed: { type: 'boolean', default: false },
        script: { type: 'string' },
        'results-dir': { type: 'string' },
        'k6-out': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`npm start: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  // 1. k6 first: nothing starts without it.
  const bin = env.K6_BIN || 'k6';
  const v = k6Version(bin);
  if (v.error !== undefined) {
    console.error(k6MissingMessage(bin, v.error));
    return 2;
  }
  console.log(`[run] ${v.version}`);

  const scenario = values.scenario;
  // A typo is named as one, before a build that could not help.
  const known = readdirSync(path.join(REPO, 'scenarios')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  if (!values.script && !known.includes(scenario)) {
    console.error(`[run] --scenario ${scenario}: no such scenario; use one of ${known.join(', ')} (or --script FILE for a bundle of your own)`);
    return 2;
  }
  const script = path.resolve(values.script ?? path.join(REPO, 'dist', `${scenario}.js`));
  if (!existsSync(script) && !values.script && existsSync(path.join(REPO, 'build.mjs'))) {
    console.log('[run] building the k6 bundles (node build.mjs)');
    spawnSync(process.execPath, [path.join(REPO, 'build.mjs')], { stdio: 'inherit', cwd: REPO });
  }
  if (!existsSync(script)) {
    console.error(`[run] no bundle at ${script}: run npm run build (scenarios: ${path.join(REPO, 'scenarios')})`);
    return 2;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) {
    console.error(`[run] --count expects a positive integer, got '${values.count}'`);
    return 2;
  }

  const external = env.BASE_URL ? env.BASE_URL : undefined;
  const label = values.label ?? (env.LABEL || (external ? scenario : `${scenario}-${values.preset}`));
  const profile = values.profile ?? (env.PROFILE || (scenario === 'report' ? 'quick' : undefined));
  const resultsDir = path.resolve(values['results-dir'] ?? path.join(REPO, 'summaries'));

  // 2. The same config check k6 makes in its init context, before the target
  // starts or anything is seeded: a typo costs seconds, not a seeding.
  let planMs: number | null = null;
  const vars = new Map<string, string>();
  for (const name of PASSTHROUGH_ENV) if (env[name]) vars.set(name, env[name] as string);
  if (profile) vars.set('PROFILE', profile);
  vars.set('LABEL', label);
  try {
    const probe = Object.fromEntries(vars);
    if (!external) probe.BASE_URL = 'http://127.0.0.1:8081'; // the reference target's port is picked later
    if (!probe.DATA_FILE) probe.DATA_FILE = 'businesses.csv';
    planMs = parseConfig(probe, scenario).plan.totalMs;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }

  let target: RunningTarget | undefined;
  let k6Child: ReturnType<typeof spawn> | undefined;
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (k6Child) {
      // k6 got the terminal's SIGINT too and stops gracefully (summary written); wait for it.
      if (sig !== 'SIGINT') k6Child.kill(sig);
      return;
    }
    interrupted = true;
    console.error(`[run] ${sig}: stopping`);
    void (target?.close() ?? Promise.resolve()).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const folder = await makeRunFolder(resultsDir, label);
    console.log(`[run] results folder ${folder}`);

    let baseUrl: string;
    let dataFile: string | undefined = env.DATA_FILE || undefined;
    if (external) {
      baseUrl = external;
      if (values.seed) {
        const r = await seed({ baseUrl, count, user: env.PARTY_USER || undefined, password: env.PARTY_PASSWORD || undefined });
        dataFile = r.csvPath;
        console.log(`[run] seeded ${r.count} businesses in ${(r.elapsedMs / 1000).toFixed(1)} s -> ${r.csvPath}`);
      }
    } else {
      const r = await startSeededTarget(values.preset, count, path.join(folder, 'businesses.csv'), env);
      target = r.target;
      baseUrl = target.url;
      console.log(`[run] reference target (preset ${values.preset}) on ${baseUrl}`);
      dataFile = r.csvPath;
      console.log(`[run] seeded ${r.count} businesses in ${(r.elapsedMs / 1000).toFixed(1)} s -> ${r.csvPath}`);
    }
    if (interrupted) return 130;

    vars.set('BASE_URL', baseUrl);
    vars.set('K6_VERSION', k6Release(v.version ?? '') ?? '');
    if (dataFile) vars.set('DATA_FILE', dataFile);
    vars.set('SUMMARY_DIR', folder);
    const raw = path.join(folder, 'raw.csv.gz');
    // Where nobody watches (stdout is no terminal: CI, a log file), k6's
    // progress would print a line a second: --quiet, a line of ours every
    // 30 s, and k6's tables held back to the end of the log.
    const live = liveProgress();
    // testid: the run picker of the Grafana dashboard (docs/grafana.md), the results folder's name.
    const outs = (values['k6-out'] ?? []).flatMap((o) => ['--out', o]);
    const args = ['run', ...(live ? [] : ['--quiet']), '--tag', `testid=${path.basename(folder)}`, '--out', `csv=${raw}`, ...outs, ...[...vars].flatMap(([k, val]) => ['-e', `${k}=${val}`]), script];
    console.log(`[run] K6_CSV_TIME_FORMAT=unix_milli ${bin} ${args.map(mask).join(' ')}`);

    // The target's counters before the load, so the run's own can be told apart from seeding.
    const countersBefore = target ? await metricsText(baseUrl) : null;
    let sampler: HostSampler | null = null;
    const tables: Buffer[] = [];
    const tick = live ? null : ticker('[run]', 'k6 running', planMs);
    const k6Code = await new Promise<number>((resolve) => {
      k6Child = spawn(bin, args, { stdio: ['inherit', live ? 'inherit' : 'pipe', 'inherit'], env: { ...env, K6_CSV_TIME_FORMAT: 'unix_milli' } });
      k6Child.stdout?.on('data', (b: Buffer) => tables.push(b));
      if (k6Child.pid !== undefined) sampler = sampleHost(k6Child.pid);
      k6Child.on('error', (err) => {
        console.error(`[run] k6 failed to start: ${err.message}`);
        resolve(2);
      });
      k6Child.on('exit', (c, sig) => resolve(c ?? (sig === 'SIGINT' ? 130 : 1)));
    });
    k6Child = undefined;
    if (tick) clearInterval(tick);
    console.log(`[run] k6 exited with code ${k6Code}`);
    // The machine's samples join the summary before anything appends to report.md.
    const host = recordHost(folder, (sampler as HostSampler | null)?.stop() ?? null);
    console.log(`[run] ${host.note}`);
    if (host.model?.verdict) console.log(`[run] verdict: ${verdictLine(host.model.verdict)}`);
    const code = exitCodeFor(k6Code, host.model);
    if (code !== k6Code) console.log(`[run] exit ${code}: a gate failed, but the load generator, not the target, decided this run (see the verdict)`);

    for (const line of await tryPlot(raw)) console.log(`[run] ${line}`);
    const countersAfter = await metricsText(baseUrl);
    console.log(`[run] ${await saveMetrics(countersAfter, path.join(folder, 'target-metrics.txt'))}`);
    if (countersBefore !== null) console.log(`[run] ${await appendCounters(folder, countersBefore, countersAfter)}`);
    if (target) {
      await target.close();
      target = undefined;
      console.log('[run] reference target stopped');
    }
    const report = path.join(folder, 'report.md');
    if (!external) console.log('[run] one preset, one run; the report\'s whole story (report-baseline, pool-100, cached, beside the report\'s own figures): npm run replay');
    // Held back where nobody watched: k6's tables, then where the report is, last in the log.
    if (tables.length) process.stdout.write(Buffer.concat(tables));
    if (!live && host.model?.verdict) console.log(`[run] verdict: ${verdictLine(host.model.verdict)}`);
    console.log(existsSync(report) ? `[run] report: ${report} (and report.html, summary.json beside it)` : `[run] results in ${folder} (no report.md: see k6's output above)`);
    return code;
  } catch (err) {
    console.error(`[run] failed: ${(err as Error).message}`);
    return 2;
  } finally {
    await target?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

