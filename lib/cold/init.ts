// Code that runs once per test, in k6's first init context (__VU 0): config
// validation, the plan, the CSV parser, the preflight rules, the write
// template. build.mjs bundles it on its own and embeds it as text;
// lib/k6/load.ts compiles it only there, so the VUs that send the load never
// pay for it.
import { ConfigError, nearMisses, parseConfig, type Config, type Env } from '../config.ts';
import { withCloud } from '../cloud.ts';
import { k6Options, type K6Options } from '../plan.ts';
import { isWrite } from '../routes.ts';
import { credentialedBase } from '../auth.ts';
import {
  bodyParts, MAX_WRITES_PER_RUN, plannedWrites, runIdFrom, runSampleSummaryId, templateProblems, writeBases, type Template,
} from '../writes.ts';
// Read here, at build time into this cold text: never parsed per iteration.
import businessTemplate from '../../data/templates/business.json';

import { businessRows } from '../data.ts';
import { chunker } from '../params.ts';

/** The data file as the VUs read it: rows of id and ref in chunks (lib/params.ts). */
export interface Chunked {
  count: number;
  chunks: string[];
}

/** The data file as the VUs read it, parsed and chunked in one pass: no other copy of its rows. */
export function businessChunks(text: string, file: string): Chunked {
  const c = chunker();
  const count = businessRows(text, file, c.add);
  return { count, chunks: c.done() };
}
export { checkWrites, preflightProblem } from '../preflight.ts';
export { teardownMessage } from '../writes.ts';
export { folderState, REAL_FILES_PROBE, resultsFolder, resultsFolderProblem } from '../summary/paths.ts';

/** What every VU needs, shared once through a SharedArray (plain JSON). */
export interface Runtime {
  baseUrl: string;
  user: string;
  password: string;
  /** The Authorization header every request sends: __VU 0's glue encodes it (k6/encoding), '' until then. */
  auth: string;
  /** The base URL with the credentials in it, for reads (lib/auth.ts); '' when they go in the header. */
  readBase: string;
  timeoutMs: number;
  seed: number;
  seedFromEnv: boolean;
  dataFile: string;
  preflight: boolean;
  label: string;
  profile: string;
  /** VALIDATE: check every 200 body against its route's schema. */
  validate: boolean;
  /** The plan has read routes (the data file is needed). */
  reads: boolean;
  /** The plan has write routes. */
  writes: boolean;
  /** The plan's route keys in plan order (the write preflight names what still runs). */
  routes: string[];
  /** This instance's run id (lib/writes.ts); setup() hands it to every instance. */
  runId: number;
  /** Write scenario name -> first sequence number of its refs. */
  writeBases: Record<string, number>;
  /**
   * The bodies from data/templates/business.json, serialised and cut where
   * the ref goes (lib/writes.ts bodyParts); null without writes.
   */
  bodies: { flat: string[]; party: string[] } | null;
  /** SUMMARY_DIR unset and no summaries/ folder where k6 runs: handleSummary writes into that folder itself (lib/summary/paths.ts). */
  resultsHere: boolean;
  /** The most requests one read scenario sends: a data file with fewer rows repeats businesses. */
  largestRead: number;
  /** Scenario name -> spacing between its arrivals, ms: a VU's schedule lag (lib/k6/vu.ts). */
  spacing: Record<string, number>;
}

/**
 * A data file with fewer rows than a scenario sends requests: its businesses
 * repeat within the scenario, and a target with a cache answers the repeats
 * from it, so the run measures the cache more than the database.
 */
export function repeatsWarning(rows: number, largestRead: number, file: string): string | null {
  if (rows >= largestRead || rows === 0) return null;
  return `party-perf: warning: DATA_FILE=${file} has ${rows} row(s) and a scenario sends ${largestRead} requests, so each business is asked for about ${Math.ceil(largestRead / rows)} times in it ` +
    '(a cache would answer the repeats): seed more with npm run seed -- --count N';
}

export interface Prepared {
  options: K6Options;
  runtime: Runtime;
  /** Lines the first init context prints once. */
  banner: string[];
}

/**
 * Config, plan and runtime for the run. `randomSeed` seeds parameter picks
 * when SEED is unset; `randomRunId` (0..1) picks the run id, never from SEED,
 * so two runs with the same SEED still write different businesses.
 * `writesBundle`: the bundle exports the write exec functions (writes.js,
 * mixed.js); the read bundles refuse write routes before k6 does, with the fix.
 */
export function prepare(env: Env, defaultProfile: string, randomSeed: number, randomRunId = Math.random(), writesBundle = true): Prepared {
  const problems: string[] = [];
  let c: Config | undefined;
  try {
    c = parseConfig(env, defaultProfile);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.unshift(...e.problems);
  }
  const routes = c ? new Set(c.plan.scenarios.map((s) => s.route)) : new Set<string>();
  const writes = [...routes].some(isWrite);
  if (c && writes && !writesBundle) {
    problems.push(`ROUTES/PROFILE: ${[...routes].filter(isWrite).join(', ')} are write routes: run them with dist/writes.js or dist/mixed.js (this bundle has only the reads)`);
  }
  if (c && writes) {
    problems.push(...templateProblems(businessTemplate));
    const n = plannedWrites(c.plan);
    if (n > MAX_WRITES_PER_RUN) {
      problems.push(`the plan sends ${n} write requests and a run writes at most ${MAX_WRITES_PER_RUN} businesses (their refs are 11 digits): lower COUNTS for the write routes, or split the run`);
    }
  }
  if (problems.length || !c) throw new ConfigError(problems);
  const runtime: Runtime = {
    baseUrl: c.baseUrl,
    user: c.user,
    password: c.password,
    auth: '',
    readBase: credentialedBase(c.baseUrl, c.user, c.password) ?? '',
    timeoutMs: c.profile.timeoutMs,
    seed: c.seed ?? randomSeed,
    seedFromEnv: c.seed !== null,
    dataFile: c.dataFile,
    preflight: c.preflight,
    label: c.label,
    profile: c.profile.name,
    validate: c.profile.validate,
    reads: [...routes].some((r) => !isWrite(r)),
    writes,
    routes: [...routes],
    runId: runIdFrom(randomRunId),
    writeBases: writes ? writeBases(c.plan) : {},
    bodies: writes ? { flat: bodyParts(businessTemplate as Template, 'flat'), party: bodyParts(businessTemplate as Template, 'party') } : null,
    resultsHere: false,
    largestRead: c.plan.scenarios.reduce((m, s) => (isWrite(s.route) ? m : Math.max(m, s.count)), 0),
    spacing: {},
  };
  for (const s of c.plan.scenarios) runtime.spacing[s.name] = s.offset;
  const r = runtime;
  const banner = [`party-perf: profile ${r.profile}, target ${r.baseUrl}, SEED=${r.seed}${r.seedFromEnv ? '' : ' (set SEED to repeat these parameter picks)'}`];
  if (!r.validate) banner.push(`party-perf: 200 bodies are not validated (profile ${r.profile}; VALIDATE=true checks them)`);
  for (const w of nearMisses(env)) banner.push(`party-perf: warning: ${w}`);
  if (writes) banner.push(`party-perf: writes create businesses of their own: run ${r.runId}, sampleSummaryId ${runSampleSummaryId(r.runId)} (teardown removes their attributes)`);
  return { options: withCloud(k6Options(c.plan), c.cloud), runtime, banner };
}
