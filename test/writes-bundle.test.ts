// dist/writes.js and dist/mixed.js as k6 gets them, loaded with k6's modules
// stubbed (test/helpers/k6.ts): options, each write route's request, the
// classification of its answers, body validation, setup and teardown.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../build.mjs';
import { loadBundle, repo, type Answer } from './helpers/k6.ts';
import { parseConfig } from '../lib/config.ts';
import { k6Options, statusCheckName } from '../lib/plan.ts';
import { withCloud } from '../lib/cloud.ts';
import { flatBody, partyBody, runCollectionExerciseId, runSampleSummaryId, writeBases, writeRef, type Template } from '../lib/writes.ts';

const TEMPLATE = JSON.parse(readFileSync(join(repo, 'data/templates/business.json'), 'utf8')) as Template;
const AUTH = `Basic ${Buffer.from('u:p').toString('base64')}`;
const ENV = { SEED: '7', TIMEOUT: '5s', PARTY_USER: 'u', PARTY_PASSWORD: 'p' };
const BASES = writeBases(parseConfig({}, 'writes').plan);
const RUN = 777;
const SSID = runSampleSummaryId(RUN);

/** What the service answers a write: to_post_response_dict of the body sent. */
function writtenAnswer(body: string): Answer {
  const b = JSON.parse(body) as Record<string, any>;
  const attributes = b.attributes ?? Object.fromEntries(Object.entries(b).filter(([k]) => !['sampleUnitRef', 'sampleUnitType', 'sampleSummaryId'].includes(k)));
  const answer = {
    attributes, id: '3f1c2a9e-0000-4000-8000-000000000001', name: `${attributes.runame1} ${attributes.runame2} ${attributes.runame3}`,
    sampleSummaryId: b.sampleSummaryId, sampleUnitRef: b.sampleUnitRef, sampleUnitType: 'B', trading_as: attributes.tradstyle1,
  };
  return { status: 200, error_code: 0, body: JSON.stringify(answer) };
}

/** A target that answers each write as the service does. */
function serviceLike(req: { method: string; url: string; body?: unknown }): Answer {
  if (req.method === 'PUT') {
    const sample = req.url.slice(req.url.lastIndexOf('/') + 1);
    return { status: 200, error_code: 0, body: JSON.stringify({ ...JSON.parse(String(req.body)), sampleSummaryId: sample }) };
  }
  if (req.method === 'DELETE') return { status: 204, error_code: 0, body: '' };
  if (req.method === 'GET') return { status: 200, error_code: 0, body: '[]' };
  // The write preflight: Flask's Allow header for each path (the current service).
  if (req.method === 'OPTIONS') {
    const allow = req.url.endsWith('/parties') ? 'PATCH, OPTIONS, POST' : req.url.endsWith('/businesses') ? 'GET, HEAD, OPTIONS, POST'
      : req.url.includes('/sample/link/') ? 'OPTIONS, PUT' : 'DELETE, OPTIONS';
    return { status: 200, error_code: 0, body: '', headers: { Allow: allow } };
  }
  return writtenAnswer(String(req.body));
}

const k6state = () => (globalThis as any).__k6;
const inScenario = (name: string, iterationInTest: number) => { k6state().scenario = { name, iterationInTest }; };

/** Runs `fn` with console.log/warn captured. */
function capture<T>(fn: () => T): { value: T; logs: string[]; warns: string[] } {
  const logs: string[] = [];
  const warns: string[] = [];
  const [log, warn] = [console.log, console.warn];
  console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
  console.warn = (...a: unknown[]) => { warns.push(a.join(' ')); };
  try {
    return { value: fn(), logs, warns };
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

async function vu(env: Record<string, string> = ENV, respond: (req: any) => Answer = serviceLike, name = 'writes') {
  const first = await loadBundle(name, { env });
  const loaded = await loadBundle(name, { env, vu: 1, shared: first.shared, respond });
  // k6 runs setup and teardown in a __VU 0 context of their own, after the
  // first. Loaded on demand: a bundle loaded later takes over the k6 stubs.
  const zero = () => loadBundle(name, { env, vu: 0, shared: first.shared, respond });
  return { ...loaded, first, zero };
}

before(async () => {
  await build({ quiet: true, write: false });
});

test('VU 0: the writes and mixed plans, no data file for writes alone, the run announced once', async () => {
  const { mod, rec } = await loadBundle('writes', { env: {} });
  const c = parseConfig({}, 'writes');
  assert.deepEqual(mod.options, withCloud(k6Options(c.plan), c.cloud));
  assert.deepEqual(rec.opened, [], 'writes alone read no seeded data');
  assert.equal(rec.logs.filter((l) => /writes create businesses of their own: run \d+, sampleSummaryId 5a7e0000-/.test(l)).length, 1);
  for (const fn of ['setup', 'teardown', 'handleSummary', 'query', 'id', 'ref', 'post_businesses', 'post_parties', 'patch_parties', 'put_link']) {
    assert.equal(typeof mod[fn], 'function', fn);
  }
  // Every exec a scenario names is exported.
  for (const s of Object.values(mod.options.scenarios) as Array<{ exec: string }>) assert.equal(typeof mod[s.exec], 'function', s.exec);

  const mixed = await loadBundle('mixed', { env: {} });
  const m = parseConfig({}, 'mixed');
  assert.deepEqual(mixed.mod.options, withCloud(k6Options(m.plan), m.cloud));
  assert.deepEqual(mixed.rec.opened, ['../data/businesses.csv']);
  for (const s of Object.values(mixed.mod.options.scenarios) as Array<{ exec: string }>) assert.equal(typeof mixed.mod[s.exec], 'function', s.exec);
  const viaEnv = await loadBundle('writes', { env: { PROFILE: 'mixed' } });
  assert.deepEqual(viaEnv.mod.options, mixed.mod.options, 'PROFILE=mixed on writes.js is the same run');
});

test('the read bundles refuse write routes before k6 would (no exec function), naming the bundles that have them', async () => {
  await assert.rejects(loadBundle('report', { env: { ROUTES: 'id,post_parties' } }), /post_parties are write routes: run them with dist\/writes\.js or dist\/mixed\.js/);
  await assert.rejects(loadBundle('smoke', { env: { PROFILE: 'writes' } }), /write routes/);
});

test('setup: a probe that needs no seeded data, then the run id every instance uses', async () => {
  const v = await vu();
  const first = v.first;
  const { mod, rec } = await v.zero();
  const runtimeRunId = (JSON.parse(first.shared.get('party-perf:runtime')!) as Array<{ runId: number }>)[0]!.runId;
  const data = mod.setup();
  assert.deepEqual(data, { runId: runtimeRunId });
  // The read probe, then one OPTIONS per write path and the teardown's (test/write-preflight.test.ts).
  assert.deepEqual(rec.requests.map((r) => r.method), ['GET', 'OPTIONS', 'OPTIONS', 'OPTIONS', 'OPTIONS']);
  assert.equal(rec.requests[0]!.url, 'http://127.0.0.1:8081/party-api/v1/businesses?id=00000000-0000-4000-8000-000000000000');
  assert.equal(rec.requests[0]!.params.headers?.Authorization, AUTH);
  const down = await vu(ENV, () => ({ status: 0, error_code: 1212, error: 'dial: connection refused' }));
  const downZero = await down.zero();
  assert.throws(() => downZero.mod.setup(), /does not answer/);
});

test('POST /businesses: the flat body of a fresh ref of this run, JSON, auth, classified', async () => {
  const { mod, rec } = await vu();
  inScenario('post_businesses_c40_o100', 5);
  mod.post_businesses({ runId: RUN });
  const r = rec.requests[0]!;
  assert.equal(r.method, 'POST');
  assert.equal(r.url, 'http://127.0.0.1:8081/party-api/v1/businesses');
  const ref = writeRef(RUN, BASES['post_businesses_c40_o100']! + 5);
  assert.deepEqual(JSON.parse(String(r.body)), flatBody(TEMPLATE, ref, SSID));
  assert.equal(r.params.headers?.['Content-Type'], 'application/json');
  assert.equal(r.params.headers?.Authorization, AUTH);
  assert.equal(r.params.timeout, 5000);
  assert.equal(r.params.tags, undefined, 'the name tag is the scenario\'s (lib/plan.ts)');
  assert.equal(r.params.responseType, 'text', 'validated: the body is asked for');
  // A success is its passing check alone: the Counter counts the other classes.
  assert.deepEqual(rec.metrics, []);
  assert.deepEqual(rec.checks.map((c) => [c.name, c.ok]), [['status is expected', true]]);
});

test('POST /parties: attributes nested; other write scenarios get refs of their own', async () => {
  const { mod, rec } = await vu();
  inScenario('post_parties_c40_o500', 0);
  mod.post_parties({ runId: RUN });
  inScenario('post_parties_c40_o100', 0);
  mod.post_parties({ runId: RUN });
  const [a, b] = rec.requests.map((r) => JSON.parse(String(r.body)));
  assert.equal(rec.requests[0]!.method, 'POST');
  assert.equal(rec.requests[0]!.url, 'http://127.0.0.1:8081/party-api/v1/parties');
  assert.deepEqual(a, partyBody(TEMPLATE, writeRef(RUN, BASES['post_parties_c40_o500']!), SSID));
  assert.notEqual(a.sampleUnitRef, b.sampleUnitRef, 'iteration 0 of two scenarios of the same route');
  assert.deepEqual(rec.checks.map((c) => c.ok), [true, true]);
});

test('PATCH /parties: creates a business, then upserts that same one, then creates the next', async () => {
  const { mod, rec } = await vu();
  for (const it of [3, 9, 10]) {
    inScenario('patch_parties_c40_o100', it);
    mod.patch_parties({ runId: RUN });
  }
  const refs = rec.requests.map((r) => JSON.parse(String(r.body)).sampleUnitRef);
  const base = BASES['patch_parties_c40_o100']!;
  assert.deepEqual(refs, [writeRef(RUN, base + 3), writeRef(RUN, base + 3), writeRef(RUN, base + 10)]);
  assert.ok(rec.requests.every((r) => r.method === 'PATCH' && r.url.endsWith('/party-api/v1/parties')));
  assert.deepEqual(JSON.parse(String(rec.requests[1]!.body)), partyBody(TEMPLATE, refs[0], SSID));
  assert.deepEqual(rec.checks.map((c) => c.ok), [true, true, true]);
});

test('PUT link: the run sample to the run collection exercise', async () => {
  const { mod, rec } = await vu();
  mod.put_link({ runId: RUN });
  const r = rec.requests[0]!;
  assert.equal(r.method, 'PUT');
  assert.equal(r.url, `http://127.0.0.1:8081/party-api/v1/businesses/sample/link/${SSID}`);
  assert.deepEqual(JSON.parse(String(r.body)), { collectionExerciseId: runCollectionExerciseId(RUN) });
  assert.equal(r.params.headers?.['Content-Type'], 'application/json');
  assert.equal(r.params.headers?.Authorization, AUTH);
  assert.deepEqual(rec.checks.map((c) => c.ok), [true]);
});

test('without setup data (--no-setup) the instance run id is used', async () => {
  const { mod, rec, first } = await vu();
  const runId = (JSON.parse(first.shared.get('party-perf:runtime')!) as Array<{ runId: number }>)[0]!.runId;
  mod.put_link();
  assert.ok(rec.requests[0]!.url.endsWith(runSampleSummaryId(runId)));
});

test('answers: 409 and 400 are other, 5xx server_error, none no_response; a 200 with a wrong body is invalid', async () => {
  const answers: Answer[] = [
    { status: 409, error_code: 1409, body: '{"description":"party already exists for sample"}' },
    { status: 400, error_code: 1400, body: '{"description":["\'runame1\' is a required property"]}' },
    { status: 500, error_code: 1500, body: '{}' },
    { status: 0, error_code: 1050, error: 'request timeout' },
    { status: 200, error_code: 0, body: '{}' },
    { status: 200, error_code: 0, body: 'not json' },
  ];
  let i = 0;
  const { mod, rec } = await vu(ENV, () => answers[i++]!);
  inScenario('post_parties_c40_o100', 0);
  const { warns } = capture(() => { for (let k = 0; k < answers.length; k++) mod.post_parties({ runId: RUN }); });
  assert.deepEqual(rec.metrics.map((m) => m.tags), [
    { class: 'other' }, { class: 'other' }, { class: 'server_error' }, { class: 'no_response', cause: 'timeout' }, { class: 'invalid' }, { class: 'invalid' },
  ]);
  // One failed check per answer: an unexpected HTTP status names its scenario and status, the others fail the common one.
  const answerChecks = rec.checks.filter((c) => !c.name.startsWith('body matches'));
  assert.deepEqual(answerChecks.map((c) => [c.name, c.ok]), [
    ...[409, 400, 500].map((s) => [statusCheckName('post_parties_c40_o100', s), false]),
    ...Array.from({ length: 3 }, () => ['status is expected', false]),
  ], 'an invalid body fails the check too');
  assert.equal(warns.length, 1, 'the first schema problem, once per route and VU');
  assert.match(warns[0]!, /POST \/parties answered 200 with a body that does not match its schema \(class invalid.*\): \(root\) must have required property 'id'/);
  // Another route of the same VU reports its own first problem.
  answers.push({ status: 200, error_code: 0, body: '{"collectionExerciseId":"nope","sampleSummaryId":"5a7e0000-0000-4000-8000-000000000777"}' });
  const w2 = capture(() => mod.put_link({ runId: RUN }));
  assert.equal(rec.metrics.at(-1)!.tags.class, 'invalid');
  assert.match(w2.warns.join('\n'), /PUT \/businesses\/sample\/link\/ answered 200.*\/collectionExerciseId must match pattern/);
});

test('reads are validated too: a 200 with the wrong shape is invalid, not success', async () => {
  // id gets a list and an error envelope, query a summary-less object: none is its route's shape.
  const bodies = ['[]', '{"description":"x"}', '{"description":"x"}'];
  let i = 0;
  // The report profile leaves validation off by default (weight per VU); VALIDATE=true turns it on.
  const { mod, rec } = await vu({ ...ENV, VALIDATE: 'true' }, () => ({ status: 200, error_code: 0, body: bodies[i++] }), 'report');
  const { warns } = capture(() => { mod.id(); mod.id(); mod.query(); });
  assert.deepEqual(rec.metrics.map((m) => m.tags.class), ['invalid', 'invalid', 'invalid']);
  assert.equal(rec.requests[0]!.params.responseType, 'text');
  assert.equal(warns.length, 2, 'once for id, once for query');
  assert.match(warns[0]!, /\/businesses\/id\/ answered 200.*\(root\) must be object/);
  // The first problem per VU and route also reaches handleSummary, as a failed check named after it.
  const named = rec.checks.filter((c) => c.name.startsWith('body matches its schema: ')).map((c) => [c.name, c.ok]);
  assert.deepEqual(named, [['body matches its schema: /businesses/id/ | (root) must be object', false], ['body matches its schema: /businesses?id= | (root) must be array', false]]);
});

test('VALIDATE: on, a VU compiles the validators (and no other cold part); off, nothing, and bodies are not asked for', async () => {
  const on = await vu();
  assert.equal(on.rec.compiled, 1);
  const validate = (await build({ quiet: true, write: false })).sources.validate as string;
  assert.ok(validate.includes('^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'), 'the cold part is the generated validator code');
  assert.ok(!/new Ajv|ajv\/dist\/compile|KeywordCxt/.test(readFileSync(join(repo, 'dist/writes.cjs'), 'utf8')), 'no ajv compiler in the bundle');

  const off = await vu({ ...ENV, VALIDATE: 'false' }, () => ({ status: 200, error_code: 0, body: 'whatever' }));
  assert.equal(off.rec.compiled, 0);
  inScenario('post_businesses_c40_o100', 1);
  off.mod.post_businesses({ runId: RUN });
  off.mod.id();
  assert.equal(off.rec.requests[0]!.params.responseType, undefined, 'discardResponseBodies applies');
  assert.deepEqual(off.rec.checks.map((c) => c.ok), [true, true]);
  assert.match(off.first.rec.logs.join('\n'), /200 bodies are not validated \(profile writes; VALIDATE=true checks them\)/);
});

test('teardown: one DELETE of the run sample, logging what it removed or why it could not', async () => {
  const { mod, rec } = await (await vu()).zero();
  const ok = capture(() => mod.teardown({ runId: RUN }));
  assert.equal(rec.requests.length, 1);
  const r = rec.requests[0]!;
  assert.equal(r.method, 'DELETE');
  assert.equal(r.url, `http://127.0.0.1:8081/party-api/v1/businesses/attributes/sample-summary/${SSID}`);
  assert.equal(r.params.headers?.Authorization, AUTH);
  assert.equal(r.params.tags?.name, 'teardown');
  assert.match(ok.logs.join('\n'), /teardown removed the attributes this run wrote \(run 777, sampleSummaryId 5a7e0000-0000-4000-8000-000000000777\): DELETE answered 204/);
  assert.deepEqual(rec.metrics, [], 'cleanup is not load: no response class counted');

  const down = await vu(ENV, () => ({ status: 0, error_code: 1212, error: 'dial: connection refused' }));
  const downZero = await down.zero();
  const bad = capture(() => downZero.mod.teardown({ runId: RUN }));
  assert.match(bad.warns.join('\n'), /could not remove.*connection refused.*curl -u "\$PARTY_USER:\$PARTY_PASSWORD" -X DELETE http:\/\/127\.0\.0\.1:8081\/party-api\/v1\/businesses\/attributes\/sample-summary\/5a7e0000-0000-4000-8000-000000000777/);

  const none = await vu({ ...ENV, PROFILE: 'smoke' });
  const noneZero = await none.zero();
  noneZero.mod.teardown({ runId: RUN });
  assert.equal(noneZero.rec.requests.length, 0, 'a run without writes has nothing to clean');
});
