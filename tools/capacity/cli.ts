// `npm run capacity`: the highest rate each route sustains. Checks flags, k6
// and the target before any load; starts and seeds the reference target
// when BASE_URL is unset (as npm start does); runs the search with one real
// k6 probe per rate; writes capacity.json, capacity.md and capacity.html.
// A probe whose run was not trustworthy (its summary's verdict: the load
// generator fell behind, or the machine was saturated) does not count for or
// against its rate: it is retried (--retries, 2), then the search stops there,
// limited by the load generator.
// Exit 0: a capacity found for every search; 1: some search found none;
// 3: the only searches without a capacity had no trustworthy run to judge;
// 2: bad input, no k6, or an unreachable target; 130: Ctrl-C (results so far written).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, DEFAULTS, parseConfig } from '../../lib/config.ts';
import { parseBusinesses } from '../../lib/data.ts';
import { preflightProblem } from '../../lib/preflight.ts';
import { decide, searchCapacity } from '../../lib/capacity/search.ts';
import { stripUserinfo } from '../../lib/summary/redact.ts';
import { k6MissingMessage, k6Release, k6Version, makeRunFolder, startSeededTarget } from '../run.ts';
import type { RunningTarget } from '../party-service/server.ts';
import { ArgsError, parseCapacityArgs, USAGE, type CapacityArgs } from './args.ts';
import { CAPACITY_VERSION, capacityExitCode, noteFor, type CapacityReport, type RouteCapacity } from './model.ts';
import { current, probeVars, runProbe, type ProbeSetup } from './probe.ts';
import { median } from './cpu.ts';
import { progressLine, renderHtml, renderMarkdown, renderText, retryPolicy } from './render.ts';

/** Longest wait for the target to recover between probes. */
const RECOVERY_MAX_MS = 60_000;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One authenticated GET of the first business: the answer as lib/preflight.ts reads it, and how long it took. */
export async function getFirstBusiness(baseUrl: string, dataFile: string, env: NodeJS.ProcessEnv, timeoutMs = 10_000) {
  const { ids } = parseBusinesses(readFileSync(dataFile, 'utf8'), dataFile);
  const user = env.PARTY_USER || DEFAULTS.PARTY_USER;
  const password = env.PARTY_PASSWORD || DEFAULTS.PARTY_PASSWORD;
  let status = 0, error = '', body = '';
  const t0 = performance.now();
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/party-api/v1/businesses/id/${encodeURIComponent(ids[0] ?? '')}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    body = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    error = e.cause?.code ?? e.message;
  }
  return { status, error, body, ms: performance.now() - t0 };
}

/**
 * After a probe, wait until the target answers as it did before any load:
 * three answers in a row, each 200 within `fastMs`. A target that kept
 * working off a queue (a pool that waits 30 s for a connection) would
 * otherwise fail the next probe for the last one's load. Gives up after `maxMs`.
 */
async function waitForRecovery(setup: ProbeSetup, fastMs: number, maxMs: number, stop: () => boolean): Promise<number> {
  const t0 = Date.now();
  let inRow = 0;
  while (inRow < 3 && Date.now() - t0 < maxMs && !stop()) {
    const a = await getFirstBusiness(setup.baseUrl, setup.dataFile, setup.env, 5_000);
    inRow = a.status === 200 && a.ms <= fastMs ? inRow + 1 : 0;
    if (inRow < 3) await new Promise((r) => setTimeout(r, inRow === 0 ? 250 : 20));
  }
  return Date.now() - t0;
}

const sleep = (ms: number, stop: () => boolean) => new Promise<void>((resolve) => {
  const t0 = Date.now();
  const tick = setInterval(() => {
    if (stop() || Date.now() - t0 >= ms) {
      clearInterval(tick);
      resolve();
    }
  }, Math.min(ms, 100));
});

/** Every search of `a`, one after another; stops at Ctrl-C. */
async function searchAll(a: CapacityArgs, setup: ProbeSetup, interrupted: () => boolean): Promise<RouteCapacity[]> {
  const results: RouteCapacity[] = [];
  // The target's own pace before any load: the bar for "recovered" between probes.
  const idle: number[] = [];
  for (let i = 0; i < 5; i++) idle.push((await getFirstBusiness(setup.baseUrl, setup.dataFile, setup.env)).ms);
  const fastMs = Math.max(50, 3 * (median(idle) ?? 0));
  let index = 0;
  for (const s of a.searches) {
    if (interrupted()) break;
    console.log(`[capacity] ${s.name}: ${s.routes.join(', ')} ${s.routes.length > 1 ? 'side by side, each ' : ''}from ${a.startRate} req/s, ${a.stepSeconds} s per probe; ${retryPolicy(a.retries)}`);
    let lower: number | null = null, upper: number | null = null;
    let first = true;
    const found = await searchCapacity(async (rate, attempt) => {
      if (!first) {
        await sleep(a.pauseSeconds * 1000, interrupted); // the target recovers between probes
        const waited = await waitForRecovery(setup, fastMs, RECOVERY_MAX_MS, interrupted);
        if (waited > 2_000) console.log(`[capacity] the target took ${(waited / 1000).toFixed(1)} s more to answer within ${fastMs.toFixed(0)} ms again${waited >= RECOVERY_MAX_MS ? ' (gave up waiting)' : ''}`);
      }
      first = false;
      const p = await runProbe(setup, s.routes, rate, ++index, interrupted, attempt);
      // The search's own rule (decide), so the line says what the search will do.
      const decision = p.stop === undefined ? decide(p, attempt, a.retries) : null;
      p.record.counted = decision === 'count';
      if (p.record.counted && p.record.holds === true) lower = Math.max(lower ?? 0, rate);
      if (p.record.counted && p.record.holds === false) upper = Math.min(upper ?? Infinity, rate);
      console.log(progressLine(s.name, p.record, lower, upper, decision, a.retries));
      return p;
    }, { startRate: a.startRate, maxRate: a.maxRate, precision: a.precision, retries: a.retries });
    const r: Omit<RouteCapacity, 'note'> = {
      route: s.name, routes: s.routes, capacity: found.capacity, lower: found.lower, upper: found.upper,
      limitedBy: found.limitedBy, lowerBound: found.lowerBound,
      totalRate: found.capacity === null ? null : found.capacity * s.routes.length,
      gate: a.gate * 100, p95Ms: a.p95Ms, stopped: found.stopped, untrusted: found.untrusted, probes: found.probes.map((p) => p.record),
    };
    results.push({ ...r, note: noteFor(r) });
  }
  return results;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let a: CapacityArgs;
  try {
    a = parseCapacityArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    console.error(`npm run capacity: nothing was sent:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n\n${USAGE}`);
    return 2;
  }
  if (a.help) {
    console.log(USAGE);
    return 0;
  }
  const fail = (msg: string): number => {
    console.error(`npm run capacity: nothing was sent: ${msg}`);
    return 2;
  };
  const timeoutMs = Math.max(1000, 2 * a.p95Ms);
  const external = env.BASE_URL || undefined;
  // The env the probes will hand k6, checked as k6 will check it (BASE_URL, ALLOW_HOSTS, credentials, ...).
  const draft: ProbeSetup = {
    bin: env.K6_BIN || 'k6', script: path.join(REPO, 'dist', 'capacity.js'),
    baseUrl: external ?? 'http://127.0.0.1:8081', dataFile: env.DATA_FILE || path.join(REPO, 'data', 'businesses.csv'),
    gate: a.gate, p95Ms: a.p95Ms, stepSeconds: a.stepSeconds, timeoutMs, label: a.label, k6Version: null,
    machineCores: availableParallelism(), folder: '', env,
  };
  try {
    for (const s of a.searches) for (const rate of [a.startRate, a.maxRate]) parseConfig(probeVars(draft, s.routes, rate, null), 'capacity');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(err.message);
  }
  const v = k6Version(draft.bin);
  if (v.error !== undefined) return fail(k6MissingMessage(draft.bin, v.error, 'npm run capacity'));
  if (!existsSync(draft.script)) return fail(`no bundle at ${draft.script}: run npm run build`);
  if (external) {
    if (!existsSync(draft.dataFile)) return fail(`no data file ${draft.dataFile}: seed the target (npm run seed) or set DATA_FILE to the CSV written when it was seeded`);
    let problem: string | null;
    try {
      problem = preflightProblem(await getFirstBusiness(external, draft.dataFile, env), stripUserinfo(external), draft.dataFile);
    } catch (err) {
      problem = `${draft.dataFile} cannot be read: ${(err as Error).message}`;
    }
    if (problem) return fail(problem);
  }

  let interrupted = false;
  let target: RunningTarget | undefined;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error('[capacity] Ctrl-C: stopping the current probe; the results so far will be written');
    // k6 runs in its own process group: this is the one SIGINT it gets (it then writes its summary).
    current.child?.kill('SIGINT');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  try {
    const folder = a.out ? path.resolve(a.out) : await makeRunFolder(path.join(REPO, 'summaries'), `capacity-${a.label}`);
    await mkdir(folder, { recursive: true });
    console.log(`[capacity] ${v.version}; results in ${folder}`);
    const setup: ProbeSetup = { ...draft, folder, k6Version: k6Release(v.version ?? '') };
    if (!external) {
      const r = await startSeededTarget(a.preset, a.count, path.join(folder, 'businesses.csv'), env);
      target = r.target;
      setup.baseUrl = target.url;
      setup.dataFile = r.csvPath;
      console.log(`[capacity] reference target (preset ${a.preset}) on ${target.url}, seeded ${r.count} businesses in ${(r.elapsedMs / 1000).toFixed(1)} s`);
    }
    const results = interrupted ? [] : await searchAll(a, setup, () => interrupted);
    const report: CapacityReport = {
      version: CAPACITY_VERSION, label: a.label, startTime: new Date(started).toISOString(), durationMs: Date.now() - started,
      target: stripUserinfo(setup.baseUrl), preset: external ? null : a.preset, k6Version: setup.k6Version,
      machineCores: setup.machineCores, interrupted,
      settings: {
        gate: a.gate * 100, p95Ms: a.p95Ms, precision: a.precision, stepSeconds: a.stepSeconds,
        startRate: a.startRate, maxRate: a.maxRate, pauseSeconds: a.pauseSeconds, retries: a.retries, timeoutMs,
      },
      results,
    };
    await writeFile(path.join(folder, 'capacity.json'), JSON.stringify(report, null, 2) + '\n');
    await writeFile(path.join(folder, 'capacity.md'), renderMarkdown(report));
    await writeFile(path.join(folder, 'capacity.html'), renderHtml(report));
    console.log(renderText(report));
    console.log(`[capacity] written: ${['capacity.json', 'capacity.md', 'capacity.html'].map((f) => path.join(folder, f)).join(', ')}`);
    const code = capacityExitCode(results, interrupted);
    if (code === 3) console.log('[capacity] exit 3: no trustworthy run could judge some search (the load generator, not the target, stopped it; see its note)');
    return code;
  } catch (err) {
    console.error(`[capacity] failed: ${(err as Error).message}`);
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
