// handleSummary's files: schema-valid JSON, parseable JUnit and CSV, the
// report's tables in Markdown and on the terminal, and no throw on garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import Papa from 'papaparse';
import { handleSummary, type SummaryContext } from '../lib/summary/entry.ts';
import { buildSummary } from '../lib/summary/build.ts';
import { buildTables } from '../lib/summary/tables.ts';
import { renderText } from '../lib/summary/text.ts';
import { core, fixtureData, fixturePlan, planFor, syntheticData } from './helpers/summary-data.ts';

const NOW = Date.UTC(2024, 0, 31, 9, 45, 1);
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../data/schemas/summary.schema.json', import.meta.url), 'utf8')));
const valid = (json: string) => {
  const ok = validate(JSON.parse(json));
  assert.ok(ok, JSON.stringify(validate.errors, null, 1));
};
const ctx = (env: Record<string, string>, profile = 'smoke'): SummaryContext => ({ env, profile, seed: 42, now: NOW });
const fileOf = (out: Record<string, string>, suffix: string) => {
  const k = Object.keys(out).find((p) => p.endsWith(suffix));
  assert.ok(k, `no ${suffix} in ${Object.keys(out).join(', ')}`);
  return out[k]!;
};

test('SUMMARY_DIR set: five files inside it plus stdout; unset: flat stamped files in summaries/', () => {
  const plan = planFor('smoke');
  const a = handleSummary(syntheticData(plan), ctx({ SUMMARY_DIR: 'summaries/ci-20240131-094501' }));
  assert.deepEqual(Object.keys(a).sort(), ['stdout', ...['junit.xml', 'report.html', 'report.md', 'summary.json', 'tables.csv'].map((f) => `summaries/ci-20240131-094501/${f}`)].sort());
  const b = handleSummary(syntheticData(plan), ctx({ LABEL: 'baseline' }));
  assert.deepEqual(Object.keys(b).sort(), ['stdout', ...['junit.xml', 'report.html', 'report.md', 'summary.json', 'tables.csv'].map((f) => `summaries/baseline-20240131-094501.${f}`)].sort());
});

test('summary.json validates against data/schemas/summary.schema.json (synthetic, fixture, target down, failure)', () => {
  for (const name of ['smoke', 'report', 'stress']) valid(fileOf(handleSummary(syntheticData(planFor(name)), ctx({}, name)), 'summary.json'));
  const env = { ROUTES: 'query,id,ref', COUNTS: '20,40', OFFSETS: '100,200' };
  valid(fileOf(handleSummary(fixtureData('handle-summary-data.json'), ctx(env)), 'summary.json'));
  valid(fileOf(handleSummary(fixtureData('handle-summary-data-target-down.json'), ctx(env)), 'summary.json'));
  const m = buildSummary(syntheticData(planFor('smoke')), { plan: planFor('smoke'), label: 'x', profile: 'smoke', target: null, seed: null, k6Version: '0.49.0' }, NOW);
  assert.ok(validate(JSON.parse(JSON.stringify(m))));
  // The fallback document (model could not be built) is valid too.
  valid(JSON.stringify({ version: 1, error: 'boom', label: 'x', generatedAt: new Date(NOW).toISOString(), metrics: null }));
});

test('junit.xml parses, one test case per gate, failures carry the observed value', () => {
  // gates: checks rate>=0.99, p(95)<1000, dropped count<=0, late starts count<=1 % of 360
  const plan = planFor('smoke');
  const data = syntheticData(plan);
  const out = handleSummary(data, ctx({ K6_VERSION: 'v0.49.0' }));
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(fileOf(out, 'junit.xml'));
  const suite = doc.testsuites.testsuite;
  const cases = [suite.testcase].flat();
  assert.equal(Number(suite.tests), 4);
  // The lag gate's case reads as what it checks.
  assert.deepEqual(cases.map((c: { name: string }) => c.name), ['checks rate>=0.99', 'http_req_duration{expected_response:true} p(95)<1000', 'dropped_iterations count<=0', 'load generator kept its schedule (party_late count<=3)']);
  const failed = cases.filter((c: { failure?: unknown }) => c.failure !== undefined);
  assert.equal(Number(suite.failures), failed.length);
  const expectFailed = ['checks', 'http_req_duration{expected_response:true}', 'dropped_iterations', 'party_late'].filter((k) => !Object.values(data.metrics[k].thresholds as Record<string, { ok: boolean }>)[0]!.ok);
  assert.equal(failed.length, expectFailed.length);
  assert.ok(failed.length > 0, 'the synthetic smoke run fails its success gate');
  for (const f of failed) assert.match(f.failure.message, /observed /);
  const json = JSON.parse(fileOf(out, 'summary.json'));
  assert.equal(json.k6Version, 'v0.49.0');
  assert.equal(json.thresholds.length, 4);
});

test('junit.xml escapes names and messages', () => {
  const plan = planFor('smoke');
  const data = syntheticData(plan);
  data.metrics['http_req_duration{name:<a&"b">}'] = { type: 'trend', contains: 'time', values: { 'p(95)': 5 }, thresholds: { 'p(95)<1': { ok: false } } };
  const xml = fileOf(handleSummary(data, ctx({})), 'junit.xml');
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const names = [doc.testsuites.testsuite.testcase].flat().map((c: { name: string }) => c.name);
  assert.ok(names.includes('http_req_duration{name:<a&"b">} p(95)<1'), names.join('\n'));
});

test('tables.csv: one row per scenario and class, percentages per scenario add to 100', () => {
  const plan = planFor('report');
  const csv = fileOf(handleSummary(syntheticData(plan), ctx({}, 'report')), 'tables.csv');
  const rows = Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;
  assert.equal(rows.length, 45 * 6);
  const byScenario = new Map<string, number>();
  for (const r of rows) byScenario.set(r.scenario!, (byScenario.get(r.scenario!) ?? 0) + Number(r.percent));
  for (const [name, p] of byScenario) assert.ok(Math.abs(p - 100) <= 0.03 + 1e-9, `${name}: ${p}`);
  // The schedule lag and the verdict are appended: the earlier columns keep their places.
  assert.deepEqual(Object.keys(rows[0]!), ['label', 'scenario', 'route', 'route_label', 'count', 'offset_ms', 'planned', 'class', 'requests', 'percent', 'late', 'max_lag_ms', 'verdict']);
});

test("report.md and stdout carry the report's tables", () => {
  const plan = planFor('report');
  const out = handleSummary(syntheticData(plan), ctx({ LABEL: 'baseline' }, 'report'));
  const md = fileOf(out, 'report.md');
  for (const h of ['### Request Count: 100', '### Request Count: 200', '### Request Count: 500', '### Overall', '### Per-route', '## Response times', '## No response: causes', '## Accounting', '## Thresholds', 'Total Sample Size: 12000']) {
    assert.ok(md.includes(h), h);
  }
  assert.match(md, /\| Offset \| Success \(200\) \| No Response \| 404 \| 500 \| Other \| Not sent \|/);
  assert.match(md, /\| \*All Routes Combined\* \|/);
  assert.match(md, /\| \/businesses\?id= \|/);
  assert.ok(md.indexOf('## Thresholds') < md.indexOf('## Results'), 'gates first');
  assert.ok(md.indexOf('## Can this run be trusted?') < md.indexOf('## Thresholds'), 'the verdict before the gates');
  const text = out.stdout!;
  assert.ok(!text.includes('\x1b['), 'no colour when stdout is not a TTY');
  assert.match(text, /Request Count: 500\n {2}Offset {2}Success \(200\)/);
  assert.match(text, /Accounting: planned 12000 \/ answered \d+ \/ no response \d+ \/ not sent \d+ \/ not scheduled 0 \/ not run 0/);
  assert.match(text, /FAIL {2}checks rate>=0\.99 +observed \d+\.\d\d %/);
  assert.match(text, /summaries\/baseline-20240131-094501\.report\.html/);
  // Columns line up: every row of a table is as wide as its header.
  const overall = text.split('\nOverall\n')[1]!.split('\n\n')[0]!.split('\n');
  assert.equal(new Set(overall.map((l) => l.length)).size, 1, overall.join('\n'));
});

test('colour only on a TTY without noColor', () => {
  const plan = planFor('smoke');
  const data = syntheticData(plan);
  data.state.isStdOutTTY = true;
  assert.ok(handleSummary(data, ctx({})).stdout!.includes('\x1b[31;1mFAIL'));
  data.options.noColor = true;
  assert.ok(!handleSummary(data, ctx({})).stdout!.includes('\x1b['));
  const m = buildSummary(data, { plan, label: 'x', profile: 'smoke', target: null, seed: null, k6Version: null }, NOW);
  assert.ok(!renderText(m, buildTables(m), { color: false, written: [], failures: [] }).includes('\x1b['));
});

test('handleSummary never throws: garbage in, summary.json and stdout out', () => {
  const inputs: unknown[] = [{}, { metrics: null }, { metrics: { checks: 5 } }, { state: 'x', options: [], metrics: { 'party_responses{scenario:id_c100_o50,class:success}': { values: { count: 'x' } } } }, null, 42];
  for (const data of inputs) {
    const out = handleSummary(data as object, ctx({}));
    const json = fileOf(out, 'summary.json');
    JSON.parse(json);
    assert.ok(typeof out.stdout === 'string' && out.stdout.length > 0);
  }
  // Missing ctx fields and a broken env still give the files.
  const out = handleSummary({}, { env: { PROFILE: 'nope', BASE_URL: 'http://u:pw@x' } } as unknown as SummaryContext);
  const json = JSON.parse(fileOf(out, 'summary.json'));
  assert.equal(json.target, 'http://x');
  assert.match(out.stdout!, /configuration: /);
  // A value k6 could never produce (a getter that throws) still yields the fallback file.
  const evil = { get metrics(): never { throw new Error('boom'); } };
  const o2 = handleSummary(evil, ctx({}));
  assert.match(fileOf(o2, 'summary.json'), /"error"/);
  assert.match(o2.stdout!, /boom/);
});

test('no credential in any output', () => {
  const plan = planFor('smoke');
  const env = { PARTY_USER: 'svc-user', PARTY_PASSWORD: 'Sup3r-s3cret', BASE_URL: 'http://127.0.0.1:8081' };
  const data = syntheticData(plan);
  // Even if a credential reached k6's data (e.g. in a user metric's name), it is scrubbed.
  data.metrics['http_req_duration{url:http://svc-user:Sup3r-s3cret@127.0.0.1:8081/x}'] = { type: 'trend', contains: 'time', values: { 'p(95)': 5 }, thresholds: { 'p(95)<1': { ok: false } } };
  const out = handleSummary(data, ctx(env));
  for (const [k, v] of Object.entries(out)) {
    assert.ok(!v.includes('Sup3r-s3cret'), `${k} leaks the password`);
    assert.ok(!/:\/\/[^/\s]*@/.test(v), `${k} has userinfo`);
  }
});

test('fixture through handleSummary: the narrowed config renders only its cells', () => {
  // OFFSETS=100,200 parse (20 requests at 50 ms would not); the fixture has no o200 cells: they show as not run.
  const out = handleSummary(fixtureData('handle-summary-data.json'), ctx({ ROUTES: 'id', COUNTS: '20', OFFSETS: '100' }));
  const json = JSON.parse(fileOf(out, 'summary.json'));
  assert.deepEqual(json.scenarios.map((s: { name: string }) => s.name), ['id_c20_o100']);
  assert.deepEqual(core(json.scenarios[0].classes), { success: 13, no_response: 4, not_found: 2, server_error: 2, other: 0 });
  assert.equal(fixturePlan().scenarios.length, 12);
});
