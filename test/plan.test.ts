import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, COMBINED_LATENCY_METRIC, k6Options, k6Thresholds, PlanError, routeLatencyMetric, vusFor, RESPONSES_METRIC, scenarioRequests, type Plan } from '../lib/plan.ts';
import { parseConfig } from '../lib/config.ts';
import { PROFILES, type Profile } from '../lib/profiles.ts';
import { CAUSES, CLASSES } from '../lib/classify.ts';
import { routeByKey } from '../lib/routes.ts';

const arrivals = (durationMs: number, offset: number): number => {
  // constant-arrival-rate with rate 1 per offset starts iterations at 0, offset, 2*offset, ... while t < duration
  let n = 0;
  for (let t = 0; t < durationMs; t += offset) n++;
  return n;
};

for (const profile of Object.values(PROFILES)) {
  test(`profile ${profile.name}: every scenario fires exactly its count, lasts >= 1 s, and has VUs for rate x timeout`, () => {
    const plan = buildPlan(profile);
    assert.ok(plan.scenarios.length > 0);
    for (const s of plan.scenarios) {
      assert.match(s.name, /^[a-z][a-z_]*_c\d+_o\d+(_w\d\d)?$/); // route keys such as post_businesses; soak and spike windows
      assert.equal(s.name, `${s.route}_c${s.count}_o${s.offset}${s.window === undefined ? '' : `_w${String(s.window).padStart(2, '0')}`}`);
      assert.ok(s.durationMs >= 1000, `${s.name} lasts ${s.durationMs} ms`);
      assert.equal(arrivals(s.durationMs, s.offset), s.count, `${s.name} must start exactly ${s.count} iterations`);
      // no arrival sits on the duration boundary, where k6 races the last tick
      assert.notEqual(s.durationMs % s.offset, 0);
      const needed = Math.min(s.count, Math.ceil(profile.timeoutMs / s.offset) + 1);
      assert.equal(s.vus, profile.maxVUs === null ? needed : Math.min(needed, profile.maxVUs));
      assert.ok(s.gracefulStopMs > profile.timeoutMs, 'answers in flight at the end are still counted');
    }
    assert.equal(plan.requests, plan.scenarios.reduce((n, s) => n + s.count, 0));
  });
}

test('report: 45 scenarios, 12000 requests, one at a time', () => {
  const plan = buildPlan(PROFILES.report!);
  assert.equal(plan.scenarios.length, 45);
  assert.equal(plan.requests, 12000);
  assertNoOverlap(plan);
  assert.equal(plan.peakVUs, 500);
});

test('single-route: the isolation runs, 4000 requests on /businesses/id/', () => {
  const plan = buildPlan(PROFILES['single-route']!);
  assert.equal(plan.requests, 4000);
  assert.deepEqual([...new Set(plan.scenarios.map((s) => s.route))], ['id']);
});

test('parallel-routes: the routes of a cell start together, cells do not overlap', () => {
  const plan = buildPlan(PROFILES.quick!);
  const byStart = new Map<number, string[]>();
  for (const s of plan.scenarios) byStart.set(s.startMs, [...(byStart.get(s.startMs) ?? []), s.route]);
  for (const routes of byStart.values()) assert.deepEqual(routes.sort(), ['id', 'query', 'ref']);
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  for (let i = 1; i < starts.length; i++) {
    const prev = plan.scenarios.filter((s) => s.startMs === starts[i - 1]);
    for (const s of prev) assert.ok(s.startMs + s.durationMs + s.gracefulStopMs <= starts[i]!);
  }
  assert.ok(plan.totalMs < 5 * 60_000, `quick takes ${plan.totalMs} ms`);
});

test('smoke is about a minute; stress climbs to 1000 requests/s per route', () => {
  assert.ok(buildPlan(PROFILES.smoke!).totalMs <= 90_000);
  const stress = buildPlan(PROFILES.stress!);
  assert.equal(Math.min(...stress.scenarios.map((s) => s.offset)), 1);
  assert.ok(stress.scenarios.every((s) => s.vus <= 1000));
  const rates = stress.scenarios.filter((s) => s.route === 'id').map((s) => 1000 / s.offset);
  assert.deepEqual(rates, [...rates].sort((a, b) => a - b), 'rates climb step by step');
});

test('a combination under 1 s is rejected with its name and the fix', () => {
  const p: Profile = { ...PROFILES.smoke!, counts: [20, 40], offsets: [50, 10] };
  assert.throws(() => buildPlan(p), (e: unknown) => {
    assert.ok(e instanceof PlanError);
    assert.equal(e.problems.length, 9); // 20@50, 20@10 and 40@10, for each of the 3 routes
    return true;
  });
  const one: Profile = { ...PROFILES.smoke!, routes: ['id'], counts: [20], offsets: [50] };
  assert.throws(() => buildPlan(one), /id_c20_o50: 20 requests 50 ms apart last 975 ms.*at least 21 requests/);
});

test('every threshold names a real scenario and class; every cell the summary reads has one', () => {
  const plan = buildPlan(PROFILES.report!);
  const th = k6Thresholds(plan);
  const names = new Set(plan.scenarios.map((s) => s.name));
  for (const key of Object.keys(th)) {
    const m = /^([a-z_]+)(?:\{(.*)\})?$/.exec(key);
    assert.ok(m, key);
    const tags = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => kv.split(':')));
    if (tags.scenario) assert.ok(names.has(tags.scenario), `${key} names an unknown scenario`);
    if (tags.class) assert.ok((CLASSES as readonly string[]).includes(tags.class), key);
    if (tags.cause) assert.ok((CAUSES as readonly string[]).includes(tags.cause), key);
  }
  for (const s of plan.scenarios) {
    // Successes are the scenario's requests less the other classes, which the Counter counts.
    assert.deepEqual(th[scenarioRequests(s.name)], ['count>=0']);
    assert.equal(th[`${RESPONSES_METRIC}{scenario:${s.name},class:success}`], undefined);
    for (const c of CLASSES) if (c !== 'success') assert.ok(th[`${RESPONSES_METRIC}{scenario:${s.name},class:${c}}`]);
    for (const c of CAUSES) assert.ok(th[`${RESPONSES_METRIC}{scenario:${s.name},cause:${c}}`]);
    assert.ok(th[`dropped_iterations{scenario:${s.name}}`]);
    assert.ok(th[`http_req_duration{scenario:${s.name},expected_response:true}`]);
  }
  assert.deepEqual(th.checks, ['rate>=0.99'], 'the report: under 99 % "shouldn\'t be considered good"');
});

test('a latency sub-metric gets a threshold only where it holds answers no other holds', () => {
  // k6 sorts every Trend a threshold names every 2 s (README, "Long runs").
  const latency = (env: Record<string, string>) =>
    Object.keys(k6Thresholds(parseConfig(env, 'report').plan)).filter((k) => k.startsWith('http_req_duration{') && !k.includes('scenario:')).sort();
  const gate = 'http_req_duration{expected_response:true}';
  // One route, one scenario: its scenario's sub-metric is the route and the run.
  assert.deepEqual(latency({ ROUTES: 'id', COUNTS: '10000', OFFSETS: '1' }), []);
  // The p95 gate is the one threshold on k6's own sub-metric.
  assert.deepEqual(latency({ ROUTES: 'id', COUNTS: '10000', OFFSETS: '1', GATE_P95: '500' }), [gate]);
  // One route, several scenarios: the route's own, which is also the run's.
  assert.deepEqual(latency({ ROUTES: 'id', COUNTS: '100,200' }), [routeLatencyMetric('id')]);
  // Several routes of one scenario each: the combined one only.
  assert.deepEqual(latency({ COUNTS: '100', OFFSETS: '50' }), [COMBINED_LATENCY_METRIC]);
  // The report: every route and the combined.
  assert.deepEqual(latency({}), [COMBINED_LATENCY_METRIC, ...['id', 'query', 'ref'].map(routeLatencyMetric)].sort());
});

test('k6 options: constant-arrival-rate, rate 1 per offset, exact durations', () => {
  const o = k6Options(buildPlan(PROFILES.smoke!));
  const s = o.scenarios.id_c40_o50 as Record<string, unknown>;
  assert.deepEqual(s, {
    executor: 'constant-arrival-rate', exec: 'id', rate: 1, timeUnit: '50ms', duration: '1975ms',
    preAllocatedVUs: 40, maxVUs: 40, startTime: '0ms', gracefulStop: '6000ms',
    tags: { route: 'id', count: '40', offset: '50', name: 'GET /businesses/id/{id}' },
  });
  assert.ok(o.summaryTrendStats.includes('p(99)'));
});

test('odd offsets give half-millisecond durations that k6 parses (Go durations)', () => {
  const p: Profile = { ...PROFILES.smoke!, routes: ['id'], counts: [1500], offsets: [1] };
  const o = k6Options(buildPlan(p));
  assert.equal((o.scenarios.id_c1500_o1 as { duration: string }).duration, '1499.5ms');
});

test('VU sizing', () => {
  assert.equal(vusFor(500, 50, 60_000, null), 500);
  assert.equal(vusFor(500, 2000, 60_000, null), 31);
  assert.equal(vusFor(5000, 1, 3000, 1000), 1000);
});

function assertNoOverlap(plan: Plan): void {
  const sorted = [...plan.scenarios].sort((a, b) => a.startMs - b.startMs);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1]!;
    assert.ok(p.startMs + p.durationMs + p.gracefulStopMs <= sorted[i]!.startMs, `${p.name} overlaps ${sorted[i]!.name}`);
  }
}

test("the README's table of profile costs matches the plans", async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| (\d+) \| (\d+) \| ([\d.]+) min \| (\d+) \|$/gm)];
  assert.equal(rows.length, Object.keys(PROFILES).length);
  for (const [, name, scenarios, requests, minutes, vus] of rows) {
    const plan = buildPlan(PROFILES[name!]!);
    assert.equal(plan.scenarios.length, Number(scenarios), name);
    assert.equal(plan.requests, Number(requests), name);
    assert.equal(plan.peakVUs, Number(vus), name);
    assert.ok(Math.abs(plan.totalMs / 60_000 - Number(minutes)) < 0.6, `${name}: ${plan.totalMs / 60_000} min`);
  }
});

test('every scenario of every profile tags its samples with its route\'s name tag (no request passes tags)', () => {
  for (const [key, profile] of Object.entries(PROFILES)) {
    const scenarios = k6Options(buildPlan(profile)).scenarios as Record<string, { exec: string; tags: Record<string, string> }>;
    for (const [name, s] of Object.entries(scenarios)) {
      assert.equal(s.tags.name, routeByKey(s.exec)!.nameTag, `${key}: ${name}`);
    }
  }
});
