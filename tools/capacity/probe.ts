// One capacity probe: a real k6 run of dist/capacity.js at RATE for STEP,
// its k6 CPU and the machine sampled from /proc, the samples added to its
// summary.json (which judges the run again), then read and judged.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ENV_NAMES, parseConfig, type Env } from '../../lib/config.ts';
import { judgeProbe, successShare, type RouteFigures, type RunTrust } from '../../lib/capacity/rules.ts';
import type { ProbeOutcome } from '../../lib/capacity/search.ts';
import type { ScenarioResult, SummaryModel } from '../../lib/summary/model.ts';
import { recordHost } from '../host.ts';
import { sampleCpu } from './cpu.ts';
import type { ProbeRecord } from './model.ts';

export interface ProbeSetup {
  bin: string;
  script: string;
  baseUrl: string;
  dataFile: string;
  /** 0..1 */
  gate: number;
  p95Ms: number;
  stepSeconds: number;
  timeoutMs: number;
  label: string;
  k6Version: string | null;
  machineCores: number;
  /** The capacity folder; each probe writes into a folder of its own under it. */
  folder: string;
  /** The caller's environment: credentials and the suite variables a user may set. */
  env: NodeJS.ProcessEnv;
}

/** Suite variables a user may set that a probe passes on; the rest are the probe's own. */
const USER_VARS = ['PARTY_USER', 'PARTY_PASSWORD', 'ALLOW_HOSTS', 'MAX_VUS', 'VALIDATE', 'SEED', 'PREFLIGHT', 'TIMEOUT'];

/** The suite variables of one probe (k6 reads them from its environment: no password on the command line). */
export function probeVars(s: ProbeSetup, routes: string[], rate: number, folder: string | null): Env {
  const vars: Env = {};
  for (const name of USER_VARS) if (s.env[name]) vars[name] = s.env[name];
  Object.assign(vars, {
    PROFILE: 'capacity',
    ROUTES: routes.join(','),
    ORDER: 'parallel-routes',
    RATE: String(rate),
    STEP: `${s.stepSeconds}s`,
    TIMEOUT: s.env.TIMEOUT || `${s.timeoutMs}ms`,
    GATE_SUCCESS_RATE: String(s.gate * 100),
    GATE_P95: String(s.p95Ms),
    GATE_NOT_SENT: '0',
    BASE_URL: s.baseUrl,
    DATA_FILE: s.dataFile,
    LABEL: `${s.label}-${routes.length > 1 ? 'all' : routes[0]}-${rate}`.slice(0, 64),
  });
  if (folder !== null) vars.SUMMARY_DIR = folder;
  if (s.k6Version) vars.K6_VERSION = s.k6Version;
  return vars;
}

export interface CapacityProbe extends ProbeOutcome {
  record: ProbeRecord;
}

/** The running k6 of the current probe, so Ctrl-C can stop it gracefully. */
export const current: { child: ChildProcess | null } = { child: null };

function figuresFrom(scenarios: ScenarioResult[], route: string, vus: number): RouteFigures {
  const mine = scenarios.filter((s) => s.route === route);
  const sum = (f: (s: ScenarioResult) => number) => mine.reduce((a, s) => a + f(s), 0);
  const lat = mine.find((s) => s.latency !== null)?.latency ?? null;
  return {
    route,
    planned: sum((s) => s.planned),
    sent: sum((s) => s.sent),
    success: sum((s) => s.classes.success),
    notSent: sum((s) => s.notSent),
    notRun: sum((s) => s.notRun),
    timeouts: sum((s) => s.causes?.timeout ?? 0),
    p95Ms: lat?.p95 ?? null,
    meanMs: lat?.mean ?? null,
    vus,
  };
}

/** The run's verdict and schedule lag from its summary (after recordHost judged it with the machine); nulls when absent. */
export function trustOf(model: Partial<Pick<SummaryModel, 'verdict' | 'generator'>> | null): { trust: RunTrust | null; lateShare: number | null; maxLagMs: number | null } {
  const v = model?.verdict;
  const g = model?.generator;
  return {
    trust: v && typeof v.status === 'string' ? { status: v.status, headline: v.headline ?? '' } : null,
    lateShare: typeof g?.lateShare === 'number' ? g.lateShare : null,
    maxLagMs: typeof g?.maxLagMs === 'number' ? g.maxLagMs : null,
  };
}

/** `attempt`: 1 for the rate's first run, 2 for its first retry, ... (the folder name says which). */
export async function runProbe(s: ProbeSetup, routes: string[], rate: number, index: number, interrupted: () => boolean, attempt = 1): Promise<CapacityProbe> {
  const name = `${String(index).padStart(2, '0')}-${routes.length > 1 ? 'all' : routes[0]}-${rate}${attempt > 1 ? `-retry${attempt - 1}` : ''}`;
  const folder = path.join(s.folder, 'probes', name);
  await mkdir(folder, { recursive: true });
  const vars = probeVars(s, routes, rate, folder);
  // The same plan k6 builds (VUs from lib/plan.ts vusFor), for the idle-VU rule.
  const plan = parseConfig(vars, 'capacity').plan;
  const started = performance.now();
  const log = createWriteStream(path.join(folder, 'k6.log'));
  const env: NodeJS.ProcessEnv = { ...s.env };
  for (const n of ENV_NAMES) delete env[n];
  Object.assign(env, vars);
  const { code, cpu } = await new Promise<{ code: number; cpu: ReturnType<ReturnType<typeof sampleCpu>['stop']> }>((resolve) => {
    // Its own process group: Ctrl-C reaches k6 once, from us (a second SIGINT would make k6 skip its summary).
    // testid: the run picker of the Grafana dashboard (docs/grafana.md).
    const child = spawn(s.bin, ['run', '--quiet', '--tag', `testid=${path.basename(s.folder)}/${name}`, s.script], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    current.child = child;
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    const sampler = child.pid === undefined ? null : sampleCpu(child.pid);
    const done = (c: number) => {
      current.child = null;
      resolve({ code: c, cpu: sampler?.stop() ?? { cores: null, peak: null, host: null } });
    };
    child.on('error', (err) => {
      log.write(`k6 failed to start: ${err.message}\n`);
      done(-1);
    });
    child.on('close', (c, sig) => done(c ?? (sig === 'SIGINT' ? 130 : 1)));
  });
  const elapsedMs = Math.round(performance.now() - started);
  // The machine's samples join the probe's summary.json, which judges the run again (and re-renders its reports).
  const host = recordHost(folder, cpu.host);
  log.end(`[capacity] ${host.note}\n`);
  const model = host.model as (Partial<SummaryModel> & { scenarios?: unknown }) | null;
  const scenarios: ScenarioResult[] | null = model && Array.isArray(model.scenarios) ? (model.scenarios as ScenarioResult[]) : null;
  const { trust, lateShare, maxLagMs } = trustOf(model);
  const record: ProbeRecord = {
    index, rate, holds: null, successPct: null, p95Ms: null, notSent: 0, k6Cpu: cpu.cores, k6CpuPeak: cpu.peak,
    reasons: [], generator: [], verdict: trust, lateShare, maxLagMs, attempt, counted: false,
    stop: null, routes: [], folder: path.relative(s.folder, folder), elapsedMs,
  };
  const stopWith = (why: string): CapacityProbe => {
    record.stop = why;
    return { rate, verdict: { holds: false, reasons: [why], generator: [] }, stop: why, record, trust };
  };
  if (interrupted()) return stopWith('interrupted (Ctrl-C)');
  // 0: every gate held; 99: a gate failed (a probe that does not hold). Anything else: k6 itself failed.
  if ((code !== 0 && code !== 99) || scenarios === null) {
    return stopWith(`k6 exited with code ${code}${scenarios === null ? ' without a summary' : ''}: see ${path.join(folder, 'k6.log')}`);
  }
  const figures = routes.map((r) => figuresFrom(scenarios, r, plan.scenarios.find((x) => x.route === r)?.vus ?? 0));
  const verdict = judgeProbe(figures, { successRate: s.gate, p95Ms: s.p95Ms }, {
    stepSeconds: s.stepSeconds, timeoutMs: plan.timeoutMs, k6Cores: cpu.cores, machineCores: s.machineCores,
  });
  const planned = figures.reduce((a, f) => a + Math.max(f.planned, f.sent + f.notSent + f.notRun), 0);
  const p95s = figures.map((f) => f.p95Ms);
  Object.assign(record, {
    holds: verdict.holds,
    successPct: planned > 0 ? (100 * figures.reduce((a, f) => a + f.success, 0)) / planned : 0,
    p95Ms: p95s.some((p) => p === null) ? null : Math.max(...(p95s as number[])),
    notSent: figures.reduce((a, f) => a + f.notSent, 0),
    reasons: verdict.reasons,
    generator: verdict.generator,
    routes: figures.map((f) => ({
      route: f.route, planned: f.planned, sent: f.sent, success: f.success, successPct: 100 * successShare(f),
      notSent: f.notSent, notRun: f.notRun, timeouts: f.timeouts, p95Ms: f.p95Ms, vus: f.vus,
    })),
  });
  // Whether it counts is the search's to say (lib/capacity/search.ts decide); the caller sets record.counted.
  return { rate, verdict, record, trust };
}
