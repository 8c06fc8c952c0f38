// k6 v1+'s machine-readable summary (--new-machine-readable-summary), as a
// real k6 v2.2.0 handed it over (test/fixtures/k6-v2.2): the same tables,
// accounting and gates as from the legacy object of the same kind of run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { handleSummary } from '../lib/summary/entry.ts';
import { readK6Data } from '../lib/summary/k6data.ts';
import type { SummaryModel } from '../lib/summary/model.ts';

const load = (name: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/k6-v2.2/${name}`, import.meta.url), 'utf8'));
const ENV = { ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50', TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false', BASE_URL: 'http://127.0.0.1:33173', SUMMARY_DIR: 'out' };
const summarise = (data: unknown, env: Record<string, string> = {}): { model: SummaryModel; text: string } => {
  const out = handleSummary(data as object, { env: { ...ENV, ...env }, profile: 'report', seed: 1, now: Date.UTC(2026, 11, 3, 17, 3, 30) });
  return { model: JSON.parse(out['out/summary.json']!) as SummaryModel, text: out.stdout! };
};

test('readK6Data reads the machine-readable summary into the legacy shape', () => {
  const k6 = readK6Data(load('handle-summary-data-machine.json'));
  assert.equal(k6.format, 'machine-readable');
  assert.equal(k6.hasThresholds, false);
  assert.equal(k6.k6Version, 'v2.2.0');
  assert.ok(k6.runMs !== null && k6.runMs > 20_000 && k6.runMs < 30_000, `runMs ${k6.runMs}`);
  assert.equal(k6.metrics['party_responses{scenario:id_c100_o20,class:success}']!.values!.count, 97);
  const trend = k6.metrics['http_req_duration{expected_response:true}']!.values!;
  assert.equal(typeof trend['p(95)'], 'number');
  assert.equal(trend['p(99)'], undefined);
  // checks_succeeded becomes the legacy `checks` rate, with passes and fails.
  assert.deepEqual(k6.metrics.checks!.values, { matches: 385, rate: 385 / 400, total: 400, passes: 385, fails: 15 });
  assert.equal(k6.checks.find((c) => c.name === 'status is expected')!.passes, 385);

  const legacy = readK6Data(load('handle-summary-data-legacy.json'));
  assert.equal(legacy.format, 'legacy');
  assert.equal(legacy.hasThresholds, true);
});

test('the same tables and accounting from either form, equal to the target\'s tally', () => {
  const machine = summarise(load('handle-summary-data-machine.json'));
  const legacy = summarise(load('handle-summary-data-legacy.json'));
  for (const { model } of [machine, legacy]) {
    assert.deepEqual(
      { planned: model.totals.planned, sent: model.totals.sent, ...model.totals.classes },
      { planned: 400, sent: 400, success: 385, no_response: 0, not_found: 8, server_error: 4, other: 3, invalid: 0 },
    );
  }
  const cells = (m: SummaryModel) => m.scenarios.map((s) => [s.name, s.sent, s.classes.success, s.classes.not_found, s.classes.server_error, s.classes.other]);
  assert.deepEqual(cells(machine.model), cells(legacy.model));
  assert.deepEqual(machine.model.totals.statuses, legacy.model.totals.statuses);
  // Latency from k6's values, p99 unknown in the machine-readable form.
  const overall = machine.model.routes.find((r) => r.route === 'id')!.latency!;
  assert.equal(overall.count, 193);
  assert.equal(typeof overall.p95, 'number');
  assert.equal(overall.p99, null);
  assert.equal(machine.model.k6Version, 'v2.2.0');
  assert.match(machine.text, /machine-readable summary/);
  assert.doesNotMatch(legacy.text, /machine-readable summary/);
});

test('gates are judged from the values when k6 gives no threshold results', () => {
  const gates = (m: SummaryModel) => m.thresholds.filter((t) => t.gate).map((t) => [t.metric, t.expression, t.ok]);
  const failing = summarise(load('handle-summary-data-machine.json'));
  // The legacy recording carries the thresholds k6 judged then, before not
  // sent became a default gate; the machine form is judged from today's plan.
  const checksGate = (m: SummaryModel) => gates(m).filter((g) => g[0] === 'checks');
  assert.deepEqual(checksGate(failing.model), checksGate(summarise(load('handle-summary-data-legacy.json')).model));
  // A recording from before the lag was measured has no party_late: judged on 0, as k6 judges an empty sink.
  assert.deepEqual(gates(failing.model), [['checks', 'rate>=0.99', false], ['dropped_iterations', 'count<=0', true], ['party_late', 'count<=4', true]]);
  assert.equal(failing.model.thresholds[0]!.observed, 385 / 400);
  const passing = summarise(load('handle-summary-data-machine.json'), { GATE_SUCCESS_RATE: '95', GATE_P95: '1000' });
  assert.deepEqual(gates(passing.model), [['checks', 'rate>=0.95', true], ['http_req_duration{expected_response:true}', 'p(95)<1000', true], ['dropped_iterations', 'count<=0', true], ['party_late', 'count<=4', true]]);
  const slow = summarise(load('handle-summary-data-machine.json'), { GATE_P95: '0.1' });
  assert.deepEqual(gates(slow.model)[1], ['http_req_duration{expected_response:true}', 'p(95)<0.1', false]);
});

test('target down: every request a refused no-response', () => {
  const { model } = summarise(load('handle-summary-data-machine-target-down.json'), { ROUTES: 'id', COUNTS: '60', OFFSETS: '20', BASE_URL: 'http://127.0.0.1:9' });
  assert.equal(model.totals.planned, 60);
  assert.equal(model.totals.classes.no_response, 60);
  assert.equal(model.totals.causes!.refused, 60);
  assert.equal(model.totals.notRun, 0);
});

test("trend values k6 hands over as Go pointers (numbers only once serialised) are read", () => {
  const data = load('handle-summary-data-machine.json') as { results: { metrics: Array<{ type: string; values: Record<string, unknown> }> } };
  // Under k6 a trend's values are *float64: JS sees an object, JSON.stringify a number.
  for (const m of data.results.metrics) {
    if (m.type !== 'trend') continue;
    for (const k of Object.keys(m.values)) {
      const v = m.values[k];
      m.values[k] = { toJSON: () => v };
    }
  }
  const latency = summarise(data).model.routes.find((r) => r.route === 'ref')!.latency!;
  assert.equal(typeof latency.p95, 'number');
  assert.equal(typeof latency.mean, 'number');
});
