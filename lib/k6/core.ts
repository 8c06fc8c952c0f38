// The k6 glue every bundle shares: options, the runtime SharedArray, the
// data, and the per-answer path (classify, validate, count, check). Per VU
// this compiles only small closures; everything that runs once is cold text.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import initSource from 'cold:init';
import summarySource from 'cold:summary';
import validateSource from 'cold:validate';
import { loadCold } from './load.ts';
import { classify, INVALID, SUCCESS } from '../classify.ts';
import { box, chunkValues, type Chunk } from '../params.ts';
import { API_PREFIX, urlPrefix, READ_ROUTES, type ParamField, type Route } from '../routes.ts';
import { CHECK_NAME, INVALID_CHECK_PREFIX, RESPONSES_METRIC, statusCheckName } from '../plan.ts';
import type { Prepared, Runtime } from '../cold/init.ts';
import type * as Init from '../cold/init.ts';
import type * as Summary from '../summary/entry.ts';
import type * as Validate from '../cold/validate.ts';

type InitModule = typeof Init;
type SummaryModule = typeof Summary;

/** What a request's answer must carry for recording. */
interface Answer {
  status: number;
  error_code: number;
  body?: unknown;
}

export interface Core {
  options: object;
  runtime: Runtime;
  /** The seeded column a read route takes its values from: chunks of a few URL-encoded values (lib/params.ts). */
  column: (field: ParamField) => ArrayLike<Chunk>;
  /** The Authorization header value. */
  auth: string;
  /** Request params of a route (auth, timeout, name tag, and a text body when validating). */
  params: (route: Route, json?: boolean) => object;
  /** Classify, validate (when on), count and check one answer of `route`. */
  recorder: (route: Route) => (res: Answer) => void;
  /** The cold init part, compiled on first use (VU 0, setup, teardown only). */
  cold: () => InitModule;
  /** Preflight (when on): throws the problem and its fix before any load. */
  preflight: () => void;
  handleSummary: (data: object) => Record<string, string>;
}

// k6's check takes a plain value per name too, and then calls no JS function
// (k6 v0.49 js/modules/k6/k6.go Check); @types/k6 declares callbacks only.
const checkValues = check as unknown as (value: null, sets: Readonly<Record<string, boolean>>) => boolean;

// A seeded-data-free probe for plans without reads: answers 200 [] when the
// target is up and takes the credentials.
const PROBE_ID = '00000000-0000-4000-8000-000000000000';

// What VUs 1..N are handed for the parts only __VU 0 runs (options, setup,
// teardown, handleSummary): one shared function instead of a closure each,
// as every closure a VU creates costs it memory (test/fixtures/k6-v0.49/README.md).
export function onlyInVuZero(): never {
  throw new Error('party-perf: this part runs only in __VU 0');
}
const none = (): unknown[] => [];

export function core(profile: string, writesBundle: boolean): Core {
  // Cold code runs in the first init context only (__VU 0, where k6 reads
  // options and SharedArray callbacks run); VUs 1..N never compile it, and
  // never create the closures that reach it.
  const zero = __VU === 0;
  let init: InitModule | undefined;
  const cold = zero ? (): InitModule => init || (init = loadCold<InitModule>(initSource)) : onlyInVuZero;
  let prepared: Prepared | undefined;
  const prepare = !zero ? onlyInVuZero : (): Prepared =>
    prepared || (prepared = cold().prepare(__ENV, profile, Math.floor(Math.random() * 2 ** 31), Math.random(), writesBundle));

  // k6 reads `options` from the first init context only, the one where
  // SharedArray callbacks run; the other __VU 0 contexts (setup, teardown,
  // handleSummary) then skip the cold init part unless they call it.
  let first = false;
  const runtime = new SharedArray('party-perf:runtime', zero ? () => {
    first = true;
    const p = prepare();
    for (const line of p.banner) console.log(line);
    return [p.runtime];
  } : none)[0] as Runtime;
  const options = first ? prepare().options : {};
  // Each column as chunks of a few values: a VU reads one chunk per few
  // requests and never holds a copy of the whole file (lib/params.ts).
  let chunked: ReturnType<InitModule['businessChunks']> | undefined;
  const load = !zero ? onlyInVuZero : () => chunked || (chunked = cold().businessChunks(open(runtime.dataFile), runtime.dataFile));
  const columns: Record<ParamField, ArrayLike<Chunk>> = { id: [], sampleUnitRef: [] };
  if (runtime.reads) {
    columns.id = new SharedArray('party-perf:ids', zero ? () => load().ids.chunks.map(box) : none) as ArrayLike<Chunk>;
    columns.sampleUnitRef = new SharedArray('party-perf:refs', zero ? () => {
      const refs = load().refs.chunks.map(box);
      chunked = undefined; // k6 holds both columns now, as JSON
      return refs;
    } : none) as ArrayLike<Chunk>;
  }
  const column = (field: ParamField) => columns[field];

  const responses = new Counter(RESPONSES_METRIC);
  const auth = `Basic ${encoding.b64encode(`${runtime.user}:${runtime.password}`)}`;
  // Compiled per VU only when validating (see lib/cold/validate.ts); never in
  // __VU 0 (options, setup, teardown, handleSummary), which sends no load.
  const bodyError = runtime.validate && __VU !== 0 ? loadCold<typeof Validate>(validateSource).bodyError : null;
  // Plain values, not callbacks: k6 then calls no JS function per check.
  const PASS = { [CHECK_NAME]: true };
  const FAIL = { [CHECK_NAME]: false };

  const params = (route: Route, json?: boolean): object => {
    const p: { headers: Record<string, string>; timeout: string; tags: { name: string }; responseType?: 'text' } = {
      headers: json ? { Authorization: auth, 'Content-Type': 'application/json' } : { Authorization: auth },
      timeout: `${runtime.timeoutMs}ms`,
      tags: { name: route.nameTag },
    };
    // options.discardResponseBodies: only a request that is validated asks for its body.
    if (bodyError) p.responseType = 'text';
    return p;
  };

  const recorder = (route: Route) => {
    const expected = route.expectedStatus;
    const kind = route.body;
    let warned = false;
    return (res: Answer): void => {
      const status = res.status;
      // The common case first: one Counter add and one passing check.
      if (status === expected && bodyError === null) {
        responses.add(1, SUCCESS);
        checkValues(null, PASS);
        return;
      }
      let tags = classify(status, res.error_code, expected);
      if (bodyError !== null && tags === SUCCESS) {
        const problem = bodyError(kind, res.body);
        if (problem !== null) {
          tags = INVALID;
          // The first problem per route and VU: enough to diagnose, never a flood.
          if (!warned) {
            warned = true;
            console.warn(`party-perf: ${route.label} answered ${res.status} with a body that does not match its schema (class invalid; first of this VU): ${problem}`);
            check(problem, { [`${INVALID_CHECK_PREFIX}${route.label} | ${problem.slice(0, 160)}`]: () => false });
          }
        }
      }
      responses.add(1, tags);
      // Exactly one check per answer, so the `checks` rate stays the success
      // rate: an unexpected HTTP status fails the check named after its
      // scenario and status (the summary's per-scenario status counts), any
      // other failure the common one.
      if (status !== expected && status !== 0) checkValues(null, { [statusCheckName(exec.scenario.name, status)]: false });
      else checkValues(null, tags === SUCCESS ? PASS : FAIL);
    };
  };

  const preflight = !zero ? onlyInVuZero : (): void => {
    if (!runtime.preflight) return;
    const url = runtime.reads
      ? urlPrefix(runtime.baseUrl, READ_ROUTES[1]!) + chunkValues(columns.id[0]!)[0]!
      : `${runtime.baseUrl}${API_PREFIX}/businesses?id=${PROBE_ID}`;
    const res = http.get(url, { headers: { Authorization: auth }, timeout: '10s', tags: { name: 'preflight' }, responseType: 'text' });
    const problem = cold().preflightProblem(
      { status: res.status, error: res.error, body: typeof res.body === 'string' ? res.body : '' },
      runtime.baseUrl, runtime.dataFile,
    );
    if (problem) throw new Error(problem);
  };

  const handleSummary = !zero ? onlyInVuZero : (data: object): Record<string, string> => {
    // The execution segment reaches a script only through the options k6
    // consolidated (CLI flags included); handleSummary's data lacks it.
    const o = (exec.test && exec.test.options) as { executionSegment?: string | null; executionSegmentSequence?: string | null } | undefined;
    return loadCold<SummaryModule>(summarySource).handleSummary(data, {
      env: __ENV, profile, seed: runtime.seed, now: Date.now(),
      segment: o && o.executionSegment ? String(o.executionSegment) : null,
      sequence: o && o.executionSegmentSequence ? String(o.executionSegmentSequence) : null,
    });
  };

  return { options, runtime, column, auth, params, recorder, cold, preflight, handleSummary };
}
