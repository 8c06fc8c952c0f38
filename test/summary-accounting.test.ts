// Where planned requests without an outcome went (not run vs not scheduled),
// the load generator's warning, the statuses behind 404 / 500 / Other, the
// combined latency's population and the rate axis: on synthetic handleSummary
// data shaped like k6 v0.49's (test/helpers/summary-data.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSummary, type RunInput } from '../lib/summary/build.ts';
import { handleSummary } from '../lib/summary/entry.ts';
import { buildTables } from '../lib/summary/tables.ts';
import { renderText } from '../lib/summary/text.ts';
import { renderMarkdown } from '../lib/summary/markdown.ts';
import { renderHtml } from '../lib/summary/html.ts';
import { renderJunit } from '../lib/summary/junit.ts';
import { spansRates, stepLabel } from '../lib/summary/axis.ts';
import { droppedWithFreeVUs, splitGap, wasInterrupted } from '../lib/summary/shortfall.ts';
import type { Plan, PlannedScenario } from '../lib/plan.ts';
import { planFor, syntheticData, type CellOutcome } from './helpers/summary-data.ts';

const NOW = Date.UTC(2024, 0, 31, 9, 45, 1);
const run = (plan: Plan): RunInput => ({ plan, label: 'acc', profile: plan.profile, target: 'http://127.0.0.1:8081', seed: 7, k6Version: '0.49.0' });
const noCauses = { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 };
const ok = (n: number, extra: Partial<CellOutcome> = {}): CellOutcome =>
  ({ classes: { success: n, no_response: 0, not_found: 0, server_error: 0, other: 0 }, causes: noCauses, notSent: 0, ...extra });
const identity = (x: { planned: number; sent: number; notSent: number; notRun: number; notScheduled: number; extra: number }) =>
  x.sent + x.notSent + x.notRun + x.notScheduled - x.extra;

test('a run that lasted its full time: the gap is not scheduled (k6 fell behind), never not run, and the warning says so', () => {
  const plan = planFor('smoke');
  // The fastest step lost 15 of 40 per route: neither sent nor dropped.
  const data = syntheticData(plan, { outcome: (s) => ok(s.offset === 50 ? 25 : s.count) });
  const m = buildSummary(data, run(plan), NOW);
  assert.equal(m.interrupted, false);
  assert.equal(m.totals.notRun, 0);
  assert.equal(m.totals.notScheduled, 3 * 15);
  for (const s of m.scenarios) assert.equal(identity(s), s.planned, s.name);
  assert.equal(identity(m.totals), m.totals.planned);
  assert.deepEqual(m.generatorLimited, { scenarios: ['query_c40_o50', 'id_c40_o50', 'ref_c40_o50'], notScheduled: 45, droppedWithFreeVUs: 0 });
  assert.ok(!m.warnings.some((w) => /stopped/.test(w)), m.warnings.join('\n'));

  const t = buildTables(m);
  assert.ok(t.overall.columns.includes('Not scheduled'));
  assert.ok(!t.overall.columns.includes('Not run'));
  assert.equal(t.overall.rows[0]!.counts[t.overall.columns.indexOf('Not scheduled')], 45);
  assert.ok(t.accounting.some(([k, v]) => k === 'Not scheduled (k6 fell behind)' && v === '45'));
  assert.match(t.alert!, /load generator, not the target, limited this run: 45 planned request\(s\) were never scheduled/);
  assert.match(t.alert!, /fewer routes side by side.*lower top rate.*bigger machine.*split the load over instances/);
  const text = renderText(m, t, { color: false, written: [], failures: [] });
  assert.match(text, /WARNING: The load generator, not the target/);
  assert.match(text, /not sent 0 \/ not scheduled 45 \/ not run 0/);
  assert.match(renderMarkdown(m, t), /> \*\*Warning:\*\* The load generator/);
  assert.match(renderHtml(m, t), /id="generator-limited">Warning: The load generator/);
  assert.match(renderJunit(m, t), /not scheduled 45/);
});

test('a stopped run: scenarios cut by the stop are not run; one over before the stop keeps its gap as not scheduled', () => {
  const plan = planFor('smoke');
  const second = plan.scenarios.find((s) => s.offset === 100)!;
  // Stopped 2 s into the 100 ms step; the 50 ms step before it lost 5 per route.
  const data = syntheticData(plan, {
    testRunDurationMs: second.startMs + 2000,
    outcome: (s) => ok(s.offset === 50 ? 35 : s.offset === 100 ? 20 : 0),
  });
  const m = buildSummary(data, run(plan), NOW);
  assert.equal(m.interrupted, true);
  const by = (o: number) => m.scenarios.filter((s) => s.offset === o);
  assert.deepEqual(by(50).map((s) => [s.notScheduled, s.notRun]), [[5, 0], [5, 0], [5, 0]]);
  assert.deepEqual(by(100).map((s) => [s.notScheduled, s.notRun]), [[0, 20], [0, 20], [0, 20]]);
  assert.deepEqual(by(500).map((s) => [s.notScheduled, s.notRun]), [[0, 40], [0, 40], [0, 40]]);
  assert.ok(m.warnings.some((w) => /never ran: the run was stopped after 10\.0 s of its plan's 43\.7 s/.test(w)), m.warnings.join('\n'));
  const t = buildTables(m);
  assert.deepEqual(t.overall.columns.slice(-3), ['Not sent', 'Not scheduled', 'Not run']);
});

test('no run duration from k6: the gap stays not run, with a warning that it could not be told apart', () => {
  const plan = planFor('smoke');
  const data = syntheticData(plan, { outcome: (s) => ok(s.count - 1) });
  delete data.state.testRunDurationMs;
  const m = buildSummary(data, run(plan), NOW);
  assert.equal(m.interrupted, null);
  assert.equal(m.totals.notRun, 9);
  assert.equal(m.totals.notScheduled, 0);
  assert.ok(m.warnings.some((w) => /no run duration/.test(w)));
});

test('shortfall rules: interruption against the last arrival, gap split by window, drops with free VUs', () => {
  const w = [{ startMs: 0, durationMs: 1000, gracefulStopMs: 500 }, { startMs: 1500, durationMs: 1000, gracefulStopMs: 500 }];
  assert.equal(wasInterrupted(2500, w), false);
  assert.equal(wasInterrupted(2450, w), false, 'within the clocks\' slack');
  assert.equal(wasInterrupted(2000, w), true);
  assert.equal(wasInterrupted(null, w), null);
  assert.deepEqual(splitGap(3, w[0]!, 2000, true), { notRun: 0, notScheduled: 3 });
  assert.deepEqual(splitGap(3, w[1]!, 2000, true), { notRun: 3, notScheduled: 0 });
  assert.deepEqual(splitGap(3, w[1]!, 2600, false), { notRun: 0, notScheduled: 3 });
  assert.deepEqual(splitGap(-1, w[1]!, 2600, false), { notRun: 0, notScheduled: 0 });
  const fast = { notSent: 10, offset: 1, classes: { success: 90, no_response: 0, not_found: 0, server_error: 0, other: 0, invalid: 0 }, latency: { count: 90, min: 1, max: 20, mean: 2, median: 2, p90: 5, p95: 8, p99: 15 } };
  assert.equal(droppedWithFreeVUs(fast, 1000, 3000), true, '20 ms at 1 ms spacing keeps 21 of 1000 VUs busy');
  assert.equal(droppedWithFreeVUs(fast, 20, 3000), false);
  assert.equal(droppedWithFreeVUs({ ...fast, classes: { ...fast.classes, no_response: 5 } }, 1000, 3000), false, 'a timeout may have held every VU');
  assert.equal(droppedWithFreeVUs({ ...fast, notSent: 0 }, 1000, 3000), false);
});

test('breaking point: a step failing mostly by not sent / not scheduled is the load generator\'s, not the target\'s', () => {
  const plan = planFor('stress');
  const data = syntheticData(plan, {
    outcome: (s) => {
      // 500 req/s: the target fails 10 %. 1000 req/s: k6 reaches a third of its ticks, the rest is never scheduled.
      if (s.offset === 2) return ok(s.count - s.count / 10, { classes: { success: s.count * 0.9, no_response: 0, not_found: 0, server_error: s.count / 10, other: 0 }, statuses: { 500: s.count / 10 } });
      if (s.offset === 1) return ok(Math.floor(s.count / 3), { notSent: 10 });
      return ok(s.count);
    },
  });
  const m = buildSummary(data, run(plan), NOW);
  const id = m.breakingPoints.find((b) => b.route === 'id')!;
  assert.equal(id.rate, 200);
  assert.equal(id.firstFailingRate, 500);
  assert.deepEqual(id.generatorLimitedRates, [1000]);
  const t = buildTables(m);
  assert.equal(t.breaking!.columns[2], 'Load generator limited (not a target failure)');
  assert.equal(t.breaking!.rows[0]!.cells[2], '1000 req/s');
  assert.ok(m.generatorLimited!.scenarios.includes('id_c5000_o1'));
  // The synthetic answers at 1 ms take up to 18 s: the VUs may all have been busy, so the drops are not held against k6.
  assert.equal(m.generatorLimited!.droppedWithFreeVUs, 0);
});

test('statuses: the glue\'s per-status failed checks per scenario, in summary.json and a route x status table', () => {
  const plan = planFor('writes');
  const data = syntheticData(plan, {
    outcome: (s: PlannedScenario) => s.route === 'patch_parties'
      ? { classes: { success: 0, no_response: 0, not_found: 0, server_error: 0, other: s.count }, causes: noCauses, notSent: 0, statuses: { 405: s.count } }
      : s.route === 'put_link' ? { ...ok(s.count - 3), classes: { success: s.count - 3, no_response: 0, not_found: 2, server_error: 1, other: 0 }, statuses: { 404: 2, 500: 1 } }
        : ok(s.count),
  });
  const m = buildSummary(data, run(plan), NOW);
  const patch = m.scenarios.filter((s) => s.route === 'patch_parties');
  assert.ok(patch.length > 0);
  for (const s of patch) assert.deepEqual(s.statuses, { 405: s.count });
  const planned = (r: string) => m.scenarios.filter((s) => s.route === r).reduce((a, s) => a + s.count, 0);
  assert.deepEqual(m.totals.statuses, { 404: 2 * m.scenarios.filter((s) => s.route === 'put_link').length, 405: planned('patch_parties'), 500: m.scenarios.filter((s) => s.route === 'put_link').length });
  for (const s of m.scenarios.filter((x) => x.route === 'query' || x.route === 'post_businesses')) assert.deepEqual(s.statuses, {});
  assert.ok(!m.warnings.some((w) => /statuses table accounts/.test(w)));

  const t = buildTables(m);
  assert.deepEqual(t.statuses!.columns, ['404', '405', '500']);
  const row = t.statuses!.rows.find((r) => r.label === 'PATCH /parties')!;
  assert.deepEqual(row.cells, ['0', String(planned('patch_parties')), '0']);
  assert.equal(t.statuses!.rows.at(-1)!.label, 'All Routes Combined');
  const text = renderText(m, t, { color: false, written: [], failures: [] });
  assert.match(text, /HTTP statuses other than the expected one/);
  assert.match(text, /PATCH \/parties\s+0\s+\d+\s+0/);
  assert.match(renderMarkdown(m, t), /## HTTP statuses other than the expected one/);
  assert.match(renderHtml(m, t), /<th>405<\/th>/);
  assert.match(renderJunit(m, t), /statuses other than expected: 404: \d+, 405: \d+, 500: \d+/);

  // None recorded: no table.
  assert.equal(buildTables(buildSummary(syntheticData(plan, { outcome: (s) => ok(s.count) }), run(plan), NOW)).statuses, null);
});

test('statuses that do not cover the 404 / 500 / Other answers are said to', () => {
  const plan = planFor('smoke');
  const m = buildSummary(syntheticData(plan, {
    outcome: (s) => ({ ...ok(s.count - 2), classes: { success: s.count - 2, no_response: 0, not_found: 2, server_error: 0, other: 0 }, statuses: { 404: 1 } }),
  }), run(plan), NOW);
  assert.ok(m.warnings.some((w) => /statuses table accounts for 9 of the 18/.test(w)), m.warnings.join('\n'));
});

test('combined latency: the planned requests\' population, never setup\'s preflight; equals the routes\' sum', () => {
  const plan = planFor('smoke');
  const m = buildSummary(syntheticData(plan, { setupRequests: 1 }), run(plan), NOW);
  const routes = m.routes.reduce((a, r) => a + r.latency!.count, 0);
  assert.equal(m.totals.latency!.count, routes);
  assert.equal(m.totals.latency!.count, m.totals.classes.success);
  assert.notEqual(m.totals.latency!.max, 900, "the preflight's 900 ms is not in it");
  assert.notEqual(m.totals.latency!.p99, null, 'k6\'s own percentiles');

  // Without the sub-metric (older bundles): combined from the routes, never k6's whole expected_response trend.
  const old = syntheticData(plan, { setupRequests: 1 });
  delete old.metrics['http_req_duration{expected_response:true,group:""}'];
  const m2 = buildSummary(old, run(plan), NOW);
  assert.equal(m2.totals.latency!.count, routes);
  assert.equal(m2.totals.latency!.p95, null);
});

test('invalid bodies: a route with only invalid 200s shows their response times, and the combined row equals the routes\' sum', () => {
  const plan = planFor('smoke');
  const data = syntheticData(plan, {
    outcome: (s) => (s.route === 'ref'
      ? { classes: { success: 0, invalid: s.count, no_response: 0, not_found: 0, server_error: 0, other: 0 }, causes: noCauses, notSent: 0 }
      : ok(s.count)),
  });
  // k6 times an invalid body as an expected response: the trends hold them.
  for (const s of plan.scenarios.filter((x) => x.route === 'ref')) {
    data.metrics[`http_req_duration{scenario:${s.name},expected_response:true}`].values.count = s.count;
  }
  data.metrics['http_req_duration{route:ref,expected_response:true}'] = data.metrics['http_req_duration{route:id,expected_response:true}'];
  data.metrics['http_req_duration{expected_response:true,group:""}'].values.count = 360;
  const m = buildSummary(data, run(plan), NOW);
  const ref = m.routes.find((r) => r.route === 'ref')!;
  assert.equal(ref.latency!.count, 120);
  assert.equal(m.totals.latency!.count, m.routes.reduce((a, r) => a + r.latency!.count, 0));
  assert.ok(m.warnings.some((w) => /include 120 answer\(s\) with the expected status but an invalid body/.test(w)));
});

test('rate axis: a rate sweep reads by req/s with the offset in brackets in every renderer; a matrix by offset', () => {
  const stress = planFor('stress');
  assert.equal(spansRates(stress.scenarios), true);
  assert.equal(spansRates(planFor('quick').scenarios), false);
  assert.equal(spansRates(planFor('report').scenarios), false);
  assert.equal(spansRates(planFor('mixed').scenarios), false);
  assert.equal(spansRates(planFor('stress', { offsets: [1] }).scenarios), false, 'one step spans no rates');
  assert.equal(stepLabel(3, 'rate'), '333.3 req/s (3 ms)');
  assert.equal(stepLabel(50, 'offset'), '50');

  const m = buildSummary(syntheticData(stress, { outcome: (s) => ok(s.count) }), run(stress), NOW);
  assert.equal(m.axis, 'rate');
  const t = buildTables(m);
  assert.equal(t.overall.keyHeader, 'Rate (offset)');
  assert.deepEqual(t.overall.rows.map((r) => r.label), ['5 req/s (200 ms)', '10 req/s (100 ms)', '20 req/s (50 ms)', '50 req/s (20 ms)',
    '100 req/s (10 ms)', '200 req/s (5 ms)', '500 req/s (2 ms)', '1000 req/s (1 ms)']);
  assert.match(renderText(m, t, { color: false, written: [], failures: [] }), /\n {2}1000 req\/s \(1 ms\)\s+100\.00/);
  assert.match(renderMarkdown(m, t), /\| 1000 req\/s \(1 ms\) \| 100\.00 \|/);
  const html = renderHtml(m, t);
  assert.match(html, /Success % per rate/);
  assert.match(html, />1000 req\/s \(1 ms\)<\/text>/);
  assert.match(html, /requests per second per route/);
  const quick = planFor('quick');
  const mq = buildSummary(syntheticData(quick), run(quick), NOW);
  assert.equal(mq.axis, 'offset');
  assert.deepEqual(buildTables(mq).overall.rows.map((r) => r.label), ['50', '100', '200', '1000']);
});

test('handleSummary: summary.json is version 3 and keeps planned = answered + no response + not sent + not scheduled + not run - extra', () => {
  const plan = planFor('smoke');
  const out = handleSummary(syntheticData(plan, { outcome: (s) => ok(s.offset === 50 ? 30 : s.count) }), {
    env: { PROFILE: 'smoke', LABEL: 'acc', SUMMARY_DIR: 'x/' }, profile: 'smoke', seed: 1, now: NOW,
  });
  const doc = JSON.parse(out['x/summary.json']!);
  assert.equal(doc.version, 4);
  const t = doc.totals;
  assert.equal(t.answered + t.noResponse + t.notSent + t.notScheduled + t.notRun - t.extra, t.planned);
  assert.equal(t.notScheduled, 30);
  assert.match(out.stdout!, /WARNING: The load generator/);
});

test('a run stopped before its first request (setup refused it) says so, not Ctrl-C', () => {
  const plan = planFor('smoke');
  const data = syntheticData(plan, { testRunDurationMs: 40, outcome: () => ok(0) });
  const m = buildSummary(data, run(plan), NOW);
  const planned = plan.scenarios.reduce((a, s) => a + s.count, 0);
  assert.equal(m.totals.sent + m.totals.notSent, 0);
  assert.equal(m.totals.notRun, planned);
  const w = m.warnings.join('\n');
  assert.match(w, new RegExp(`No planned request was sent: the run stopped before its first one.*setup failed.*All ${planned} are counted as not run`));
  assert.doesNotMatch(w, /never ran: the run was stopped after/);
});
