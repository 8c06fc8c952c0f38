// The write preflight (issue 12 item 5): before load the write bundles ask
// the target, with OPTIONS, which methods each write path serves, and refuse
// a plan it cannot serve, naming the route to drop. Pure rules, the reference
// target's OPTIONS answers, and the built bundles' setup() with k6 stubbed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWrites, writePreflight, writeProbes, type OptionsAnswer } from '../lib/preflight.ts';
import { runSampleSummaryId, teardownMessage } from '../lib/writes.ts';
import { startTarget } from '../tools/party-service/server.ts';
import { loadBundle, type Answer } from './helpers/k6.ts';

const SSID = runSampleSummaryId(4242);
const WRITES = ['post_businesses', 'post_parties', 'patch_parties', 'put_link'];
const TARGET = 'http://127.0.0.1:8081';

/** OPTIONS as each service version answers it, from the Allow headers observed on real copies. */
type Service = (path: string) => OptionsAnswer;
const current: Service = (path) => {
  if (path.endsWith('/businesses')) return { status: 200, error: '', allow: 'GET, HEAD, OPTIONS, POST' };
  if (path.endsWith('/parties')) return { status: 200, error: '', allow: 'PATCH, OPTIONS, POST' };
  if (path.includes('/businesses/sample/link/')) return { status: 200, error: '', allow: 'OPTIONS, PUT' };
  if (path.includes('/businesses/attributes/sample-summary/')) return { status: 200, error: '', allow: 'DELETE, OPTIONS' };
  return { status: 404, error: '', allow: null };
};
// 1.13.0 (the report's era): no PATCH /parties, no teardown DELETE route.
const v113: Service = (path) => {
  if (path.endsWith('/parties')) return { status: 200, error: '', allow: 'OPTIONS, POST' };
  if (path.includes('/businesses/attributes/sample-summary/')) return { status: 404, error: '', allow: null };
  return current(path);
};

const verdict = (routes: string[], service: Service) => {
  const probes = writeProbes(routes, SSID);
  return writePreflight(probes, probes.map((p) => service(p.path)), routes, TARGET);
};

test('one OPTIONS per distinct write path of the plan, then the teardown path; none without writes', () => {
  assert.deepEqual(writeProbes(['id', ...WRITES], SSID).map((p) => [p.path, p.uses.map((u) => u.method).join('+')]), [
    ['/party-api/v1/businesses', 'POST'],
    ['/party-api/v1/parties', 'POST+PATCH'],
    [`/party-api/v1/businesses/sample/link/${SSID}`, 'PUT'],
    [`/party-api/v1/businesses/attributes/sample-summary/${SSID}`, 'DELETE'],
  ]);
  assert.deepEqual(writeProbes(['patch_parties'], SSID).map((p) => p.path), ['/party-api/v1/parties', `/party-api/v1/businesses/attributes/sample-summary/${SSID}`]);
  assert.deepEqual(writeProbes(['query', 'id', 'ref'], SSID), []);
});

test('the current service: nothing to refuse, nothing to warn', () => {
  assert.deepEqual(verdict(WRITES, current), { problem: null, warnings: [] });
});

test('1.13.0: PATCH /parties refused naming the fix; the missing teardown route only warns', () => {
  const v = verdict(WRITES, v113);
  assert.ok(v.problem);
  assert.match(v.problem, /^party-perf: write preflight against http:\/\/127\.0\.0\.1:8081 failed, no load was sent:/);
  assert.match(v.problem, /this target does not accept PATCH \/parties \(Allow: OPTIONS, POST\): drop patch_parties from ROUTES/);
  assert.match(v.problem, /ROUTES=post_businesses,post_parties,put_link\b/);
  assert.doesNotMatch(v.problem, /POST \/parties|put_link from/, 'only the refused route is named');
  assert.equal(v.warnings.length, 1);
  assert.match(v.warnings[0]!, /no route DELETE \/businesses\/attributes\/sample-summary\/5a7e.*\(OPTIONS answered 404\): teardown will not be able to remove/);
  // Without PATCH in the plan, 1.13.0 serves it: the run goes on with the warning.
  assert.equal(verdict(['post_businesses', 'post_parties', 'put_link'], v113).problem, null);
});

test('the fix keeps the reads of a mixed plan; a plan the target cannot serve at all says so', () => {
  const mixed = verdict(['query', 'id', 'ref', 'patch_parties'], v113);
  assert.match(mixed.problem!, /ROUTES=query,id,ref\b/);
  const none = verdict(['patch_parties'], v113);
  assert.match(none.problem!, /drop patch_parties from ROUTES\nThis target serves none of the planned routes/);
});

test('a path the target does not route at all is refused as "no route"', () => {
  const noLink: Service = (path) => (path.includes('/sample/link/') ? { status: 404, error: '', allow: null } : current(path));
  assert.match(verdict(WRITES, noLink).problem!, /this target has no route PUT \/businesses\/sample\/link\/ \(OPTIONS answered 404\): drop put_link from ROUTES/);
});

test('a target that does not answer OPTIONS usefully: warned once per path, never stopped', () => {
  const noOptions: Service = () => ({ status: 405, error: '', allow: null });
  const v = verdict(WRITES, noOptions);
  assert.equal(v.problem, null);
  assert.equal(v.warnings.length, 4);
  assert.match(v.warnings[1]!, /could not ask the target which methods \/parties serves \(OPTIONS answered 405 without an Allow header\); post_parties, patch_parties run unchecked/);
});

test('checkWrites reads Allow in any header casing, and never echoes a password in the target', () => {
  const sent: string[] = [];
  const v = checkWrites(WRITES, SSID, 'http://admin:Pa55-word@127.0.0.1:9', (url) => {
    sent.push(url);
    const a = v113(new URL(url).pathname);
    const headers: Record<string, string> = a.allow === null ? {} : { allow: a.allow };
    return { status: a.status, error: '', headers };
  });
  assert.equal(sent.length, 4);
  assert.match(v.problem!, /against http:\/\/admin:\*\*\*@127\.0\.0\.1:9 failed/);
  assert.doesNotMatch(v.problem!, /Pa55-word/);
});

test('teardown on a service without the DELETE route says plainly that the route is missing', () => {
  const url = `${TARGET}/party-api/v1/businesses/attributes/sample-summary/${SSID}`;
  const body = '{"description":"The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."}';
  const m = teardownMessage(4242, url, { status: 404, error: '', body });
  assert.equal(m.ok, false);
  assert.match(m.line, /this target has no route DELETE \/businesses\/attributes\/sample-summary\/<sampleSummaryId> \(it answered 404; older party services, e\.g\. 1\.13\.0, lack it\)/);
  assert.match(m.line, /sample_summary_id = '5a7e0000-0000-4000-8000-000000004242'/);
  assert.doesNotMatch(m.line, /curl/, 'the same URL would answer 404 again');
});

test('the reference target answers OPTIONS as Flask does: 200, Allow, no auth, nothing changed', async () => {
  const t = await startTarget({ port: 0, quiet: true });
  try {
    const options = (path: string) => fetch(t.url + path, { method: 'OPTIONS' });
    const parties = await options('/party-api/v1/parties');
    assert.equal(parties.status, 200);
    assert.equal(parties.headers.get('allow'), 'OPTIONS, PATCH, POST'.split(', ').sort().join(', '));
    assert.equal(await parties.text(), '');
    assert.equal((await options('/party-api/v1/businesses')).headers.get('allow'), 'GET, HEAD, OPTIONS, POST');
    assert.equal((await options(`/party-api/v1/businesses/sample/link/${SSID}`)).headers.get('allow'), 'OPTIONS, PUT');
    assert.equal((await options(`/party-api/v1/businesses/attributes/sample-summary/${SSID}`)).headers.get('allow'), 'DELETE, OPTIONS');
    assert.equal((await options('/party-api/v1/no-such-path')).status, 404);
    // A wrong method keeps Flask's 405 and now says what the path allows.
    const wrong = await fetch(t.url + '/party-api/v1/parties', { method: 'PUT', headers: { Authorization: 'Basic ' + Buffer.from('admin:secret').toString('base64') } });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'OPTIONS, PATCH, POST');
    // OPTIONS ran no route: no hit, no query.
    const metrics = await (await fetch(t.url + '/metrics')).text();
    assert.match(metrics, /party_target_route_hits_total/, 'the counter exists');
    assert.doesNotMatch(metrics, /^party_target_(route_hits|queries_started)_total(\{[^}]*\})? [1-9]/m);
  } finally {
    await t.close();
  }
});

/** A respond() for the stubbed bundle: the read preflight passes; OPTIONS as `service` answers. */
const respondAs = (service: Service) => (req: { method: string; url: string }): Answer => {
  if (req.method !== 'OPTIONS') return { status: 200, error_code: 0, body: '[]' };
  const a = service(new URL(req.url).pathname);
  return { status: a.status, error_code: 0, error: '', body: '', headers: a.allow === null ? {} : { Allow: a.allow } };
};

test('dist/writes.js and dist/mixed.js: setup() stops on 1.13.0 before any write, runs on the current service', async () => {
  for (const bundle of ['writes', 'mixed']) {
    const old = await loadBundle(bundle, { env: { BASE_URL: TARGET }, respond: respondAs(v113) });
    assert.throws(() => old.mod.setup(), /does not accept PATCH \/parties \(Allow: OPTIONS, POST\): drop patch_parties from ROUTES/, bundle);
    assert.deepEqual(old.rec.requests.map((r) => r.method), ['GET', 'OPTIONS', 'OPTIONS', 'OPTIONS', 'OPTIONS'], `${bundle}: the read probe, then OPTIONS only`);
    assert.ok(old.rec.requests.every((r) => r.params.tags?.name === 'preflight'), 'tagged as preflight, left out of the results');

    const now = await loadBundle(bundle, { env: { BASE_URL: TARGET }, respond: respondAs(current) });
    assert.equal(typeof now.mod.setup().runId, 'number', bundle);
  }
  // PREFLIGHT=false: no OPTIONS at all.
  const off = await loadBundle('writes', { env: { BASE_URL: TARGET, PREFLIGHT: 'false' }, respond: respondAs(v113) });
  off.mod.setup();
  assert.equal(off.rec.requests.length, 0);
});
