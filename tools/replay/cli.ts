// `npm run replay -- [--speed N] [--out DIR]`: the report's story on the
// reference target. Seeds one database as npm start does, starts one target
// per preset (report-baseline, pool-100, cached) on a copy of it with its
// durations divided by the speed, runs the report's matrix with the suite's
// k6 bundle against each, then compares the runs with `compare` and sets them
// beside the report's own published rows.
//
// Side by side or in turn: the report's matrix is 2680 s of requests per
// route, and k6 rejects scenarios under 1 s, which caps the speed at 4.5x
// (100 requests 11 ms apart), so one preset after another takes over half an
// hour. Side by side needs two cores per preset (its k6 and its target):
// on fewer the presets starve each other and their verdicts change from run
// to run, so they run in turn unless --parallel (tools/replay/order.ts).
//
// Each k6 and the machine are sampled while it runs; the samples join the
// preset's summary.json, which judges the run again. A preset whose run was
// not trustworthy is not judged: its shape checks read "not judged".
// Exit 0 every judged check holds; 1 a judged check fails; 3 none fails but
// nothing could be judged (every preset's run untrustworthy); 2 bad input,
// no k6, or the setup failed.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../lib/config.ts';
import type { HostHealth } from '../../lib/summary/model.ts';
import { verdictLine } from '../../lib/summary/verdict.ts';
import { recordHost, sampleHost } from '../host.ts';
import { ticker } from '../progress.ts';
import { compare } from '../compare/diff.ts';
import type { Run } from '../compare/diff.ts';
import { renderHtml } from '../compare/html.ts';
import { loadRun } from '../compare/load.ts';
import { renderMarkdown } from '../compare/markdown.ts';
import { startTarget } from '../party-service/server.ts';
import type { RunningTarget } from '../party-service/server.ts';
import { k6MissingMessage, k6Release, k6Version, makeRunFolder, metricsText, metricTotals, startSeededTarget, tryPlot } from '../run.ts';
import { COUNTERPARTS, failureShares, PUBLISHED, sideBySide } from './published.ts';
import type { FailureShares } from './published.ts';
import { NOTHING_JUDGED_EXIT, renderReplayMarkdown, renderReplayText, replayExitCode, shapeChecks, untrustedPresets } from './render.ts';
import type { PresetVerdict, ReplayResult } from './render.ts';
import { orderLine, replayOrder, type ReplayOrder } from './order.ts';
import { CORES_PER_PRESET } from './order.ts';
import { DEFAULT_SPEED, REPLAY_PRESETS, REPORT_COUNTS, replayEnv, replayPlan, reportOffsetOf, scaledTargetOptions, scaleOffsets } from './speed.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PUBLISHED_DIR = path.join(REPO, 'test', 'fixtures', 'compare');
/**
 * VUs per scenario: the modelled server holds at most 200 connections, so no
 * route ever has more requests in flight than that plus those being refused;
 * the plan's own figure (rate x timeout, up to 500 per route) would only make
 * three k6 processes start 4500 VUs.
 */
const MAX_VUS = 300;

const USAGE = `Usage: npm run replay -- [flags]

  --speed N        time compression (default ${DEFAULT_SPEED}: the report's 50 ms spacing becomes ${scaleOffsets(DEFAULT_SPEED)[0]} ms,
                   the target's hold, pool timeout and cache TTL shrink as much)
  --out DIR        results folder (default summaries/replay-<YYYYMMDD-HHMMSS>)
  --presets LIST   presets to replay (default ${REPLAY_PRESETS.join(',')})
  --count N        businesses in the database (default 10000, as the report's)
  --params N       the first N of them are the requests' parameters (default 20; see docs/replay.md)
  --from DIR       redo only the comparison of a finished replay in DIR (no k6 needed)
  --counts LIST    requests per scenario (default ${REPORT_COUNTS.join(',')}, the report's; fewer for a quick look)
  --parallel       run the presets side by side even when the machine has fewer than
                   ${CORES_PER_PRESET} cores per preset (default: side by side only then, else in turn)
  --in-turn        run the presets one after another even when there are cores enough
  -h, --help
Env: K6_BIN (default k6), SEED (parameter picks; default random, the same for every preset).
Exit: 0 every judged shape check holds (a preset whose run was not trustworthy is
"not judged"); 1 a judged check fails; ${NOTHING_JUDGED_EXIT} nothing could be judged (every
preset's run untrustworthy); 2 bad input, no k6, or the setup failed.`;

interface PresetRun {
  preset: string;
  folder: string;
  target: RunningTarget;
  dataFile: string;
}

/** The first `n` rows of a parameter CSV: the requests' parameter file. */
export function headRows(csv: string, n: number): string {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, n + 1).join('\n') + '\n';
}

/** One k6 run, its CPU and the machine sampled from its start (tools/host.ts) until it exits. */
function runK6(bin: string, args: string[], log: string): Promise<{ code: number; host: HostHealth | null }> {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    // Millisecond timestamps in the raw CSV: the plot and the graph in words need them.
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_CSV_TIME_FORMAT: 'unix_milli' } });
    const sampler = child.pid === undefined ? null : sampleHost(child.pid);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', (err) => {
      out.end(`k6 failed to start: ${err.message}\n`);
      resolve({ code: 2, host: sampler?.stop() ?? null });
    });
    child.on('close', (code, sig) => {
      out.end();
      resolve({ code: code ?? (sig ? 130 : 1), host: sampler?.stop() ?? null });
    });
  });
}

/** Each run's verdict from its summary (judged again with the machine's samples when it ran here). */
export function presetVerdicts(runs: Array<Pick<Run, 'model'>>): PresetVerdict[] {
  return runs.map((r) => ({ preset: r.model.label, status: r.model.verdict?.status ?? null, headline: r.model.verdict?.headline ?? '' }));
}

/** The target's counters over the k6 run (after minus before). */
function targetLine(preset: string, before: string, after: string): string {
  if (after === '') return `${preset}: /metrics not available`;
  const a = metricTotals(after);
  const b = metricTotals(before);
  const g = (n: string) => (a.get(n) ?? 0) - (b.get(n) ?? 0);
  return `${preset}: connections accepted ${g('party_target_connections_accepted_total')}, dropped ${g('party_target_connections_dropped_total')}; ` +
    `pool waits ${g('party_target_pool_waits_total')}, timeouts ${g('party_target_pool_timeouts_total')}; cache hits ${g('party_target_cache_hits_total')}; ` +
    `queries started ${g('party_target_queries_started_total')}, completed ${g('party_target_queries_completed_total')}`;
}

/** What the runs leave for the analysis (replay-run.json), so --from can redo it. */
interface RunMeta {
  speed: number; wallMs: number; presets: string[]; targetLines: string[];
  /** Each preset's graph in words (`<preset>: graph: ...`); absent in a replay-run.json from before it was read. */
  graphLines?: string[];
  /** Absent in a replay-run.json from before it was recorded: side by side. */
  order?: ReplayOrder;
}

/** Compare the finished runs in `out`, set them beside the report, print and write. */
async function analyse(out: string, meta: RunMeta): Promise<number> {
  const { speed, presets, targetLines } = meta;
  const folders = presets.map((p) => path.join(out, p));
  const missing = folders.filter((f) => !existsSync(path.join(f, 'summary.json')));
  if (missing.length) {
    console.error(`[replay] no summary.json in ${missing.join(', ')}: see k6.log there`);
    return 2;
  }
  const replayRuns: Run[] = folders.map((f) => loadRun(path.join(f, 'summary.json')));
  const publishedRuns: Run[] = PUBLISHED.map((l) => loadRun(path.join(PUBLISHED_DIR, `${l}.summary.json`)));
  // compare() needs two runs: a lone preset is set beside itself (deltas 0).
  const replayCmp = compare(replayRuns.length > 1 ? replayRuns : [replayRuns[0]!, replayRuns[0]!]);
  const publishedCmp = compare(publishedRuns);
  const publishedShares = new Map<string, FailureShares>(publishedRuns.map((r) => [r.model.label, failureShares(r.model)]));
  // A lone preset set beside itself is labelled apart by compare ("pool-100 (<start>) #1"): its column keeps the preset's name.
  const named = replayRuns.length > 1 ? replayCmp : { ...replayCmp, runs: replayCmp.runs.map((x) => ({ ...x, label: replayRuns[0]!.model.label })) };
  const sbs = sideBySide(named, publishedCmp, reportOffsetOf(speed));
  const result: ReplayResult = {
    speed,
    wallMs: meta.wallMs,
    sideBySide: replayRuns.length > 1 ? sbs : { presets: sbs.presets.slice(0, 1), headings: sbs.headings.slice(0, 1), rows: sbs.rows.map((r) => ({ ...r, cells: r.cells.slice(0, 1) })) },
    failures: replayRuns.map((r) => {
      const published = COUNTERPARTS[r.model.label]?.published;
      return { preset: r.model.label, replay: failureShares(r.model), report: published ? publishedShares.get(published) ?? null : null };
    }),
    medians: replayRuns.map((r) => ({ preset: r.model.label, ms: r.model.totals.latency?.median ?? null })),
    targetLines,
    graphLines: meta.graphLines ?? [],
    order: meta.order ?? 'side by side',
    verdicts: presetVerdicts(replayRuns),
  };
  const text = renderReplayText(result);
  let md = renderReplayMarkdown(result);
  if (replayRuns.length > 1) {
    md += `\n${renderMarkdown(replayCmp)}`;
    await writeFile(path.join(out, 'compare.html'), renderHtml(replayCmp));
  }
  await writeFile(path.join(out, 'replay.md'), md);
  await writeFile(path.join(out, 'replay.txt'), text + '\n');
  console.log(`\n${text}\n`);
  console.log(`[replay] written: ${path.join(out, 'replay.md')} (with the comparison), compare.html, replay.txt, <preset>/summary.json and report.md`);
  const code = replayExitCode(shapeChecks(result));
  if (code === NOTHING_JUDGED_EXIT) {
    console.log(`[replay] exit ${code}: nothing could be judged: no preset's run was trustworthy (${untrustedPresets(result).map((v) => v.preset).join(', ')}); see each run's verdict above`);
  }
  return code;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        speed: { type: 'string', default: String(DEFAULT_SPEED) },
        out: { type: 'string' },
        presets: { type: 'string', default: REPLAY_PRESETS.join(',') },
        count: { type: 'string', default: '10000' },
        params: { type: 'string', default: '20' },
        counts: { type: 'string', default: REPORT_COUNTS.join(',') },
        from: { type: 'string' },
        parallel: { type: 'boolean', default: false },
        'in-turn': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`replay: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.from !== undefined) {
    const dir = path.resolve(values.from);
    try {
      return await analyse(dir, JSON.parse(await readFile(path.join(dir, 'replay-run.json'), 'utf8')) as RunMeta);
    } catch (err) {
      console.error(`replay: ${(err as Error).message}`);
      return 2;
    }
  }
  const speed = Number(values.speed);
  const count = Number(values.count);
  const params = Number(values.params);
  const counts = values.counts.split(',').map(Number);
  const presets = values.presets.split(',').map((s) => s.trim()).filter(Boolean);
  const problems: string[] = [];
  if (!(Number.isFinite(speed) && speed > 0)) problems.push(`--speed expects a number > 0, got '${values.speed}'`);
  if (!counts.every((c) => Number.isInteger(c) && c > 0)) problems.push(`--counts expects positive integers, got '${values.counts}'`);
  if (!Number.isInteger(count) || count < 1) problems.push(`--count expects a positive integer, got '${values.count}'`);
  if (!Number.isInteger(params) || params < 1 || params > count) problems.push(`--params expects an integer from 1 to --count, got '${values.params}'`);
  if (values.parallel && values['in-turn']) problems.push('--parallel and --in-turn both given: pick one');
  for (const p of presets) {
    try {
      scaledTargetOptions(p, 1);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) {
    console.error(`replay: ${problems.join('\n  ')}\n\n${USAGE}`);
    return 2;
  }

  // k6 first, as npm start: nothing starts without it.
  const bin = env.K6_BIN || 'k6';
  const v = k6Version(bin);
  if (v.error !== undefined) {
    console.error(k6MissingMessage(bin, v.error, 'npm run replay'));
    return 2;
  }
  let plan;
  try {
    plan = replayPlan(speed, counts);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`replay: --speed ${speed} does not give a valid run:\n${err.message}`);
    return 2;
  }
  const script = path.join(REPO, 'dist', 'report.js');
  if (!existsSync(script)) {
    console.error(`replay: no bundle at ${script}: run npm run build`);
    return 2;
  }

  const started = Date.now();
  const out = path.resolve(values.out ?? (await makeRunFolder(path.join(REPO, 'summaries'), 'replay')));
  await mkdir(out, { recursive: true });
  const seed = env.SEED || String(Math.floor(Math.random() * 2 ** 31));
  const offsets = scaleOffsets(speed);
  const choice = replayOrder(presets.length, cpus().length || 1, values.parallel ? 'side by side' : values['in-turn'] ? 'in turn' : null);
  const inTurn = choice.order === 'in turn';
  console.log(`[replay] ${v.version}`);
  console.log(`[replay] speed ${speed}x: offsets ${offsets.join('/')} ms (report 50/100/200/1000/2000), ${plan.requests} requests per preset, ` +
    `${plan.scenarios.length} scenarios, ${orderLine(plan.totalMs, presets, choice)}; SEED=${seed}`);
  if (choice.warning) console.log(`[replay] warning: ${choice.warning}`);
  console.log(`[replay] results in ${out}`);

  const runs: PresetRun[] = [];
  let dbRoot: string | undefined;
  try {
    // The report loaded its database once, before the runs: seed one target at
    // full speed into a data folder, then start each preset on a copy of it.
    dbRoot = await mkdtemp(path.join(tmpdir(), 'party-replay-'));
    const template = path.join(dbRoot, 'template');
    const seeded = await startSeededTarget('baseline', count, path.join(out, 'businesses.csv'), env, { dataDir: template }, 'none');
    await seeded.target.close();
    console.log(`[replay] seeded ${seeded.count} businesses in ${(seeded.elapsedMs / 1000).toFixed(1)} s; the first ${params} are the requests' parameters`);
    const paramsCsv = headRows(await readFile(seeded.csvPath, 'utf8'), params);
    const startPreset = async (preset: string): Promise<PresetRun> => {
      const folder = path.join(out, preset);
      await mkdir(folder, { recursive: true });
      const dataDir = path.join(dbRoot!, preset);
      await cp(template, dataDir, { recursive: true });
      const scaled = scaledTargetOptions(preset, speed);
      const target = await startTarget({
        ...scaled,
        port: 0,
        quiet: true,
        dataDir,
        ...(env.PARTY_USER ? { user: env.PARTY_USER } : {}),
        ...(env.PARTY_PASSWORD ? { password: env.PARTY_PASSWORD } : {}),
      });
      const dataFile = path.join(folder, 'params.csv');
      await writeFile(dataFile, paramsCsv);
      const o = target.options;
      console.log(`[replay] ${preset}: target ${target.url}; hold ${o.queryDelayMs} ms, ` +
        `pool ${o.poolSize} + ${o.maxOverflow} (timeout ${o.poolTimeoutMs} ms), max connections ${o.maxConnections || 'unlimited'}, ` +
        `keep-alive ${o.keepAlive ? 'on' : 'off'}, cache ${o.cacheTtlS > 0 ? `TTL ${o.cacheTtlS.toFixed(1)} s` : 'off'}`);
      return { preset, folder, target, dataFile };
    };
    /** `<preset>: <the graph in words>`, as each preset's run is plotted. */
    const graphLines: string[] = [];
    /** One preset's k6, sampled; then its summary judged again with the machine's samples. */
    const runPreset = async (r: PresetRun): Promise<void> => {
      const vars: Record<string, string> = {
        ...(replayEnv(speed, r.preset, counts) as Record<string, string>),
        BASE_URL: r.target.url,
        DATA_FILE: r.dataFile,
        SUMMARY_DIR: r.folder,
        SEED: seed,
        MAX_VUS: String(MAX_VUS),
        K6_VERSION: k6Release(v.version ?? '') ?? '',
        ...(env.PARTY_USER ? { PARTY_USER: env.PARTY_USER } : {}),
        ...(env.PARTY_PASSWORD ? { PARTY_PASSWORD: env.PARTY_PASSWORD } : {}),
      };
      // --address '': no REST API server; several k6 processes would contend for its port.
      // testid: the run picker of the Grafana dashboard (docs/grafana.md).
      const raw = path.join(r.folder, 'raw.csv.gz');
      const args = ['run', '--quiet', '--address', '', '--tag', `testid=${path.basename(path.dirname(r.folder))}/${r.preset}`, '--out', `csv=${raw}`,
        ...Object.entries(vars).flatMap(([k, val]) => ['-e', `${k}=${val}`]), script];
      const { code, host } = await runK6(bin, args, path.join(r.folder, 'k6.log'));
      console.log(`[replay] ${r.preset}: k6 exited with code ${code} (log ${path.join(r.folder, 'k6.log')})`);
      const recorded = recordHost(r.folder, host);
      console.log(`[replay] ${r.preset}: ${recorded.note}`);
      const verdict = recorded.model?.verdict;
      if (verdict) {
        console.log(`[replay] ${r.preset}: verdict: ${verdictLine(verdict)}`);
        if (verdict.status !== 'trustworthy') console.log(`[replay] ${r.preset}: not judged: its shape checks read "not judged", never FAIL`);
      }
      // The plot, and the report's graph read in words: where it degraded, how far, whether it came back.
      for (const line of await tryPlot(raw)) {
        console.log(`[replay] ${r.preset}: ${line}`);
        if (line.startsWith('graph: ')) graphLines.push(`${r.preset}: ${line.slice('graph: '.length)}`);
      }
    };
    /** The target's counters over the run, then the target stopped. */
    const finishPreset = async (r: PresetRun, before: string): Promise<string> => {
      const text = await metricsText(r.target.url);
      if (text) await writeFile(path.join(r.folder, 'target-metrics.txt'), text);
      await r.target.close();
      runs.splice(runs.indexOf(r), 1);
      return targetLine(r.preset, before, text);
    };
    const ticking = (what: string, aboutMs: number) => ticker('[replay]', what, aboutMs, 60_000);

    const targetLines: string[] = [];
    if (inTurn) {
      // One k6 and one target at a time: each run has the machine to itself.
      for (const [i, preset] of presets.entries()) {
        const r = await startPreset(preset);
        runs.push(r);
        const before = await metricsText(r.target.url);
        const ticker = ticking(`${preset} (${i + 1} of ${presets.length}): k6 running`, plan.totalMs);
        try {
          await runPreset(r);
        } finally {
          clearInterval(ticker);
        }
        targetLines.push(await finishPreset(r, before));
      }
    } else {
      const settled = await Promise.allSettled(presets.map(startPreset));
      for (const st of settled) if (st.status === 'fulfilled') runs.push(st.value);
      const failed = settled.find((st): st is PromiseRejectedResult => st.status === 'rejected');
      if (failed) throw failed.reason;
      // The counters before the load, so the run's own can be told from seeding.
      const before = await Promise.all(runs.map((r) => metricsText(r.target.url)));
      const ticker = ticking('k6 running', plan.totalMs);
      try {
        await Promise.all(runs.map(runPreset));
      } finally {
        clearInterval(ticker);
      }
      for (const [i, r] of [...runs].entries()) targetLines.push(await finishPreset(r, before[i] ?? ''));
    }
    runs.length = 0;

    const meta: RunMeta = { speed, wallMs: Date.now() - started, presets, targetLines,
      graphLines: presets.flatMap((p) => graphLines.filter((l) => l.startsWith(`${p}: `))), order: choice.order };
    await writeFile(path.join(out, 'replay-run.json'), JSON.stringify(meta, null, 2) + '\n');
    return await analyse(out, meta);
  } catch (err) {
    console.error(`[replay] failed: ${(err as Error).message}`);
    return 2;
  } finally {
    for (const r of runs) await r.target.close();
    if (dbRoot) await rm(dbRoot, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
