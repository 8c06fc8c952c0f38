// The pure side of the writes: unique refs, bodies, the template, the plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  bodyMaker, bodyParts, flatBody, INTEGER_KEYS, linkBody, MAX_RUN_ID, MAX_WRITES_PER_RUN, partyBody, plannedWrites,
  REF_LENGTH, runCollectionExerciseId, runIdFrom, runSampleSummaryId, teardownMessage, templateProblems, withSample,
  writeBases, writeRef, type Template,
} from '../lib/writes.ts';
import { buildPlan, k6Thresholds, gateThresholds } from '../lib/plan.ts';
import { PROFILES, type Profile } from '../lib/profiles.ts';
import { isWrite, routeByKey, routeKeys, WRITE_ROUTES } from '../lib/routes.ts';
import { mulberry32 } from '../lib/rng.ts';
import { UUID_RE } from '../lib/data.ts';
import { parseConfig } from '../lib/config.ts';
import { prepare } from '../lib/cold/init.ts';
import { CLASS_LABELS, CLASSES, INVALID } from '../lib/classify.ts';

const TEMPLATE = JSON.parse(readFileSync(new URL('../data/templates/business.json', import.meta.url), 'utf8')) as Template;
const POST_EXAMPLE = JSON.parse(readFileSync(new URL('fixtures/party-api/post-business.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const SSID = runSampleSummaryId(4242);

test('refs: 11 digits, outside the seeded range, distinct for every (run, sequence)', () => {
  const seen = new Map<string, string>();
  const add = (run: number, seq: number) => {
    const ref = writeRef(run, seq);
    assert.match(ref, /^8\d{10}$/);
    assert.equal(ref.length, REF_LENGTH);
    const who = `${run}/${seq}`;
    const before = seen.get(ref);
    assert.ok(before === undefined || before === who, `${ref} from ${before} and ${who}`);
    seen.set(ref, who);
  };
  // Edges, then many random pairs.
  for (const run of [0, 1, 9, 10, 99_999]) for (const seq of [0, 1, 9, 10, 99_999]) add(run, seq);
  const random = mulberry32(7);
  for (let i = 0; i < 50_000; i++) add(Math.floor(random() * MAX_RUN_ID), Math.floor(random() * MAX_WRITES_PER_RUN));
  assert.ok(seen.size > 49_000);
  assert.equal(runIdFrom(0), 0);
  assert.equal(runIdFrom(0.999999999), MAX_RUN_ID - 1);
});

test('refs of a run: every planned write, across VUs and k6 instances, gets its own', () => {
  // k6 numbers each scenario's iterations 0..count-1 across the whole test
  // (iterationInTest, unique across instances with execution segments); a
  // write scenario's sequence is its base plus that number.
  for (const name of ['writes', 'mixed'] as const) {
    const plan = buildPlan(PROFILES[name]!);
    const bases = writeBases(plan);
    const writeScenarios = plan.scenarios.filter((s) => isWrite(s.route));
    assert.deepEqual(Object.keys(bases), writeScenarios.map((s) => s.name));
    const refs = new Set<string>();
    // Split each scenario's iterations over 3 instances the way segments do (interleaved), then over VUs: the ref depends on neither.
    for (const s of writeScenarios) {
      for (let instance = 0; instance < 3; instance++) {
        for (let it = instance; it < s.count; it += 3) refs.add(writeRef(123, bases[s.name]! + it));
      }
    }
    assert.equal(refs.size, plannedWrites(plan), `${name}: one ref per planned write`);
    // Another run never reuses them.
    for (const s of writeScenarios) for (let it = 0; it < s.count; it++) assert.ok(!refs.has(writeRef(124, bases[s.name]! + it)));
  }
});

test('run ids: the sample and collection exercise are UUIDs naming the run', () => {
  assert.match(SSID, UUID_RE);
  assert.ok(SSID.endsWith('000000004242'));
  assert.notEqual(SSID, '5a000000-0000-4000-8000-000000000001', 'never the seeded sample');
  assert.match(runCollectionExerciseId(4242), UUID_RE);
  assert.deepEqual(JSON.parse(linkBody(4242)), { collectionExerciseId: runCollectionExerciseId(4242) });
});

test('the template: the real POST body with placeholders, and the rules the README states', () => {
  assert.deepEqual(templateProblems(TEMPLATE), []);
  assert.deepEqual(Object.keys(TEMPLATE).sort(), Object.keys(POST_EXAMPLE).sort(), 'same keys as a real POST /businesses body');
  for (const [k, v] of Object.entries(POST_EXAMPLE)) assert.equal(typeof TEMPLATE[k], typeof v, `${k} has the real body's type`);
  const bad = { ...TEMPLATE, froempment: '12', frotover: 1.5 } as Record<string, unknown>;
  delete bad.tradstyle2;
  delete bad.runame3;
  const problems = templateProblems(bad);
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.match(problems.join('\n'), /runame3 is missing/);
  assert.match(problems.join('\n'), /tradstyle2 is missing.*500/);
  assert.match(problems.join('\n'), /froempment must be an integer/);
  assert.match(problems.join('\n'), /frotover must be an integer/);
  assert.match(templateProblems({ ...TEMPLATE, sampleUnitRef: '49900000001' }).join(), /must contain \{ref\}/);
  assert.match(templateProblems({ ...TEMPLATE, sampleUnitType: 'BI' }).join(), /must be "B"/);
  assert.match(templateProblems([]).join(), /JSON object/);
});

test('POST /businesses body: flat, required keys, integers, tradstyle keys, the run sample', () => {
  const b = flatBody(TEMPLATE, '81234500007', SSID);
  for (const k of ['sampleUnitRef', 'sampleUnitType', 'sampleSummaryId', 'runame1', 'runame2', 'runame3', 'tradstyle1', 'tradstyle2', 'tradstyle3']) assert.ok(k in b, k);
  for (const k of INTEGER_KEYS) assert.ok(Number.isInteger(b[k]), k);
  assert.equal(b.sampleUnitRef, '81234500007');
  assert.equal(b.ruref, '81234500007');
  assert.equal(b.sampleSummaryId, SSID);
  assert.equal(b.sampleUnitType, 'B');
  assert.ok(!JSON.stringify(b).includes('{'.concat('ref}')), 'every placeholder is filled');
  assert.ok(!('attributes' in b));
});

test('POST/PATCH /parties body: the same fields, attributes nested', () => {
  const b = partyBody(TEMPLATE, '81234500007', SSID) as { attributes: Record<string, unknown> } & Record<string, unknown>;
  assert.deepEqual(Object.keys(b).sort(), ['attributes', 'sampleSummaryId', 'sampleUnitRef', 'sampleUnitType']);
  assert.equal(b.sampleUnitRef, '81234500007');
  assert.equal(b.sampleSummaryId, SSID);
  assert.equal(b.sampleUnitType, 'B');
  const flat = flatBody(TEMPLATE, '81234500007', SSID);
  for (const [k, v] of Object.entries(flat)) if (!['sampleUnitRef', 'sampleUnitType', 'sampleSummaryId'].includes(k)) assert.deepEqual(b.attributes[k], v, k);
  for (const k of ['runame1', 'runame2', 'runame3', 'tradstyle1', 'tradstyle2', 'tradstyle3']) assert.ok(k in b.attributes, k);
  for (const k of INTEGER_KEYS) assert.ok(Number.isInteger(b.attributes[k]), k);
});

test('bodyMaker: pieces cut once give exactly the serialised bodies', () => {
  for (const ref of ['81234500000', '89999999999']) {
    assert.deepEqual(JSON.parse(bodyMaker(TEMPLATE, 'flat', SSID)(ref)), flatBody(TEMPLATE, ref, SSID));
    assert.deepEqual(JSON.parse(bodyMaker(TEMPLATE, 'party', SSID)(ref)), partyBody(TEMPLATE, ref, SSID));
  }
  // The cold part cuts them; JSON round trip (SharedArray) keeps them usable.
  const parts = JSON.parse(JSON.stringify(bodyParts(TEMPLATE, 'flat'))) as string[];
  assert.equal(withSample(parts, SSID).join('81234500001'), JSON.stringify(flatBody(TEMPLATE, '81234500001', SSID)));
});

test('write routes: short keys, labels, methods, the 200 the service answers', () => {
  assert.deepEqual(WRITE_ROUTES.map((r) => [r.key, r.method, r.label, r.expectedStatus]), [
    ['post_businesses', 'POST', 'POST /businesses', 200],
    ['post_parties', 'POST', 'POST /parties', 200],
    ['patch_parties', 'PATCH', 'PATCH /parties', 200],
    ['put_link', 'PUT', 'PUT /businesses/sample/link/', 200],
  ]);
  for (const k of routeKeys()) assert.match(k, /^[a-z][a-z_]*$/, 'an exec function name and ROUTES value');
  assert.equal(routeByKey('put_link')?.kind, 'write');
  assert.equal(routeByKey('id')?.kind, 'read');
});

test('config: ROUTES takes the write keys; the writes profile plans them', () => {
  const c = parseConfig({ ROUTES: 'post_businesses,put_link', COUNTS: '20', OFFSETS: '100' }, 'writes');
  assert.deepEqual(c.plan.scenarios.map((s) => s.name), ['post_businesses_c20_o100', 'put_link_c20_o100']);
  assert.deepEqual(Object.keys(k6Thresholds(c.plan)).filter((k) => k.includes('class:invalid')).sort(), [
    'party_responses{class:invalid}', 'party_responses{scenario:post_businesses_c20_o100,class:invalid}', 'party_responses{scenario:put_link_c20_o100,class:invalid}',
  ]);
});

test('invalid: its own class and label, never a success, gated at zero', () => {
  assert.ok((CLASSES as readonly string[]).includes('invalid'));
  assert.equal(CLASS_LABELS.invalid, 'Invalid body');
  assert.equal(INVALID.class, 'invalid');
  assert.ok(Object.isFrozen(INVALID));
  assert.deepEqual(gateThresholds(PROFILES.smoke!.gates)['party_responses{class:invalid}'], ['count<=0']);
});

test('mixed: reads and writes side by side, writes at the profile ratio, same duration', () => {
  const plan = buildPlan(PROFILES.mixed!);
  const reads = plan.scenarios.filter((s) => !isWrite(s.route));
  const writes = plan.scenarios.filter((s) => isWrite(s.route));
  assert.equal(reads.length, 3);
  assert.equal(writes.length, 4);
  assert.ok(plan.scenarios.every((s) => s.startMs === 0), 'one group: side by side');
  const share = plannedWrites(plan) / plan.requests;
  assert.ok(Math.abs(share - PROFILES.mixed!.writeRatio!) < 0.005, `writes are ${share} of requests`);
  for (const w of writes) assert.ok(Math.abs(w.durationMs - reads[0]!.durationMs) <= w.offset, `${w.name} lasts as long as the reads`);
  // Another ratio, and a profile that does not mix, are planned as asked.
  const p: Profile = { ...PROFILES.mixed!, writeRatio: 0.2, counts: [300], offsets: [200] };
  const p2 = buildPlan(p);
  assert.ok(Math.abs(plannedWrites(p2) / p2.requests - 0.2) < 0.01);
  const same = buildPlan({ ...PROFILES.writes!, writeRatio: 0.2 });
  assert.ok(same.scenarios.every((s) => s.count === 40), 'writes alone: the ratio has nothing to scale against');
});

test('cold prepare: VALIDATE, the run id, the bodies, the capacity of a run', () => {
  const p = prepare({}, 'writes', 1, 0.5);
  assert.equal(p.runtime.validate, true);
  assert.equal(p.runtime.writes, true);
  assert.equal(p.runtime.reads, false);
  assert.equal(p.runtime.runId, 50_000);
  assert.ok(p.runtime.bodies && p.runtime.bodies.flat.length === 1 + (JSON.stringify(TEMPLATE).split('{ref}').length - 1));
  assert.match(p.banner.join('\n'), /run 50000, sampleSummaryId 5a7e0000-0000-4000-8000-000000050000/);
  assert.equal(prepare({ VALIDATE: 'false' }, 'smoke', 1).runtime.validate, false);
  assert.equal(prepare({}, 'smoke', 1).runtime.bodies, null);
  assert.throws(() => prepare({ VALIDATE: 'yes', COUNTS: 'x' }, 'smoke', 1), (e: Error) => {
    assert.match(e.message, /VALIDATE="yes": expected true/);
    assert.match(e.message, /COUNTS="x"/, 'one message with every problem');
    return true;
  });
  assert.throws(() => prepare({ COUNTS: '30000', OFFSETS: '1' }, 'writes', 1), /120000 write requests.*at most 100000/);
});

test('teardown message: what was removed, or why not and the command to do it by hand', () => {
  const url = 'http://127.0.0.1:8081/party-api/v1/businesses/attributes/sample-summary/' + SSID;
  const ok = teardownMessage(4242, url, { status: 204, error: '', body: '' });
  assert.equal(ok.ok, true);
  assert.match(ok.line, /removed the attributes this run wrote \(run 4242, sampleSummaryId 5a7e0000-0000-4000-8000-000000004242\): DELETE answered 204/);
  const down = teardownMessage(4242, url, { status: 0, error: 'dial: connection refused', body: '' });
  assert.equal(down.ok, false);
  assert.match(down.line, /could not remove.*no answer \(dial: connection refused\).*curl -u "\$PARTY_USER:\$PARTY_PASSWORD" -X DELETE http:\/\/127\.0\.0\.1:8081\/party-api\/v1\/businesses\/attributes\/sample-summary\/5a7e/);
  assert.match(teardownMessage(4242, url, { status: 401, error: '', body: 'Unauthorized Access' }).line, /DELETE answered 401 Unauthorized Access/);
});
