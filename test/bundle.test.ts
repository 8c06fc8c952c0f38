// The bundles as k6 gets them: built here, checked for what k6 v0.49 and
// current k6 can run, and loaded with k6's modules stubbed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../build.mjs';
import { loadBundle, repo } from './helpers/k6.ts';
import { parseConfig } from '../lib/config.ts';
import { k6Options } from '../lib/plan.ts';
import { withCloud } from '../lib/cloud.ts';
import { formatFinding, lintColdParts, lintSource } from '../tools/k6-lint.ts';

/**
 * Code every VU compiles, per bundle: the bundle without its embedded text,
 * minified (README, "Weight per VU").
 */
const EAGER_BUDGET = 10 * 1024;
/** The same plus the response validators, which a VU compiles only with VALIDATE=true. */
const VALIDATING_BUDGET = 20 * 1024;
let validators = 0;
let bundles: Array<{ file: string; body: string; bytes: number; eager: number }> = [];
let sources: Record<string, string> = {};

before(async () => {
  const built = await build({ quiet: true, write: false });
  bundles = built.bundles;
  sources = built.sources;
  validators = built.sources.validate!.length;
});

test('one bundle per scenario (an ES module and its CommonJS body), together under 256 KB and under the per-VU budget', () => {
  assert.deepEqual(bundles.map((b) => b.file.replace(/^dist\//, '')).sort(), ['capacity.js', 'mixed.js', 'report.js', 'single-route.js', 'smoke.js', 'writes.js']);
  for (const b of bundles) {
    assert.equal(b.body, b.file.replace(/\.js$/, '.cjs'));
    assert.equal(b.bytes, readFileSync(join(repo, b.file)).length + readFileSync(join(repo, b.body)).length);
    assert.ok(b.bytes < 256 * 1024, `${b.file}: ${b.bytes} bytes`);
    assert.ok(b.eager < EAGER_BUDGET, `${b.file}: ${b.eager} bytes compiled per VU, budget ${EAGER_BUDGET}`);
    assert.ok(b.eager + validators < VALIDATING_BUDGET, `${b.file}: ${b.eager + validators} bytes per VU with VALIDATE=true, budget ${VALIDATING_BUDGET}`);
  }
});

test('k6-lint finds nothing in the bundles (ES modules), their bodies nor their embedded cold parts (scripts)', () => {
  const findings = [
    ...bundles.flatMap((b) => lintSource(readFileSync(join(repo, b.file), 'utf8'), b.file, 'module')),
    ...bundles.flatMap((b) => lintSource(readFileSync(join(repo, b.body), 'utf8'), b.body, 'script')),
    ...lintColdParts(sources),
  ];
  assert.ok(bundles.length > 0 && Object.keys(sources).length > 0);
  assert.deepEqual(findings.map(formatFinding), []);
});

// k6's own metrics; a threshold on any other needs the metric created in the
// first init context, or k6 stops: "invalid threshold defined on ...; no metric name ... found".
const BUILT_IN_METRICS = new Set([
  'vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'data_received', 'data_sent', 'checks', 'group_duration',
  'http_reqs', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting',
  'http_req_receiving', 'http_req_duration', 'http_req_failed',
]);

test('VU 0 creates every custom metric its thresholds name (k6 refuses the run otherwise)', async () => {
  for (const name of ['report', 'smoke', 'single-route', 'capacity', 'writes', 'mixed']) {
    const { mod, rec } = await loadBundle(name);
    const named = new Set(Object.keys((mod.options as { thresholds: Record<string, unknown> }).thresholds).map((k) => k.replace(/\{.*$/, '')));
    const custom = [...named].filter((m) => !BUILT_IN_METRICS.has(m));
    assert.ok(custom.length > 0, `${name}: thresholds on the suite's own metrics`);
    for (const m of custom) assert.ok(rec.registered.includes(m), `${name}: a threshold names ${m}, which VU 0 never creates`);
  }
});

test('the one new Function of each half is the cold loader', () => {
  for (const b of bundles) {
    const code = readFileSync(join(repo, b.body), 'utf8').replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
    const halves = code.split(/^return \(function vuHalf\(k6\) \{$/m);
    assert.equal(halves.length, 2, `${b.body}: one VU half`);
    for (const half of halves) assert.equal(half.match(/new Function/g)?.length, 1, b.file);
  }
});

test('VU 0: options equal the plan, for each scenario file and profile', async () => {
  for (const [name, profile] of [['report', 'report'], ['smoke', 'smoke'], ['single-route', 'single-route']] as const) {
    const { mod, rec } = await loadBundle(name);
    const c = parseConfig({}, profile);
    assert.deepEqual(mod.options, withCloud(k6Options(c.plan), c.cloud), name);
    assert.ok(rec.compiled >= 1, 'the cold init part is compiled in VU 0');
    assert.deepEqual(rec.opened, ['../data/businesses.csv'], 'the data file is opened by a path relative to dist/');
  }
  const env = { PROFILE: 'quick', ROUTES: 'ref', COUNTS: '30', OFFSETS: '100', LABEL: 'x' };
  const { mod } = await loadBundle('report', { env });
  assert.deepEqual(Object.keys(mod.options.scenarios), ['ref_c30_o100']);
  for (const fn of ['setup', 'query', 'id', 'ref', 'handleSummary']) assert.equal(typeof mod[fn], 'function', fn);
});

test('PROFILE=soak and PROFILE=spike: the bundle plans their windows, with the VUs and thresholds the plan needs', async () => {
  const soak = (await loadBundle('report', { env: { PROFILE: 'soak', SOAK_DURATION: '2h' } })).mod.options;
  const names = Object.keys(soak.scenarios);
  assert.equal(names.length, 90);
  assert.ok(names.includes('id_c1200_o200_w00') && names.includes('ref_c1200_o200_w29'), names.slice(0, 3).join());
  assert.deepEqual(
    [soak.scenarios.id_c1200_o200_w29.startTime, soak.scenarios.id_c1200_o200_w29.duration, soak.scenarios.id_c1200_o200_w29.preAllocatedVUs],
    ['6960000ms', '239900ms', 51],
  );
  const spike = (await loadBundle('report', { env: { PROFILE: 'spike', SPIKE_FACTOR: '4' } })).mod.options;
  assert.deepEqual(spike.scenarios.id_c200_o50_w06 && [spike.scenarios.id_c200_o50_w06.startTime, spike.scenarios.id_c200_o50_w06.timeUnit], ['60000ms', '50ms']);
});

test('each half of a body holds only its own code: the VUs\' half has no cold init, no summary, no full runtime', () => {
  for (const b of bundles) {
    const body = readFileSync(join(repo, b.body), 'utf8');
    const at = body.indexOf('\nreturn (function vuHalf(k6) {');
    assert.ok(at > 0, b.body);
    const zero = body.slice(0, at);
    const vu = body.slice(at);
    for (const text of ['// cold:init', '// cold:summary', '"party-perf:runtime"', 'preflightProblem', 'teardownMessage', 'b64encode']) {
      assert.ok(!vu.includes(text), `${b.body}: the VUs' half holds ${text}`);
      assert.ok(zero.includes(text) || text === 'teardownMessage', `${b.body}: __VU 0's half lacks ${text}`);
    }
    for (const text of ['nextValue', 'function record(']) assert.ok(!zero.includes(text), `${b.body}: __VU 0's half holds ${text}`);
  }
});

test('VUs 1..N compile no cold code, run no SharedArray callback, and export no options', async () => {
  // VALIDATE=false: nothing cold at all. On (the default): the validators only (test/validate-bundle.test.ts).
  const first = await loadBundle('report', { env: { SEED: '7', VALIDATE: 'false' } });
  const { mod, rec } = await loadBundle('report', { env: { SEED: '7', VALIDATE: 'false' }, vu: 3, shared: first.shared });
  assert.equal(rec.compiled, 0);
  assert.deepEqual(rec.sharedCalls, []);
  assert.deepEqual(rec.opened, []);
  assert.deepEqual(mod.options, {});
});

test('an iteration: one GET with the credentials in its URL, its timeout, classified, checked; only failures counted', async () => {
  const first = await loadBundle('report', { env: { SEED: '7', TIMEOUT: '5s', PARTY_USER: 'u', PARTY_PASSWORD: 'p' } });
  const summary = '{"associations":[],"id":"81a7d9b4-0b44-48e9-a2d5-422d7256cef6","name":"LOADTEST BUSINESS 1 TRADING LIMITED","sampleSummaryId":"5a000000-0000-4000-8000-000000000001","sampleUnitRef":"49900000001","sampleUnitType":"B","trading_as":"LT1 STORES"}';
  const answers = [{ status: 200, body: summary }, { status: 0, error_code: 1212, error: 'dial: connection refused' }, { status: 404, error_code: 1404 }, { status: 500, error_code: 1500 }];
  let i = 0;
  const { mod, rec } = await loadBundle('report', { vu: 1, shared: first.shared, respond: () => answers[i++ % answers.length]! });
  const ids = readFileSync(join(repo, 'data/businesses.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (let k = 0; k < 4; k++) mod.id();
  mod.ref();
  mod.query();
  assert.equal(rec.requests.length, 6);
  const r0 = rec.requests[0]!;
  // Go's HTTP client sends userinfo as the Basic Authorization header.
  assert.match(r0.url, /^http:\/\/u:p@127\.0\.0\.1:8081\/party-api\/v1\/businesses\/id\/[0-9a-f-]{36}$/);
  assert.ok(ids.some(([id]) => r0.url.endsWith(id!)));
  // The timeout is the only param a read needs (the report profile validates no bodies).
  assert.deepEqual(r0.params, { timeout: 5000 });
  // The name tag comes from the scenario's tags, on every sample of the scenario.
  const scenarios = (first.mod.options as { scenarios: Record<string, { exec: string; tags: Record<string, string> }> }).scenarios;
  for (const sc of Object.values(scenarios)) {
    assert.equal(sc.tags.name, { id: 'GET /businesses/id/{id}', ref: 'GET /businesses/ref/{ref}', query: 'GET /businesses?id=' }[sc.exec]);
  }
  assert.match(rec.requests[4]!.url, /\/party-api\/v1\/businesses\/ref\/499\d{8}$/);
  assert.match(rec.requests[5]!.url, /\/party-api\/v1\/businesses\?id=[0-9a-f-]{36}$/);
  // A success is its passing check alone; the Counter counts the other classes.
  assert.deepEqual(rec.metrics.slice(0, 3).map((m) => [m.name, m.value, m.tags]), [
    ['party_responses', 1, { class: 'no_response', cause: 'refused' }],
    ['party_responses', 1, { class: 'not_found' }],
    ['party_responses', 1, { class: 'server_error' }],
  ]);
  assert.deepEqual(rec.checks.slice(0, 4).map((c) => c.ok), [true, false, false, false]);
  assert.equal(rec.checks[0]!.name, 'status is expected');
});

test('credentials that need encoding in a URL go in the Authorization header instead', async () => {
  const first = await loadBundle('report', { env: { SEED: '7', PARTY_USER: 'u', PARTY_PASSWORD: 'p@ss:word', VALIDATE: 'false' } });
  const { mod, rec } = await loadBundle('report', { vu: 1, shared: first.shared });
  mod.id();
  const r0 = rec.requests[0]!;
  assert.match(r0.url, /^http:\/\/127\.0\.0\.1:8081\/party-api\/v1\/businesses\/id\//);
  assert.deepEqual(r0.params, { timeout: 60000, headers: { Authorization: `Basic ${Buffer.from('u:p@ss:word').toString('base64')}` } });
});

test('SEED repeats the parameter picks of a VU; without it a seed is picked and printed once', async () => {
  const picks = async (env: Record<string, string>) => {
    const first = await loadBundle('report', { env });
    const { mod, rec } = await loadBundle('report', { vu: 2, shared: first.shared });
    for (let k = 0; k < 8; k++) mod.id();
    return { urls: rec.requests.map((r) => r.url), logs: first.rec.logs };
  };
  const a = await picks({ SEED: '42' });
  const b = await picks({ SEED: '42' });
  const c = await picks({ SEED: '43' });
  assert.deepEqual(a.urls, b.urls);
  assert.notDeepEqual(a.urls, c.urls);
  const d = await picks({});
  assert.equal(d.logs.filter((l) => /SEED=\d+ \(set SEED to repeat/.test(l)).length, 1);
});

test('bad env stops the init context before any request, with every problem in one message', async () => {
  await assert.rejects(loadBundle('report', { env: { COUNTS: 'many', BASE_URL: 'http://10.1.2.3:8081' } }), (e: Error) => {
    assert.match(e.message, /invalid configuration, nothing was sent/);
    assert.match(e.message, /COUNTS="many"/);
    assert.match(e.message, /ALLOW_HOSTS=10\.1\.2\.3/);
    return true;
  });
});

test('a missing or malformed data file stops the init context with the file, line and fix', async () => {
  await assert.rejects(loadBundle('smoke', { files: { '../data/businesses.csv': 'id,sampleUnitRef\nnope,1\n' } }), /data file \.\.\/data\/businesses\.csv: line 2: id "nope" is not a UUID.*npm run seed/);
  await assert.rejects(loadBundle('smoke', { env: { DATA_FILE: 'missing.csv' }, files: {} }), /ENOENT|no such file/);
});

test('setup: preflight turns the first answer into a plain reason, before any load', async () => {
  const cases: Array<[object, RegExp | null]> = [
    [{ status: 200, body: '{}' }, null],
    [{ status: 0, error: 'dial tcp 127.0.0.1:8081: connect: connection refused', error_code: 1212 }, /does not answer \(dial tcp.*refused\).*npm run target/],
    [{ status: 401, body: 'Unauthorized Access' }, /credentials were rejected.*PARTY_USER/],
    [{ status: 404, body: '{"description":"Business with party id does not exist"}' }, /not on this target.*npm run seed/],
    [{ status: 400, body: '{"description":"Business with reference does not have any active attributes."}' }, /not linked/],
  ];
  for (const [answer, expected] of cases) {
    const { mod, rec } = await loadBundle('smoke', { respond: () => answer as never });
    if (expected) assert.throws(() => mod.setup(), expected);
    else mod.setup();
    assert.equal(rec.requests.length, 1);
    assert.equal(rec.requests[0]!.params.tags?.name, 'preflight');
  }
  const { mod, rec } = await loadBundle('smoke', { env: { PREFLIGHT: 'false' } });
  mod.setup();
  assert.equal(rec.requests.length, 0);
});

test('setup: a passing preflight compiles no cold code in its own context; a failing one compiles the rules', async () => {
  // k6 runs setup in a __VU 0 context of its own, after the first one filled the SharedArrays.
  const { shared } = await loadBundle('smoke');
  for (const [status, compiles] of [[200, 0], [404, 1]] as const) {
    const { mod } = await loadBundle('smoke', { shared, respond: () => ({ status, error_code: 0, body: '' }) as never });
    let compiled = 0;
    const orig = globalThis.Function;
    globalThis.Function = new Proxy(orig, { construct(t, args) { compiled++; return Reflect.construct(t, args); } });
    try {
      if (status === 200) mod.setup();
      else assert.throws(() => mod.setup(), /not on this target/);
    } finally {
      globalThis.Function = orig;
    }
    assert.equal(compiled, compiles, `status ${status}`);
  }
});

test('splitBundle: the ES module keeps only k6 imports and exports; the body runs one half per VU with the modules as its argument', async () => {
  const { splitBundle } = await import('../build.mjs');
  const zero = [
    'import { sleep as nap } from "k6";',
    'var run = () => { throw new Error("not in VU 0"); };',
    'var setup = () => { nap(1); };',
    'export {', '  run as default,', '  run,', '  setup', '};', '',
  ].join('\n');
  const vu = [
    'import http from "k6/http";',
    'import { check } from "k6";',
    'var run = () => { check(http.get("u"), {}); };',
    'var setup = () => { throw new Error("only in VU 0"); };',
    'export {', '  run as default,', '  run,', '  setup', '};', '',
  ].join('\n');
  const { module, body } = splitBundle({ zero, vu }, 'x.cjs');
  assert.match(module, /^import m0 from "k6";$/m);
  assert.match(module, /^import m1 from "k6\/http";$/m);
  assert.match(module, /^import body from "\.\/x\.cjs";$/m);
  assert.match(module, /^export default b\["default"\];$/m);
  assert.match(module, /^export const run = b\.run;$/m);
  assert.ok(!/check|http\.get|nap/.test(module), 'no scenario code in the ES module');
  // Run the body as k6 would hand it the modules, in __VU 0 and in VU 1.
  const calls: string[] = [];
  const modules = {
    'k6/http': { get: (u: string) => { calls.push(`get ${u}`); return {}; } },
    k6: { check: () => { calls.push('check'); return true; }, sleep: (s: number) => { calls.push(`sleep ${s}`); } },
  };
  const factory = (vuNumber: number) => new Function('module', '__VU', `${body}\nreturn module.exports;`)({}, vuNumber) as (k6: object) => Record<string, () => void>;
  const inZero = factory(0)(modules);
  assert.deepEqual(Object.keys(inZero).sort(), ['default', 'run', 'setup']);
  inZero.setup!();
  assert.throws(() => inZero.run!(), /not in VU 0/);
  const inVu = factory(1)(modules);
  inVu.run!();
  assert.throws(() => inVu.setup!(), /only in VU 0/);
  assert.deepEqual(calls, ['sleep 1', 'get u', 'check']);
  const ok = 'var a = 1;\nexport { a };\n';
  assert.throws(() => splitBundle({ zero: 'import x from "papaparse";\nexport { x };\n', vu: ok }, 'y.cjs'), /import of 'papaparse' is left in the bundle/);
  assert.throws(() => splitBundle({ zero: ok, vu: 'import * as e from "k6/execution";\nexport { e };\n' }, 'y.cjs'), /import \* as e from 'k6\/execution': import the default export or names instead/);
  assert.throws(() => splitBundle({ zero: 'var a = 1;\nexport { a };\nvar b = 2;\n', vu: ok }, 'y.cjs'), /expected to end with one `export \{ \.\.\. \}`/);
  assert.throws(() => splitBundle({ zero: ok, vu: 'var b = 1;\nexport { b };\n' }, 'y.cjs'), /the halves export different names/);
});

test('what k6 v0.49 hands to Babel (the ES module) stays under 1 KB; the scenario is in the body', () => {
  for (const b of bundles) {
    const size = readFileSync(join(repo, b.file)).length;
    assert.ok(size < 1024, `${b.file}: ${size} bytes`);
    assert.match(readFileSync(join(repo, b.body), 'utf8'), /^module\.exports = function \(k6\) \{$/m);
  }
});

test('schedule lag: an on-time request records nothing; a late one adds 1 to party_late and its lag to party_schedule_lag, read live across scenarios', async () => {
  const env = { ROUTES: 'id', COUNTS: '100', OFFSETS: '50,100', PREFLIGHT: 'false' };
  const first = await loadBundle('report', { env });
  const { mod, rec } = await loadBundle('report', { vu: 1, env, shared: first.shared });
  const k6 = (globalThis as unknown as { __k6: { scenario: Record<string, unknown> } }).__k6;
  const at = (name: string, iterationInTest: number, startTime: number) => { k6.scenario = { name, iterationInTest, startTime }; };
  const now = Date.now();
  // Iteration 10 of a 50 ms scenario is due 500 ms after its start: started now, on time.
  at('id_c100_o50', 10, now - 500);
  mod.id();
  assert.equal(rec.metrics.length, 0);
  // The same VU in the 100 ms scenario: iteration 3 was due 300 ms in, and it is 1 s in: 700 ms late.
  at('id_c100_o100', 3, now - 1000);
  mod.id();
  const lag = rec.metrics.map((m) => [m.name, m.tags]);
  assert.deepEqual(lag, [['party_late', {}], ['party_schedule_lag', {}]]);
  assert.equal(rec.metrics[0]!.value, 1);
  assert.ok(rec.metrics[1]!.value >= 700 && rec.metrics[1]!.value < 2000, String(rec.metrics[1]!.value));
  // Within the 25 ms tolerance: nothing.
  at('id_c100_o100', 5, Date.now() - 510);
  mod.id();
  assert.equal(rec.metrics.length, 2);
  assert.equal(rec.requests.length, 3);
});
