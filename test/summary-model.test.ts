// The summary model and the report's tables, on real k6 output and on
// synthetic data of the full report's shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSummary, baseOf, runFromConfig, type RunInput } from '../lib/summary/build.ts';
import { handleSummary } from '../lib/summary/entry.ts';
import { buildTables, cellCounts, columnKeys, type PctTable } from '../lib/summary/tables.ts';
import { outputPaths } from '../lib/summary/paths.ts';
import { fixed, percents, stamp } from '../lib/summary/format.ts';
import { parseExpression } from '../lib/summary/thresholds.ts';
import { parseConfig } from '../lib/config.ts';
import type { Plan } from '../lib/plan.ts';
import { core, fixtureData, fixturePlan, planFor, syntheticData } from './helpers/summary-data.ts';

const NOW = Date.UTC(2024, 0, 31, 9, 45, 1);
const run = (plan: Plan | null, extra: Partial<RunInput> = {}): RunInput =>
  ({ plan, label: 'test', profile: plan ? plan.profile : 'x', target: 'http://127.0.0.1:8081', seed: 7, k6Version: null, ...extra });

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Every row adds to 100.00 within rounding (0.005 per column), and its counts cover its base. */
function assertRows(t: PctTable) {
  for (const r of t.rows) {
    assert.equal(sum(r.counts), r.base, `${t.title} ${r.label}: counts cover the base`);
    if (r.base > 0) assert.ok(Math.abs(sum(r.pcts) - 100) <= 0.005 * r.pcts.length + 1e-9, `${t.title} ${r.label}: ${sum(r.pcts)}`);
  }
}

test('fixture: reads the real k6 counts per scenario (id_c20_o50: 12/4/2/2, 1 not sent)', () => {
  const m = buildSummary(fixtureData('handle-summary-data.json'), run(fixturePlan()), NOW);
  const s = m.scenarios.find((x) => x.name === 'id_c20_o50')!;
  assert.deepEqual(core(s.classes), { success: 12, no_response: 4, not_found: 2, server_error: 2, other: 0 });
  assert.equal(s.notSent, 1);
  // k6 fired count + 1 iterations here (fixtures README): 20 sent + 1 dropped for 20 planned.
  assert.equal(s.planned, 20);
  assert.equal(s.sent, 20);
  assert.equal(s.notRun, 0);
  assert.equal(s.extra, 1);
  assert.equal(s.causes, null, 'the fixture script did not count causes');
  assert.equal(s.latency!.count, 12);
  assert.equal(fixed(s.latency!.min, 3), '0.506');
  // Every scenario: nothing negative, and sent + notSent + notRun - extra = planned.
  for (const x of m.scenarios) {
    for (const v of [x.sent, x.notSent, x.notRun, x.extra]) assert.ok(v >= 0);
    assert.equal(x.sent + x.notSent + x.notRun - x.extra, x.planned, x.name);
  }
  assert.equal(m.totals.sent, 364, "k6's iterations");
  assert.equal(m.totals.notSent, 6, "k6's dropped_iterations");
  assert.equal(m.totals.classes.success, 220, 'checks passes');
  assert.equal(m.totals.extra, 10);
  assert.equal(m.totals.latency!.count, 220);
  assert.equal(m.durationMs, 49103.377653);
  assert.equal(m.startTime, new Date(NOW - 49103.377653).toISOString());
  assert.ok(m.warnings.some((w) => /causes were not in k6's data/.test(w)), m.warnings.join('\n'));
  assert.ok(m.warnings.some((w) => /more request\(s\) than planned/.test(w)));
  assert.equal(m.bookkeepingThresholds.count, 85);
  assert.deepEqual(m.thresholds, []);

  const t = buildTables(m);
  assert.deepEqual(t.byCount.map((x) => x.title), ['Request Count: 20', 'Request Count: 40']);
  assert.deepEqual(t.overall.rows.map((r) => r.label), ['50', '100']);
  assert.deepEqual(t.perRoute.rows.map((r) => r.label), ['/businesses?id=', '/businesses/id/', '/businesses/ref/', 'All Routes Combined']);
  for (const tb of [...t.byCount, t.overall, t.perRoute]) assertRows(tb);
  // Request Count 20 at 50 ms: three routes' cells (query and id fired 21, ref 20), 35 success of 62 accounted.
  const r = t.byCount[0]!.rows[0]!;
  assert.equal(r.counts[0], 12 + 12 + 11);
  assert.equal(r.base, 62);
  assert.equal(t.causes, null);
});

test('fixture, target down: 100 % No Response and latency n/a, not zeros', () => {
  const m = buildSummary(fixtureData('handle-summary-data-target-down.json'), run(fixturePlan([20], [50])), NOW);
  assert.equal(m.totals.classes.no_response, 63);
  assert.equal(m.totals.classes.success, 0);
  assert.equal(m.totals.latency, null);
  for (const s of m.scenarios) assert.equal(s.latency, null);
  for (const r of m.routes) assert.equal(r.latency, null);
  const t = buildTables(m);
  for (const row of [...t.overall.rows, ...t.perRoute.rows]) {
    assert.equal(fixed(row.pcts[1], 2), '100.00');
    assert.equal(row.pcts[0], 0);
  }
  for (const row of t.latency.rows) assert.equal(row.latency, null);
});

test('synthetic report profile: 45 scenarios, rows add to 100.00, Overall and Per-route are sums of cells', () => {
  const plan = planFor('report');
  assert.equal(plan.scenarios.length, 45);
  const m = buildSummary(syntheticData(plan), run(plan), NOW);
  assert.equal(m.scenarios.length, 45);
  assert.equal(m.totals.planned, 12000);
  assert.equal(m.missingCells.count, 0);
  const t = buildTables(m);
  assert.deepEqual(t.byCount.map((x) => x.title), ['Request Count: 100', 'Request Count: 200', 'Request Count: 500']);
  for (const tb of [...t.byCount, t.overall, t.perRoute]) {
    assert.deepEqual(tb.columns, ['Success (200)', 'No Response', '404', '500', 'Other', 'Not sent']);
    assertRows(tb);
  }
  const keys = columnKeys(m);
  for (const [i, offset] of [50, 100, 200, 1000, 2000].entries()) {
    const cells = m.scenarios.filter((s) => s.offset === offset);
    const row = t.overall.rows[i]!;
    assert.equal(row.label, String(offset));
    assert.deepEqual(row.counts, keys.map((_, k) => sum(cells.map((s) => cellCounts(s, keys)[k]!))));
    assert.equal(row.base, sum(cells.map(baseOf)));
  }
  const all = t.perRoute.rows.at(-1)!;
  assert.equal(all.label, 'All Routes Combined');
  assert.equal(all.base, 12000);
  assert.deepEqual(all.counts, keys.map((_, k) => sum(t.perRoute.rows.slice(0, -1).map((r) => r.counts[k]!))));
  // Per-route latency came from k6's per-route trend, with percentiles.
  for (const r of m.routes) assert.equal(r.latencySource, 'k6');
  assert.ok(t.latency.rows.every((r) => r.latency !== null && r.latency.p99 !== null));
  assert.ok(t.causes !== null);
  assert.equal(m.thresholds[0]!.metric, 'checks');
  assert.equal(m.thresholds[0]!.expression, 'rate>=0.99');
  assert.equal(m.thresholds[0]!.observed, m.totals.classes.success / m.totals.sent);
  assert.equal(m.thresholds[0]!.ok, false);
});

test('one route of one scenario: the route row and the combined row are k6\'s scenario figures, percentiles and all', () => {
  const c = parseConfig({ ROUTES: 'id', COUNTS: '100', OFFSETS: '1000' }, 'report');
  const data = syntheticData(c.plan);
  // k6 has no route or combined sub-metric here (lib/plan.ts k6Thresholds).
  assert.deepEqual(Object.keys(data.metrics).filter((k) => k.startsWith('http_req_duration{route:') || k.includes('group:')), []);
  const m = buildSummary(data, run(c.plan), NOW);
  const scenario = m.scenarios[0]!.latency!;
  assert.ok(scenario.p99 !== null && scenario.count > 0);
  assert.deepEqual(m.routes[0]!.latency, scenario);
  assert.equal(m.routes[0]!.latencySource, 'k6');
  assert.deepEqual(m.totals.latency, scenario);
  assert.ok(buildTables(m).latency.rows.every((r) => r.latency !== null && r.latency.p95 === scenario.p95 && r.note === undefined));
});

test('a profile narrowed by env renders only its cells', () => {
  const c = parseConfig({ ROUTES: 'id', COUNTS: '100', OFFSETS: '200,1000' }, 'report');
  const m = buildSummary(syntheticData(c.plan), run(c.plan), NOW);
  const t = buildTables(m);
  assert.deepEqual(m.scenarios.map((s) => s.name), ['id_c100_o200', 'id_c100_o1000']);
  assert.deepEqual(t.byCount.map((x) => x.title), ['Request Count: 100']);
  assert.deepEqual(t.overall.rows.map((r) => r.label), ['200', '1000']);
  assert.deepEqual(t.perRoute.rows.map((r) => r.label), ['/businesses/id/', 'All Routes Combined']);
});

test('missing sub-metrics count as 0 and are reported; missing trend stats give null, not zero', () => {
  const plan = planFor('smoke');
  const data = syntheticData(plan, {
    omit: (k) => k.startsWith('dropped_iterations{') || k.includes('class:other'),
    trendStats: ['avg', 'p(95)'],
  });
  const m = buildSummary(data, run(plan), NOW);
  assert.equal(m.missingCells.count, plan.scenarios.length * 2);
  assert.ok(m.warnings.some((w) => /lacked 18 of the sub-metrics/.test(w)), m.warnings.join('\n'));
  const l = m.scenarios[0]!.latency!;
  assert.equal(l.count, m.scenarios[0]!.classes.success, 'count falls back to the success counter');
  assert.equal(l.min, null);
  assert.equal(l.median, null);
  assert.notEqual(l.p95, null);
  const t = buildTables(m);
  for (const tb of [...t.byCount, t.overall, t.perRoute]) assertRows(tb);
});

test('a run stopped early shows Not run, never negative numbers', () => {
  const plan = planFor('smoke');
  const last = plan.scenarios.at(-1)!;
  const data = syntheticData(plan, {
    // Ctrl-C 5 s into the last step: k6 reports how long the run lasted.
    testRunDurationMs: last.startMs + 5000,
    outcome: (s) => {
      const done = s.offset === 500 ? 10 : s.count; // the last step was cut by Ctrl-C
      return { classes: { success: done, no_response: 0, not_found: 0, server_error: 0, other: 0 }, causes: { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 }, notSent: 0 };
    },
  });
  const m = buildSummary(data, run(plan), NOW);
  assert.equal(m.totals.notRun, 3 * 30);
  assert.equal(m.totals.notScheduled, 0);
  assert.equal(m.interrupted, true);
  const t = buildTables(m);
  assert.ok(t.overall.columns.includes('Not run'));
  assert.ok(!t.overall.columns.includes('Not scheduled'));
  const row500 = t.overall.rows.find((r) => r.label === '500')!;
  assert.equal(fixed(row500.pcts[0], 2), '25.00');
  assert.equal(fixed(row500.pcts.at(-1), 2), '75.00');
});

test('stress profile: names the breaking point per route', () => {
  const plan = planFor('stress');
  const data = syntheticData(plan, {
    outcome: (s) => {
      const bad = s.offset <= (s.route === 'ref' ? 10 : 5) ? Math.ceil(s.count / 10) : 0;
      return { classes: { success: s.count - bad, no_response: bad, not_found: 0, server_error: 0, other: 0 }, causes: { refused: 0, reset: bad, closed: 0, timeout: 0, other: 0 }, notSent: 0 };
    },
  });
  const m = buildSummary(data, run(plan), NOW);
  const bp = Object.fromEntries(m.breakingPoints.map((b) => [b.route, b]));
  assert.equal(bp.query!.rate, 100);
  assert.equal(bp.query!.firstFailingRate, 200);
  assert.equal(bp.ref!.rate, 50);
  const t = buildTables(m);
  assert.deepEqual(t.byCount, [], 'one count per offset: no one-row tables');
  assert.equal(t.overall.rows.length, 8);
  assert.match(t.breaking!.rows[0]!.cells[0]!, /^100 req\/s \(10 ms\)$/);
});

test('no credentials: userinfo stripped from the target', () => {
  const plan = planFor('smoke');
  const m = buildSummary(syntheticData(plan), run(plan, { target: 'http://admin:hunter22@127.0.0.1:8081' }), NOW);
  assert.equal(m.target, 'http://127.0.0.1:8081');
});

test('config fails to parse: scenarios recovered from metric names', () => {
  const m = buildSummary(fixtureData('handle-summary-data.json'), run(null), NOW);
  assert.equal(m.scenarios.length, 12);
  assert.equal(m.scenarios.find((s) => s.name === 'ref_c40_o100')!.planned, 40);
});

test('paths: SUMMARY_DIR gets plain names, otherwise flat files under summaries/ stamped in UTC', () => {
  assert.equal(stamp(NOW), '20240131-094501');
  assert.deepEqual(outputPaths('summaries/base-20240131-094501/', 'base', NOW), {
    summary: 'summaries/base-20240131-094501/summary.json', markdown: 'summaries/base-20240131-094501/report.md',
    html: 'summaries/base-20240131-094501/report.html', csv: 'summaries/base-20240131-094501/tables.csv',
    junit: 'summaries/base-20240131-094501/junit.xml',
  });
  assert.equal(outputPaths(null, 'base', NOW).summary, 'summaries/base-20240131-094501.summary.json');
  assert.equal(outputPaths(null, 'base', NOW).junit, 'summaries/base-20240131-094501.junit.xml');
});

test('format: percentages round like the report; threshold expressions parse', () => {
  assert.deepEqual(percents([1, 1, 1], 3), [33.33, 33.33, 33.33]);
  assert.deepEqual(percents([12, 4, 2, 2, 0, 1], 21), [57.14, 19.05, 9.52, 9.52, 0, 4.76]);
  assert.deepEqual(percents([0, 0], 0), [0, 0]);
  assert.deepEqual(parseExpression('p(95)<500'), { stat: 'p(95)', op: '<', limit: 500 });
  assert.deepEqual(parseExpression('rate>=0.99'), { stat: 'rate', op: '>=', limit: 0.99 });
  assert.equal(parseExpression('count<=0 && foo'), null);
  assert.equal(fixed(-0.001, 2), '0.00');
  assert.equal(fixed(null, 2), 'n/a');
});

test('invalid bodies: the first schema problems reach every format from the named checks', () => {
  const env = { PROFILE: 'smoke', SUMMARY_DIR: 'out' };
  const config = parseConfig(env, 'smoke');
  const data = syntheticData(config.plan);
  data.root_group.checks = [
    { name: 'status is expected', passes: 10, fails: 2 },
    { name: 'body matches its schema: /businesses/id/ | /id must match pattern "^[0-9a-f]{8}-"', passes: 0, fails: 3 },
  ];
  const m = buildSummary(data, runFromConfig(config, 1, null), Date.UTC(2026, 0, 1));
  assert.deepEqual(m.invalidBodies, [{ route: '/businesses/id/', problem: '/id must match pattern "^[0-9a-f]{8}-"', vus: 3 }]);
  const out = handleSummary(data, { env, profile: 'smoke', seed: 1, now: Date.UTC(2026, 0, 1) });
  for (const f of ['out/report.md', 'out/report.html', 'stdout']) assert.match(out[f]!, /Invalid bodies[\s\S]*\/id must match pattern/, f);
});
