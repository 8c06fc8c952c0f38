// The k6 glue: the only module (with load.ts) that touches k6. A scenario file
// calls suite(profile) and re-exports what it returns. Per VU this compiles
// only the request path below; everything that runs once is cold text.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import encoding from 'k6/encoding';
import initSource from 'cold:init';
import summarySource from 'cold:summary';
import { loadCold } from './load.ts';
import { classify } from '../classify.ts';
import { READ_ROUTES, urlPrefix, type Route } from '../routes.ts';
import { CHECK_NAME, RESPONSES_METRIC } from '../plan.ts';
import { mulberry32, vuSeed } from '../rng.ts';
import type { Prepared, Runtime } from '../cold/init.ts';
import type * as Init from '../cold/init.ts';
import type * as Summary from '../summary/entry.ts';

type InitModule = typeof Init;
type SummaryModule = typeof Summary;

export interface Suite {
  options: object;
  setup: () => void;
  query: () => void;
  id: () => void;
  ref: () => void;
  handleSummary: (data: object) => Record<string, string>;
}

export function suite(profile: string): Suite {
  // Cold code runs in the first init context only (__VU 0, where k6 reads
  // options and SharedArray callbacks run); VUs 1..N never compile it.
  let init: InitModule | undefined;
  const cold = (): InitModule => init ?? (init = loadCold<InitModule>(initSource));
  let prepared: Prepared | undefined;
  const prepare = (): Prepared =>
    prepared ?? (prepared = cold().prepare(__ENV, profile, Math.floor(Math.random() * 2 ** 31)));

  const options = __VU === 0 ? prepare().options : {};
  const runtime = new SharedArray('party-perf:runtime', () => {
    const r = prepare().runtime;
    console.log(`party-perf: profile ${r.profile}, target ${r.baseUrl}, SEED=${r.seed}${r.seedFromEnv ? '' : ' (set SEED to repeat these parameter picks)'}`);
    return [r];
  })[0] as Runtime;
  const data = new SharedArray('party-perf:businesses', () => {
    const b = cold().parseBusinesses(open(runtime.dataFile), runtime.dataFile);
    return [b.ids, b.refs];
  });
  const ids = data[0] as string[];
  const refs = data[1] as string[];

  const responses = new Counter(RESPONSES_METRIC);
  const auth = `Basic ${encoding.b64encode(`${runtime.user}:${runtime.password}`)}`;
  const random = mulberry32(vuSeed(runtime.seed, __VU));

  // One exec function per route, built once per VU: the iteration only picks
  // a value, sends, classifies and counts.
  const exec = (route: Route) => {
    const values = route.param === 'id' ? ids : refs;
    const n = values.length;
    const prefix = urlPrefix(runtime.baseUrl, route);
    const suffix = route.suffix;
    const params = { headers: { Authorization: auth }, timeout: `${runtime.timeoutMs}ms`, tags: { name: route.nameTag } };
    const expected = route.expectedStatus;
    const checks = { [CHECK_NAME]: (r: { status: number }) => r.status === expected };
    return () => {
      const res = http.get(prefix + encodeURIComponent(values[(random() * n) | 0]!) + suffix, params);
      responses.add(1, classify(res.status, res.error_code, expected));
      check(res, checks);
    };
  };
  const [query, id, ref] = READ_ROUTES.map(exec) as [() => void, () => void, () => void];

  const setup = () => {
    if (!runtime.preflight) return;
    const first = READ_ROUTES[1]!;
    const res = http.get(urlPrefix(runtime.baseUrl, first) + encodeURIComponent(ids[0]!), {
      headers: { Authorization: auth }, timeout: '10s', tags: { name: 'preflight' }, responseType: 'text',
    });
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

  return { options, setup, query, id, ref, handleSummary };
}
