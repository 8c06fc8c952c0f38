// Schedule lag and the verdict, from what real k6 v0.49.0 recorded
// (test/fixtures/k6-v0.49/lag/: a healthy run, and one with k6 pinned to a
// core two busy loops shared), to the gate, the machine's samples, the exit
// code npm start gives, and merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../lib/config.ts';
import { buildSummary, runFromConfig } from '../lib/summary/build.ts';
import { gateThresholds, k6Thresholds, LAG_METRIC, LATE_METRIC, maxLate } from '../lib/plan.ts';
import type { HostSample, SummaryModel } from '../lib/summary/model.ts';
import { hostHealth, judge, thin, withHost } from '../lib/summary/verdict.ts';
import { machineTicks, ticksOf } from '../tools/host.ts';
import { exitCodeFor, UNTRUSTED_EXIT } from '../tools/run.ts';
import { mergeSummaries } from '../tools/merge/combine.ts';
import { syntheticData } from './helpers/summary-data.ts';

const load = (file: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/k6-v0.49/lag/${file}`, import.meta.url), 'utf8'));
const BASE = { TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false', BASE_URL: 'http://127.0.0.1:33651' };
const HEALTHY_ENV = { ...BASE, ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50' };
const STARVED_ENV = { ...BASE, ROUTES: 'id,ref', COUNTS: '3000', OFFSETS: '2,1' };
const model = (file: string, env: Record<string, string>): SummaryModel =>
  buildSummary(load(file), runFromConfig(parseConfig(env, 'report'), 1, 'v0.49.0'), Date.UTC(2026, 11, 7, 3));

const host = (busy: number[], k6Cpu = 1): ReturnType<typeof hostHealth> =>
  hostHealth(busy.map((b, i): HostSample => ({ t: i + 1, k6Cpu, busy: b, load1: 1 })), 2, 1000);

test('every scenario gets a late Counter and a lag Gauge sub-metric, and GATE_LAG is a share of the plan', () => {
  const plan = parseConfig(STARVED_ENV, 'report').plan;
  const th = k6Thresholds(plan);
  for (const s of plan.scenarios) {
    assert.deepEqual(th[`${LATE_METRIC}{scenario:${s.name}}`], ['count>=0']);
    assert.deepEqual(th[`${LAG_METRIC}{scenario:${s.name}}`], ['value>=0']);
  }
  assert.equal(plan.requests, 12000);
  assert.deepEqual(th[LATE_METRIC], ['count<=120']);
  assert.deepEqual(gateThresholds(parseConfig({ ...STARVED_ENV, GATE_LAG: '0.5' }, 'report').plan.gates, false, 12000)[LATE_METRIC], ['count<=60']);
  assert.deepEqual(k6Thresholds(parseConfig({ ...STARVED_ENV, GATE_LAG: 'off' }, 'report').plan)[LATE_METRIC], ['count>=0']);
  // stress is meant to outrun one generator at its top rates: no lag gate by default, the verdict still judges.
  assert.equal(parseConfig({ PROFILE: 'stress' }, 'stress').plan.gates.maxLateShare, null);
  assert.equal(maxLate(0.01, 99), 0);
  assert.equal(maxLate(0.07, 100), 7);
});

test('a bad GATE_LAG is refused before any load, naming the variable and the fix', () => {
  for (const bad of ['-1', 'lots', '101']) {
    assert.throws(() => parseConfig({ ...HEALTHY_ENV, GATE_LAG: bad }, 'report'), /GATE_LAG/, bad);
  }
});

test('real k6, healthy: every request on time, trustworthy, the gate passes', () => {
  const m = model('healthy.json', HEALTHY_ENV);
  assert.equal(m.totals.sent, 400);
  for (const s of m.scenarios) assert.deepEqual(s.schedule, { late: 0, maxLagMs: null }, s.name);
  assert.deepEqual(m.totals.schedule, { late: 0, maxLagMs: null });
  assert.equal(m.generator!.late, 0);
  assert.equal(m.generator!.lateShare, 0);
  assert.equal(m.generator!.toleranceMs, 25);
  assert.equal(m.generator!.vusAllocated, 100);
  assert.equal(m.verdict!.status, 'trustworthy');
  assert.match(m.verdict!.headline, /^Trustworthy: k6 kept its schedule \(0\.00 % of requests started over 25 ms late/);
  const gate = m.thresholds.find((t) => t.metric === LATE_METRIC)!;
  assert.deepEqual([gate.expression, gate.ok, gate.gate, gate.observed], ['count<=4', true, true, 0]);
});

test('real k6, starved of CPU: the late requests per scenario, the worst lag, and the verdict says the generator fell behind', () => {
  const m = model('starved.json', STARVED_ENV);
  const by = Object.fromEntries(m.scenarios.map((s) => [s.name, s.schedule]));
  assert.deepEqual(by, {
    id_c3000_o2: { late: 709, maxLagMs: 177 },
    id_c3000_o1: { late: 2655, maxLagMs: 298 },
    ref_c3000_o2: { late: 762, maxLagMs: 192 },
    ref_c3000_o1: { late: 85, maxLagMs: 69 },
  });
  assert.deepEqual(m.totals.schedule, { late: 4211, maxLagMs: 298 });
  assert.equal(m.generator!.late, 4211);
  assert.ok(Math.abs(m.generator!.lateShare! - 4211 / m.totals.sent) < 1e-12);
  assert.equal(m.verdict!.status, 'generator-behind');
  assert.match(m.verdict!.headline, /^The load generator fell behind: 35\.\d\d % of requests started over 25 ms late \(worst 298 ms\)/);
  assert.match(m.verdict!.meaning, /may be k6's own/);
  assert.match(m.verdict!.advice, /execution-segment|k6 cloud|bigger machine/);
  const gate = m.thresholds.find((t) => t.metric === LATE_METRIC)!;
  assert.deepEqual([gate.expression, gate.ok, gate.observed], ['count<=120', false, 4211]);
});

test('the verdict reads drops with free VUs and unscheduled requests, and old data without lag', () => {
  const plan = parseConfig({ PROFILE: 'smoke' }, 'smoke').plan;
  const run = { plan, label: 'x', profile: 'smoke', target: null, seed: 1, k6Version: null };
  const ok = (s: { count: number }) => ({ classes: { success: s.count }, causes: { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 }, notSent: 0 });
  // 1 % late is at the limit (not over it); one more is over.
  const atLimit = buildSummary(syntheticData(plan, { outcome: (s) => ({ ...ok(s), late: Math.floor(s.count / 100) }) }), run, 0);
  assert.ok(atLimit.generator!.lateShare! <= 0.01);
  assert.equal(atLimit.verdict!.status, 'trustworthy');
  const over = buildSummary(syntheticData(plan, { outcome: (s) => ({ ...ok(s), late: Math.floor(s.count / 100) + 2, maxLagMs: 400 }) }), run, 0);
  assert.equal(over.verdict!.status, 'generator-behind');
  assert.match(over.verdict!.headline, /worst 400 ms/);
  // Data from a bundle before the lag: no lag sub-metrics. Unknown, not 0.
  const old = buildSummary(syntheticData(plan, { outcome: ok, omit: (k) => k.startsWith('party_late') || k.startsWith('party_schedule_lag') }), run, 0);
  assert.equal(old.scenarios[0]!.schedule, null);
  assert.equal(old.generator!.late, null);
  assert.equal(old.verdict!.status, 'trustworthy');
  assert.match(old.verdict!.headline, /as far as k6's data tells/);
  assert.match(old.verdict!.reasons.join(' '), /no schedule lag/);
  // Never scheduled: behind, whatever the lag says.
  const unscheduled = judge({ ...old, generator: { ...old.generator!, notScheduled: 3 } });
  assert.equal(unscheduled.status, 'generator-behind');
  // Nothing sent: no verdict on the target at all.
  assert.equal(judge({ ...old, totals: { ...old.totals, sent: 0 }, setupProblem: 'refused' }).status, 'not-judged');
});

test('the machine: saturated when at least a quarter of the samples were 90 % busy; the samples thin to an hour', () => {
  const m = model('healthy.json', HEALTHY_ENV);
  const calm = withHost(m, host([0.3, 0.5, 0.95, 0.4, 0.2]));
  assert.equal(calm.verdict!.status, 'trustworthy');
  assert.match(calm.verdict!.headline, /the machine had room/);
  assert.equal(calm.host!.saturatedShare, 0.2);
  const busy = withHost(m, host([0.95, 0.99, 0.4, 0.91]));
  assert.equal(busy.verdict!.status, 'saturated');
  assert.match(busy.verdict!.headline, /^The machine was saturated: at least 90 % busy for 75\.00 % of the run/);
  assert.match(busy.verdict!.advice, /machine of its own/);
  // Saturation names the cause when k6 also fell behind.
  const both = withHost(model('starved.json', STARVED_ENV), host([1, 1, 1]));
  assert.equal(both.verdict!.status, 'saturated');
  assert.match(both.verdict!.headline, /and k6 fell behind its schedule/);
  assert.equal(thin(Array.from({ length: 8 * 3600 }, (_, i) => i)).length, 3600);
  assert.equal(host(Array.from({ length: 5000 }, () => 0.1)).samples.length, 3600);
});

test('/proc parsing: a process\'s ticks and the machine\'s busy share', () => {
  assert.equal(ticksOf('1234 (k6 (odd) name) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0'), 300);
  assert.equal(ticksOf('garbage'), null);
  // user nice system idle iowait irq softirq steal guest guest_nice
  assert.deepEqual(machineTicks('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n'), [150, 1000]);
  assert.equal(machineTicks('intr 1 2 3'), null);
});

test('npm start exits 3, not 99, when a gate failed but the generator decided the run', () => {
  const v = (status: 'trustworthy' | 'generator-behind' | 'saturated') => ({ verdict: { status, headline: '', reasons: [], meaning: '', advice: '' } });
  assert.equal(UNTRUSTED_EXIT, 3);
  assert.equal(exitCodeFor(99, v('generator-behind')), 3);
  assert.equal(exitCodeFor(99, v('saturated')), 3);
  assert.equal(exitCodeFor(99, v('trustworthy')), 99);
  assert.equal(exitCodeFor(0, v('generator-behind')), 0);
  assert.equal(exitCodeFor(107, v('generator-behind')), 107);
  assert.equal(exitCodeFor(99, null), 99);
});

test('merge: late requests add up, the worst lag is the worst of any instance, the busiest machine judges', () => {
  const plan = parseConfig({ PROFILE: 'smoke' }, 'smoke').plan;
  const ok = (s: { count: number }) => ({ classes: { success: s.count / 2 }, causes: { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 }, notSent: 0 });
  const half = (seg: string, late: number, lag: number, busy: number[]): SummaryModel => {
    const share = { segment: seg, sequence: '0,1/2,1', planned: Object.fromEntries(plan.scenarios.map((s) => [s.name, s.count / 2])), vus: Object.fromEntries(plan.scenarios.map((s) => [s.name, s.vus])) };
    const m = buildSummary(syntheticData(plan, { outcome: (s) => ({ ...ok(s), late, maxLagMs: lag }) }), { plan, label: 'smoke', profile: 'smoke', target: null, seed: 1, k6Version: null, segment: share }, 0);
    return withHost(m, host(busy));
  };
  // a: no late start, a calm machine; b: two late per scenario, a saturated one.
  const a = half('0:1/2', 0, 40, [0.2, 0.3]);
  const b = half('1/2:1', 2, 90, [0.95, 0.97, 0.2]);
  const merged = mergeSummaries([{ file: 'a/summary.json', model: a }, { file: 'b/summary.json', model: b }], null);
  const n = plan.scenarios.length;
  assert.deepEqual(merged.totals.schedule, { late: 2 * n, maxLagMs: 90 });
  assert.equal(merged.generator!.late, 2 * n);
  assert.equal(merged.host!.saturatedShare, b.host!.saturatedShare);
  assert.equal(merged.verdict!.status, 'saturated');
  assert.deepEqual(merged.merged!.instances.map((i) => i.verdict!.status), ['trustworthy', 'saturated']);
});
