// The write routes' glue (scenarios/writes.ts, scenarios/mixed.ts). Every
// write creates a business of its own (lib/writes.ts) under the run's own
// sampleSummaryId; teardown removes what the run wrote.
//
// The run id: each instance's first init context picks one (runtime), but
// setup() runs once per test, on one instance, and k6 hands what it returns
// to every VU of every instance: that is the run id all writes and the
// teardown use, so a distributed run writes under one sample.
import http from 'k6/http';
import execution from 'k6/execution';
import { core, type Core } from './core.ts';
import { reads, type Reads } from './suite.ts';
import { API_PREFIX, DELETE_SAMPLE_PREFIX, WRITE_ROUTES, type Route } from '../routes.ts';
import { linkBody, runSampleSummaryId, withSample, writeRef, type RunData } from '../writes.ts';

type Exec = (data?: RunData) => void;

export interface Writes {
  post_businesses: Exec;
  post_parties: Exec;
  patch_parties: Exec;
  put_link: Exec;
}

export interface WritesSuite extends Reads, Writes {
  options: object;
  setup: () => RunData;
  teardown: (data?: RunData) => void;
  handleSummary: (data: object) => Record<string, string>;
}

const [POST_BUSINESSES, POST_PARTIES, PATCH_PARTIES, PUT_LINK] = WRITE_ROUTES as [Route, Route, Route, Route];

export function writes(c: Core): Writes {
  const rt = c.runtime;
  const base = rt.baseUrl + API_PREFIX;
  const runOf = (data?: RunData): number => (data && typeof data.runId === 'number' ? data.runId : rt.runId);

  /** This iteration's sequence number: unique in the test (lib/writes.ts). */
  const seq = (): number => {
    // exec.scenario costs per access (test/fixtures/k6-v0.49/README.md): read once, and only on writes.
    const sc = execution.scenario;
    const first = rt.writeBases[sc.name];
    if (first === undefined) throw new Error(`party-perf: scenario ${sc.name} is not a planned write scenario`);
    return first + sc.iterationInTest;
  };

  /**
   * One exec function per write route. `patch`: PATCH always upserts, so every
   * other iteration of a VU re-sends the business its previous iteration
   * created (an update of this run's own business) and the others create one;
   * a VU never races itself, and no other VU has that ref.
   */
  const exec = (route: Route, shape: 'flat' | 'party', patch: boolean): Exec => {
    const url = base + route.prefix;
    const params = c.params(route, true);
    const record = c.recorder(route);
    let run = -1;
    let parts: string[] = [];
    let previous: string | null = null;
    return (data) => {
      const id = runOf(data);
      if (id !== run) {
        run = id;
        parts = withSample(rt.bodies ? rt.bodies[shape] : [], runSampleSummaryId(id));
        previous = null;
      }
      let ref: string;
      if (!patch || previous === null) {
        ref = writeRef(id, seq());
        if (patch) previous = ref;
      } else {
        ref = previous;
        previous = null;
      }
      record(http.request(route.method, url, parts.join(ref), params));
    };
  };

  // Links every business of the run's sample to the run's collection
  // exercise: what makes them readable, as the sample service does.
  const link = (): Exec => {
    const params = c.params(PUT_LINK, true);
    const record = c.recorder(PUT_LINK);
    let run = -1;
    let url = '';
    let body = '';
    return (data) => {
      const id = runOf(data);
      if (id !== run) {
        run = id;
        url = base + PUT_LINK.prefix + runSampleSummaryId(id);
        body = linkBody(id);
      }
      record(http.put(url, body, params));
    };
  };

  return {
    post_businesses: exec(POST_BUSINESSES, 'flat', false),
    post_parties: exec(POST_PARTIES, 'party', false),
    patch_parties: exec(PATCH_PARTIES, 'party', true),
    put_link: link(),
  };
}

export function writesSuite(profile: string): WritesSuite {
  const c = core(profile, true);
  const rt = c.runtime;
  // Before load: the read preflight, then one OPTIONS per write path the plan
  // uses (changes nothing); the cold part decides, this only sends.
  const setup = (): RunData => {
    c.preflight();
    if (rt.preflight && rt.writes) {
      const verdict = c.cold().checkWrites(rt.routes, runSampleSummaryId(rt.runId), rt.baseUrl,
        (url) => http.options(url, null, { headers: { Authorization: c.auth }, timeout: '10s', tags: { name: 'preflight' } }));
      for (const w of verdict.warnings) console.warn(w);
      if (verdict.problem) throw new Error(verdict.problem);
    }
    return { runId: rt.runId };
  };
  // Removes the attributes every business of the run's sample got (the API
  // has no route that deletes a business itself). Runs once: the message is cold.
  const teardown = (data?: RunData): void => {
    if (!rt.writes) return;
    const runId = data && typeof data.runId === 'number' ? data.runId : rt.runId;
    const url = rt.baseUrl + API_PREFIX + DELETE_SAMPLE_PREFIX + runSampleSummaryId(runId);
    const res = http.del(url, null, { headers: { Authorization: c.auth }, timeout: '60s', tags: { name: 'teardown' }, responseType: 'text' });
    const m = c.cold().teardownMessage(runId, url, { status: res.status, error: res.error, body: typeof res.body === 'string' ? res.body : '' });
    if (m.ok) console.log(m.line);
    else console.warn(m.line);
  };
  const r = reads(c);
  const w = writes(c);
  // No object spread: es2017 output would carry esbuild's spread helpers into every VU.
  return {
    options: c.options, setup, teardown, handleSummary: c.handleSummary,
    query: r.query, id: r.id, ref: r.ref,
    post_businesses: w.post_businesses, post_parties: w.post_parties, patch_parties: w.patch_parties, put_link: w.put_link,
  };
}
