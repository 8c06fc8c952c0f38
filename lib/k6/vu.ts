// The VUs' glue (__VU 1..N): the request path and nothing else. build.mjs
// builds this half apart from __VU 0's (lib/k6/zero.ts), and every VU runs
// all of it, so what it keeps is what each VU costs (docs/weight.md, "Weight per
// VU"). goja keeps a function or value alive only while a kept function
// uses it: so the per-VU setup below is this module's top level (whatever
// only it uses is freed once the VU is up), a route's state is one plain
// object (a lane), built on the route's first call, and the functions the
// exec functions use are few.
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Gauge } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import execution from 'k6/execution';
import validateSource from 'cold:validate';
import { loadCold } from './load.ts';
import { otherHalf, ROWS_ARRAY, VU_RUNTIME_ARRAY, type Suite, type VuRuntime, type WritesSuite } from './shared.ts';
import { vuWrites } from './vu-writes.ts';
import { classify, INVALID, SUCCESS } from '../classify.ts';
import { nextValue, type Chunk, type Pick } from '../params.ts';
import { API_PREFIX, READ_ROUTES, type Route } from '../routes.ts';
import { CHECK_NAME, INVALID_CHECK_PREFIX, LAG_METRIC, LAG_TOLERANCE_MS, LATE_METRIC, RESPONSES_METRIC, STATUS_CHECK_PREFIX } from '../plan.ts';
import { vuRandom } from '../rng.ts';
import type * as Validate from '../cold/validate.ts';

/** What a request's answer must carry for recording. */
interface Answer {
  status: number;
  error_code: number;
  body?: unknown;
}

/** One route's state in one VU. */
export interface Lane {
  route: Route;
  /** Reads: the URL up to the value. Writes: the URL of the run (lib/k6/vu-writes.ts). */
  url: string;
  params: object;
  /** Reads: the VU's walk over the route's column; null when the plan has no data. */
  pick: Pick | null;
  /** The first invalid body of this route and VU was reported. */
  warned: boolean;
  /** Writes: the run the body pieces are for, the pieces, the ref to update next. */
  run: number;
  parts: string[];
  previous: string | null;
}

// __VU 0 filled these before any VU starts: the callback never runs here.
export const runtime = new SharedArray<VuRuntime>(VU_RUNTIME_ARRAY, otherHalf)[0]!;
const responses = new Counter(RESPONSES_METRIC);
const late = new Counter(LATE_METRIC);
const lagMs = new Gauge(LAG_METRIC);
// Compiled per VU only when validating (see lib/cold/validate.ts).
const bodyError = runtime.validate ? loadCold<typeof Validate>(validateSource).bodyError : null;
// k6's check takes a plain value per name too, and then calls no JS function
// (k6 v0.49 js/modules/k6/k6.go Check); @types/k6 declares callbacks only.
const checkValues = check as unknown as (value: null, sets: Readonly<Record<string, boolean>>) => boolean;
const PASS = { [CHECK_NAME]: true };
const FAIL = { [CHECK_NAME]: false };
const random = vuRandom(runtime.seed, __VU);
const rows = runtime.reads ? new SharedArray(ROWS_ARRAY, otherHalf) as ArrayLike<Chunk> : null;
const readLanes: Lane[] = [];

/**
 * A route's first state: its request params. The name tag comes from the
 * scenario's tags (lib/plan.ts) and a read's credentials from its URL
 * (runtime.readBase, lib/auth.ts), so a read's params are its timeout alone:
 * k6 reads every key of params on every request (docs/weight.md, "Weight per VU").
 */
export function lane(route: Route, url: string, json: boolean): Lane {
  const params: { headers?: Record<string, string>; timeout: number; responseType?: 'text' } = { timeout: runtime.timeoutMs };
  if (json) params.headers = { Authorization: runtime.auth, 'Content-Type': 'application/json' };
  else if (!runtime.readBase) params.headers = { Authorization: runtime.auth };
  // options.discardResponseBodies: only a request that is validated asks for its body.
  if (bodyError) params.responseType = 'text';
  return { route, url, params, pick: null, warned: false, run: -1, parts: [], previous: null };
}

// exec.scenario builds a new object on every access; its getters read the
// VU's current scenario and iteration live (k6 js/modules/k6/execution), so
// one object per VU serves every scenario the VU runs. Init cannot read it.
let scenario: typeof execution.scenario | null = null;
let startedAt = -1;
let spacing = 0;

/** The VU's live exec.scenario (set by onTime, which every exec function calls first). */
export function currentScenario(): typeof execution.scenario {
  return scenario || (scenario = execution.scenario);
}

/**
 * Schedule lag, at an iteration's start: k6's constant-arrival-rate plans the
 * test's i-th iteration at the scenario's start + i x spacing (under
 * --execution-segment too: iterationInTest is the test-wide index). Only a
 * late start records anything. A dropped iteration takes no index, so the
 * starts after it read up to one spacing later per drop (docs/results.md).
 */
export function onTime(): void {
  const sc = scenario || (scenario = execution.scenario);
  const start = sc.startTime;
  if (start !== startedAt) {
    startedAt = start;
    spacing = runtime.spacing[sc.name] || 0;
  }
  const lag = Date.now() - start - sc.iterationInTest * spacing;
  if (lag > LAG_TOLERANCE_MS) {
    late.add(1);
    lagMs.add(lag);
  }
}

/** Classify, validate (when on) and check one answer; count it when it is no success. */
export function record(l: Lane, res: Answer): void {
  const status = res.status;
  const expected = l.route.expectedStatus;
  // The common case first: one passing check and nothing else. The summary
  // counts a scenario's successes as its requests less the other classes
  // (lib/plan.ts scenarioRequests): the Counter counts those only.
  if (status === expected && bodyError === null) {
    checkValues(null, PASS);
    return;
  }
  let tags = classify(status, res.error_code, expected);
  if (bodyError !== null && tags === SUCCESS) {
    const problem = bodyError(l.route.body, res.body);
    if (problem !== null) {
      tags = INVALID;
      // The first problem per route and VU: enough to diagnose, never a flood.
      if (!l.warned) {
        l.warned = true;
        console.warn(`party-perf: ${l.route.label} answered ${status} with a body that does not match its schema (class invalid; first of this VU): ${problem}`);
        check(problem, { [`${INVALID_CHECK_PREFIX}${l.route.label} | ${problem.slice(0, 160)}`]: () => false });
      }
    }
  }
  if (tags !== SUCCESS) responses.add(1, tags);
  // Exactly one check per answer, so the `checks` rate stays the success
  // rate: an unexpected HTTP status fails the check named after its
  // scenario and status (the summary's per-scenario status counts), any
  // other failure the common one.
  // statusCheckName (lib/plan.ts) written out, as one function fewer per VU;
  // test/status-checks.test.ts holds the bundle to its names.
  if (status !== expected && status !== 0) checkValues(null, { [`${STATUS_CHECK_PREFIX}${execution.scenario.name} | ${status}`]: false });
  else checkValues(null, tags === SUCCESS ? PASS : FAIL);
}

/** A read route's exec: pick a value, send, record. Most VUs run one route, so its lane is built on its first call. */
function read(i: number): void {
  onTime();
  let l = readLanes[i];
  if (l === undefined) {
    const route = READ_ROUTES[i]!;
    // Values are URL-encoded already (lib/cold/init.ts), and the config has
    // trimmed baseUrl's '/': no regex, no String method per VU.
    l = readLanes[i] = lane(route, (runtime.readBase || runtime.baseUrl) + API_PREFIX + route.prefix, false);
    // A plan without this route's reads has no data; k6 never calls its exec then.
    // newPick (lib/params.ts) written out, as one function fewer per VU.
    if (rows && rows.length) l.pick = { chunks: rows, column: route.param === 'sampleUnitRef' ? 1 : 0, values: [], n: 0, left: 0, pos: 0, stride: 1 };
  }
  record(l, http.get(l.url + (l.pick ? nextValue(l.pick, random) : '') + l.route.suffix, l.params));
}

// No object spread below: es2017 output would carry esbuild's spread helpers into every VU.
// The profile matters only to __VU 0: a VU takes all it needs from the runtime.

export function suite(_profile: string): Suite {
  return { options: {}, setup: otherHalf, handleSummary: otherHalf, query: () => read(0), id: () => read(1), ref: () => read(2) };
}

export function writesSuite(_profile: string): WritesSuite {
  const w = vuWrites();
  return {
    options: {}, setup: otherHalf, teardown: otherHalf, handleSummary: otherHalf,
    query: () => read(0), id: () => read(1), ref: () => read(2),
    post_businesses: w.post_businesses, post_parties: w.post_parties, patch_parties: w.patch_parties, put_link: w.put_link,
  };
}
