// The k6 glue every bundle shares: options, the runtime SharedArray, the
// data, and the per-answer path (classify, validate, count, check). Per VU
// this compiles only small closures; everything that runs once is cold text.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import encoding from 'k6/encoding';
import initSource from 'cold:init';
import summarySource from 'cold:summary';
import validateSource from 'cold:validate';
import { loadCold } from './load.ts';
import { classify, INVALID, type OutcomeTags } from '../classify.ts';
import { API_PREFIX, urlPrefix, READ_ROUTES, type ParamField, type Route } from '../routes.ts';
import { CHECK_NAME, INVALID_CHECK_PREFIX, RESPONSES_METRIC } from '../plan.ts';
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
  /** The seeded column a read route takes its values from: fixed-width chunks (lib/params.ts). */
  column: (field: ParamField) => { chunks: ArrayLike<string>; width: number };
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

// A seeded-data-free probe for plans without reads: answers 200 [] when the
// target is up and takes the credentials.
const PROBE_ID = '00000000-0000-4000-8000-000000000000';

/** `writesBundle`: the bundle exports the write exec functions (lib/k6/writes.ts). */
export function core(profile: string, writesBundle: boolean): Core {
  // Cold code runs in the first init context only (__VU 0, where k6 reads
  // options and SharedArray callbacks run); VUs 1..N never compile it.
  let init: InitModule | undefined;
  const cold = (): InitModule => init ?? (init = loadCold<InitModule>(initSource));
  let prepared: Prepared | undefined;
  const prepare = (): Prepared =>
    prepared ?? (prepared = cold().prepare(__ENV, profile, Math.floor(Math.random() * 2 ** 31), Math.random(), writesBundle));

  const options = __VU === 0 ? prepare().options : {};
  const runtime = new SharedArray('party-perf:runtime', () => {
    const p = prepare();
    for (const line of p.banner) console.log(line);
    return [p.runtime];
  })[0] as Runtime;
  // Each column as a few chunk strings: a VU decodes one chunk per 16
  // requests, and never holds a copy of the whole file (lib/params.ts).
  let chunked: ReturnType<InitModule['businessChunks']> | undefined;
  const load = () => chunked ?? (chunked = cold().businessChunks(open(runtime.dataFile), runtime.dataFile));
  const columns: Record<ParamField, { chunks: ArrayLike<string>; width: number }> = {
    id: { chunks: [], width: 1 },
    sampleUnitRef: { chunks: [], width: 1 },
  };
  if (runtime.reads) {
    const widths = new SharedArray('party-perf:widths', () => [load().ids.width, load().refs.width]);
    columns.id = { chunks: new SharedArray('party-perf:ids', () => load().ids.chunks), width: widths[0] as number };
    columns.sampleUnitRef = { chunks: new SharedArray('party-perf:refs', () => load().refs.chunks), width: widths[1] as number };
  }
  const column = (field: ParamField) => columns[field];

  const responses = new Counter(RESPONSES_METRIC);
  const auth = `Basic ${encoding.b64encode(`${runtime.user}:${runtime.password}`)}`;
  // Compiled per VU only when validating (see lib/cold/validate.ts); never in
  // __VU 0 (options, setup, teardown, handleSummary), which sends no load.
  const bodyError = runtime.validate && __VU !== 0 ? loadCold<typeof Validate>(validateSource).bodyError : null;
  // The check passes for `success` only: an invalid body fails it too.
  const checks = { [CHECK_NAME]: (t: OutcomeTags) => t.class === 'success' };

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
      let tags = classify(res.status, res.error_code, expected);
      if (bodyError !== null && tags.class === 'success') {
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
      check(tags, checks);
    };
  };

  const preflight = (): void => {
    if (!runtime.preflight) return;
    const url = runtime.reads
      ? urlPrefix(runtime.baseUrl, READ_ROUTES[1]!) + encodeURIComponent(columns.id.chunks[0]!.slice(0, columns.id.width).trim())
      : `${runtime.baseUrl}${API_PREFIX}/businesses?id=${PROBE_ID}`;
    const res = http.get(url, { headers: { Authorization: auth }, timeout: '10s', tags: { name: 'preflight' }, responseType: 'text' });
    const problem = cold().preflightProblem(
      { status: res.status, error: res.error, body: typeof res.body === 'string' ? res.body : '' },
      runtime.baseUrl, runtime.dataFile,
    );
    if (problem) throw new Error(problem);
  };

  const handleSummary = (data: object): Record<string, string> =>
    loadCold<SummaryModule>(summarySource).handleSummary(data, {
      env: __ENV, profile, seed: runtime.seed, now: Date.now(),
    });

  return { options, runtime, column, auth, params, recorder, cold, preflight, handleSummary };
}
