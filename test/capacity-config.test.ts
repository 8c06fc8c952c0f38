// RATE and STEP: the capacity probe's env variables, turned into a plan k6 accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, offsetForRate, parseConfig } from '../lib/config.ts';
import { k6Options, vusFor } from '../lib/plan.ts';

// k6 v0.49 lib/executor/base_config.go: executorNameWhitelist.
const K6_SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;
const arrivals = (durationMs: number, offset: number): number => {
  let n = 0;
  for (let i = 0; i * offset < durationMs; i++) n++;
  return n;
};

for (const rate of [1, 3, 10, 137, 333, 1234, 2000]) {
  test(`RATE=${rate}: one constant-arrival-rate per route at ${rate}/s for STEP, with a name k6 accepts`, () => {
    const c = parseConfig({ PROFILE: 'capacity', RATE: String(rate), STEP: '10s', ROUTES: 'id,ref' }, 'capacity');
    assert.equal(c.plan.scenarios.length, 2);
    for (const s of c.plan.scenarios) {
      assert.match(s.name, K6_SCENARIO_NAME);
      assert.equal(s.offset, offsetForRate(rate));
      assert.ok(Math.abs(1000 / s.offset - rate) / rate < 1e-3, `offset ${s.offset} ms is ${1000 / s.offset}/s`);
      assert.equal(s.count, Math.ceil(10_000 / s.offset));
      assert.equal(arrivals(s.durationMs, s.offset), s.count, 'exactly count iterations start');
      assert.equal(s.startMs, 0, 'the routes run side by side');
      assert.equal(s.vus, vusFor(s.count, s.offset, c.profile.timeoutMs, null));
    }
    const sc = k6Options(c.plan).scenarios[c.plan.scenarios[0]!.name] as { timeUnit: string; duration: string };
    assert.match(sc.timeUnit, /^\d+(\.\d+)?ms$/);
  });
}

test('the capacity profile: 10 req/s for 10 s on id, gates at 99 %, p95 1 s, nothing dropped and at most 1 % started late', () => {
  const c = parseConfig({}, 'capacity');
  assert.deepEqual(c.plan.scenarios.map((s) => [s.name, s.count]), [['id_c100_o100', 100]]);
  assert.deepEqual(c.plan.gates, { successRate: 0.99, p95Ms: 1000, maxNotSent: 0, maxLateShare: 0.01 });
});

test('STEP turns a matrix profile into steps; RATE and STEP refuse their conflicts and bad values', () => {
  const q = parseConfig({ PROFILE: 'quick', STEP: '2s', RATE: '50' }, 'report');
  assert.deepEqual([...new Set(q.plan.scenarios.map((s) => s.count))], [100]);
  const bad = (env: Record<string, string>, message: RegExp) =>
    assert.throws(() => parseConfig(env, 'capacity'), (e: unknown) => e instanceof ConfigError && message.test(e.message));
  bad({ RATE: '5', OFFSETS: '100' }, /RATE and OFFSETS both set/);
  bad({ STEP: '5s', COUNTS: '10' }, /STEP and COUNTS both set/);
  bad({ RATE: '0' }, /RATE: 0 is out of range/);
  bad({ RATE: 'fast' }, /RATE="fast": expected requests per second/);
  bad({ STEP: '500ms' }, /STEP: 500 is out of range/);
});
