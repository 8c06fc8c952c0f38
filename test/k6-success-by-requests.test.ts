// The suite as it records now (a success is its passing check alone; the
// Counter counts the other classes), as real k6 v0.49.0 and v2.2.0 handed it
// to handleSummary (test/fixtures/k6-v0.49/suite-handle-summary-data.json,
// test/fixtures/k6-v2.2/*-requests.json): the summary's successes are each
// scenario's http_reqs less the Counter's classes, in both of k6 v2's forms,
// and equal the target's own tally of the same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { handleSummary } from '../lib/summary/entry.ts';
import { readK6Data } from '../lib/summary/k6data.ts';
import type { SummaryModel } from '../lib/summary/model.ts';

const load = (file: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/${file}`, import.meta.url), 'utf8'));
const ENV = { ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50', TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false', BASE_URL: 'http://127.0.0.1:39303', SUMMARY_DIR: 'out' };
const summarise = (data: unknown): SummaryModel =>
  JSON.parse(handleSummary(data as object, { env: ENV, profile: 'report', seed: 1, now: Date.UTC(2026, 11, 3, 19, 57) })['out/summary.json']!) as SummaryModel;

const FIXTURES = ['k6-v0.49/suite-handle-summary-data.json', 'k6-v2.2/handle-summary-data-legacy-requests.json', 'k6-v2.2/handle-summary-data-machine-requests.json'];
// What the target (bench/fixed-target.ts, STATUS_MIX=1) tallied in each of the three runs.
const TALLY = { 200: 385, 404: 8, 405: 3, 500: 4 };

test('the recorded data is of the new form: no success sub-metric, a request count per scenario', () => {
  for (const file of FIXTURES) {
    const k6 = readK6Data(load(file));
    const keys = Object.keys(k6.metrics);
    assert.ok(!keys.some((k) => k.includes('class:success')), file);
    assert.equal(keys.filter((k) => /^http_reqs\{scenario:[a-z]+_c100_o(20|50)\}$/.test(k)).length, 4, file);
  }
});

test('successes and every other class equal the target\'s tally, scenario by scenario the same from both forms of k6 v2', () => {
  const models = FIXTURES.map((f) => summarise(load(f)));
  for (const [i, m] of models.entries()) {
    assert.deepEqual(
      { planned: m.totals.planned, sent: m.totals.sent, ...m.totals.classes },
      { planned: 400, sent: 400, success: TALLY[200], no_response: 0, not_found: TALLY[404], server_error: TALLY[500], other: TALLY[405], invalid: 0 },
      FIXTURES[i],
    );
    assert.deepEqual(m.totals.statuses, { 404: TALLY[404], 405: TALLY[405], 500: TALLY[500] }, FIXTURES[i]);
    // Per scenario: the successes plus the counted failures are the scenario's requests.
    for (const s of m.scenarios) {
      const failed = Object.values(s.statuses).reduce((a, b) => a + b, 0);
      assert.equal(s.classes.success + failed, s.sent, `${FIXTURES[i]} ${s.name}`);
      assert.equal(s.sent, 100, `${FIXTURES[i]} ${s.name}`);
    }
  }
  const cells = (m: SummaryModel) => m.scenarios.map((s) => [s.name, s.sent, s.classes.success, s.classes.not_found, s.classes.server_error, s.classes.other]);
  assert.deepEqual(cells(models[1]!), cells(models[2]!), 'the scenarios run one after another, so each gets the same share of the target\'s mix in both runs');
});
