// The write routes' request path in the VUs (writes.js, mixed.js). Every
// write creates a business of its own (lib/writes.ts) under the run's own
// sampleSummaryId; __VU 0's teardown removes what the run wrote.
import http from 'k6/http';
import type { Writes } from './shared.ts';
import { currentScenario, lane, onTime, record, runtime, type Lane } from './vu.ts';
import { API_PREFIX, WRITE_ROUTES } from '../routes.ts';
import { linkBody, runIdOf, runSampleSummaryId, withSample, writeRef, type RunData } from '../writes.ts';

export function vuWrites(): Writes {
  const rt = runtime;
  // By index in WRITE_ROUTES: post_businesses, post_parties, patch_parties, put_link.
  const lanes: Lane[] = [];

  /**
   * POST and PATCH. `patch`: PATCH always upserts, so every other iteration
   * of a VU re-sends the business its previous iteration created (an update
   * of this run's own business) and the others create one; a VU never races
   * itself, and no other VU has that ref.
   */
  const write = (i: number, shape: 'flat' | 'party', patch: boolean, data?: RunData): void => {
    onTime();
    let l = lanes[i];
    if (l === undefined) {
      const route = WRITE_ROUTES[i]!;
      l = lanes[i] = lane(route, rt.baseUrl + API_PREFIX + route.prefix, true);
    }
    // setup() hands every VU the test's run id (lib/k6/zero.ts).
    const id = runIdOf(data, rt.runId);
    if (id !== l.run) {
      l.run = id;
      l.parts = withSample(rt.bodies ? rt.bodies[shape] : [], runSampleSummaryId(id));
      l.previous = null;
    }
    let ref: string;
    if (!patch || l.previous === null) {
      // This iteration's sequence number, unique in the test (lib/writes.ts).
      // A fresh exec.scenario costs about 15 us; the VU's own reads the same values live.
      const sc = currentScenario();
      const first = rt.writeBases[sc.name];
      if (first === undefined) throw new Error(`party-perf: scenario ${sc.name} is not a planned write scenario`);
      ref = writeRef(id, first + sc.iterationInTest);
      if (patch) l.previous = ref;
    } else {
      ref = l.previous;
      l.previous = null;
    }
    record(l, http.request(l.route.method, l.url, l.parts.join(ref), l.params));
  };

  // Links every business of the run's sample to the run's collection
  // exercise: what makes them readable, as the sample service does.
  const link = (data?: RunData): void => {
    onTime();
    const l = lanes[3] || (lanes[3] = lane(WRITE_ROUTES[3]!, '', true));
    const id = runIdOf(data, rt.runId);
    if (id !== l.run) {
      l.run = id;
      l.url = rt.baseUrl + API_PREFIX + l.route.prefix + runSampleSummaryId(id);
      l.parts = [linkBody(id)];
    }
    record(l, http.put(l.url, l.parts[0]!, l.params));
  };

  return {
    post_businesses: (data) => write(0, 'flat', false, data),
    post_parties: (data) => write(1, 'party', false, data),
    patch_parties: (data) => write(2, 'party', true, data),
    put_link: link,
  };
}
