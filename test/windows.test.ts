// Soak and spike: the windows a plan cuts, what they cost k6, and the rules
// that read them (drift, recovery) on synthetic rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../lib/config.ts';
import { k6Options, parseScenarioName } from '../lib/plan.ts';
import { SOAK_WINDOWS, windowSpecs, windowCount } from '../lib/windows.ts';
import { drift, routeDrift, routeSpike, spike } from '../lib/summary/windows.ts';
import type { WindowRow } from '../lib/summary/model.ts';
import type { Phase } from '../lib/windows.ts';

const soak = (env: Record<string, string> = {}) => parseConfig({ PROFILE: 'soak', ...env }, 'report').plan;

test('a soak is 30 windows of SOAK_DURATION / 30 (at least a minute), back to back, every request in exactly one', () => {
  for (const [d, n, w] of [['30m', 30, 60_000], ['2h', 30, 240_000], ['8h', 30, 960_000], ['45m', 30, 90_000], ['10m', 10, 60_000]] as const) {
    const specs = windowSpecs({ kind: 'soak', rate: 5, durationMs: soak({ SOAK_DURATION: d }).windows!.kind === 'soak' ? (soak({ SOAK_DURATION: d }).windows as { durationMs: number }).durationMs : 0 });
    assert.equal(specs.length, n, d);
    assert.ok(specs.every((s) => s.lengthMs === w), d);
    specs.forEach((s, i) => i > 0 && assert.equal(s.startMs, specs[i - 1]!.startMs + specs[i - 1]!.lengthMs));
    const plan = soak({ SOAK_DURATION: d });
    assert.equal(plan.scenarios.length, n * 3);
    assert.equal(plan.requests, (specs.reduce((a, s) => a + s.lengthMs, 0) / 1000) * 5 * 3, `${d}: rate x duration x routes`);
    for (const s of plan.scenarios) {
      assert.equal(s.count * s.offset, specs[s.window!]!.lengthMs, 'a window ends where the next begins');
      assert.equal(s.durationMs, s.count * s.offset - s.offset / 2, 'exactly count arrivals');
      assert.deepEqual(parseScenarioName(s.name), { route: s.route, count: s.count, offset: s.offset, window: s.window });
    }
  }
  assert.ok(SOAK_WINDOWS === 30);
  // A remainder joins the last window: never a window too short for k6.
  const odd = windowSpecs({ kind: 'soak', rate: 5, durationMs: 61_000 });
  assert.deepEqual(odd.map((w) => w.lengthMs), [61_000]);
  const hour = windowSpecs({ kind: 'soak', rate: 5, durationMs: 3_601_000 });
  assert.equal(hour.length, 29);
  assert.equal(hour.at(-1)!.lengthMs, 3_601_000 - 28 * 121_000);
  assert.doesNotThrow(() => soak({ SOAK_DURATION: '61s' }));
});

test("a soak's cost to k6 does not grow with its length: the same VUs and thresholds for 30 min and 8 h, no run-long latency sub-metric", () => {
  const short = soak({ SOAK_DURATION: '30m' });
  const long = soak({ SOAK_DURATION: '8h' });
  assert.equal(long.peakVUs, short.peakVUs);
  const th = (p: typeof short) => Object.keys(k6Options(p).thresholds);
  assert.equal(th(long).length, th(short).length);
  // A Trend a threshold names keeps every answer and is sorted every 2 s:
  // only the windows' own (a window's answers) may be named.
  for (const key of th(long).filter((k) => k.startsWith('http_req_duration'))) assert.match(key, /scenario:[a-z]+_c\d+_o\d+_w\d+,/);
  assert.equal(long.gates.p95Ms, null);
});

test('a spike: six base windows, one spike window at factor x the rate, then the base for at least 2 minutes', () => {
  const plan = parseConfig({ PROFILE: 'spike', SPIKE_RATE: '4', SPIKE_FACTOR: '5', SPIKE_SECONDS: '30' }, 'report').plan;
  const id = plan.scenarios.filter((s) => s.route === 'id');
  assert.deepEqual(id.map((s) => s.phase), [...Array(6).fill('base'), 'spike', ...Array(18).fill('after')]);
  const sp = id.find((s) => s.phase === 'spike')!;
  assert.equal(sp.offset, 50);
  assert.equal(sp.count, 600, '20/s for 30 s');
  assert.equal(sp.startMs, 60_000);
  assert.equal(id[7]!.startMs, 90_000, 'the base resumes at the spike\'s end');
  assert.equal(sp.vus, Math.min(600, Math.ceil(plan.timeoutMs / 50) + 1), 'VUs for rate x timeout, allocated before the run');
  for (const s of plan.scenarios) assert.equal(windowCount({ index: 0, phase: 'base', startMs: 0, lengthMs: s.count * s.offset, offset: s.offset }), s.count);
});

test('soak and spike variables are checked, and the matrix variables refused for them', () => {
  const problems = (env: Record<string, string>): string[] => {
    try {
      parseConfig(env, 'report');
      return [];
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.problems;
    }
  };
  assert.deepEqual(problems({ PROFILE: 'soak', SOAK_DURATION: '8h', SOAK_RATE: '0.5' }), []);
  assert.match(problems({ PROFILE: 'soak', COUNTS: '100' })[0]!, /COUNTS does not apply to PROFILE=soak/);
  assert.match(problems({ PROFILE: 'soak', SOAK_DURATION: '30s' })[0]!, /SOAK_DURATION: 30000 is out of range: use 60000 to 86400000/);
  assert.match(problems({ PROFILE: 'soak', SOAK_DURATION: 'forever' })[0]!, /^SOAK_DURATION="forever": expected how long a soak runs/);
  assert.match(problems({ PROFILE: 'quick', SOAK_RATE: '5' })[0]!, /SOAK_RATE applies only to PROFILE=soak/);
  assert.match(problems({ PROFILE: 'spike', SPIKE_FACTOR: '1' })[0]!, /SPIKE_FACTOR: 1 is out of range/);
  assert.match(problems({ PROFILE: 'spike', OFFSETS: '50' })[0]!, /OFFSETS does not apply to PROFILE=spike: its windows come from SPIKE_RATE, SPIKE_FACTOR and SPIKE_SECONDS/);
});

// Rows as lib/summary/windows.ts reads them: one route, windows of 60 s.
function rows(p95s: Array<number | null>, opts: { success?: number[]; phases?: Phase[]; lengthMs?: number } = {}): WindowRow[] {
  const len = opts.lengthMs ?? 60_000;
  return p95s.map((p95, i) => {
    const ok = opts.success?.[i] ?? 1;
    return {
      window: i, phase: opts.phases?.[i] ?? 'soak', route: 'id', startMs: i * len, lengthMs: len, offset: 200, planned: 300, sent: 300, notSent: 0,
      successRate: ok, classes: { success: Math.round(ok * 300), no_response: 300 - Math.round(ok * 300), not_found: 0, server_error: 0, other: 0, invalid: 0 },
      p50: p95 === null ? null : p95 / 2, p95,
    };
  });
}

test('drift: steady windows with a few wild ones are stable; a rising p95 or falling success is degrading, per hour', () => {
  const noisy = Array.from({ length: 30 }, (_, i) => 20 + (i % 3));
  noisy[2] = 900; // a GC pause in the early third
  noisy[27] = 700; // and a neighbour's backup in the late one
  noisy[28] = 650;
  const steady = routeDrift('id', rows(noisy));
  assert.equal(steady.status, 'stable');

  // 20 ms rising 1 ms a minute: 49 ms in the last window.
  const rising = routeDrift('id', rows(Array.from({ length: 30 }, (_, i) => 20 + i)));
  assert.equal(rising.status, 'degrading');
  assert.equal(rising.p95.early, 24.5);
  assert.equal(rising.p95.late, 44.5);
  // Thirds' middles 5 and 25 minutes in: 20 ms over 20 minutes.
  assert.ok(Math.abs(rising.p95.perHour! - 60) < 1e-9, String(rising.p95.perHour));
  assert.match(rising.reasons[0]!, /p95 rose from 24\.5 ms to 44\.5 ms \(\+60 ms per hour\)/);

  const failing = routeDrift('id', rows(Array(30).fill(20), { success: Array.from({ length: 30 }, (_, i) => (i < 20 ? 1 : 0.97)) }));
  assert.equal(failing.status, 'degrading');
  assert.match(failing.reasons[0]!, /success fell from 100\.00 % to 97\.00 %/);

  // 2 ms to 4 ms doubles, but is no finding (under DRIFT_P95_MIN_MS).
  assert.equal(routeDrift('id', rows(Array.from({ length: 30 }, (_, i) => (i < 15 ? 2 : 4)))).status, 'stable');
  assert.equal(routeDrift('id', rows([20, 20, 20, 20, 20])).status, 'too-short');
  const both = drift([...rows(noisy), ...rows(Array.from({ length: 30 }, (_, i) => 20 + i)).map((r) => ({ ...r, route: 'ref' }))]);
  assert.equal(both.status, 'degrading');
  assert.match(both.headline, /^Degrading: [^:]*ref[^:]*: p95 rose/);
});

test('spike: recovery is timed from the spike\'s end to the first window back in the base band that stays there', () => {
  const phases: Phase[] = [...Array(6).fill('base'), 'spike', ...Array(12).fill('after')];
  const len = 10_000;
  // Base p95 20-24 ms (the first window warms up: 200 ms, left out of the band).
  const base = [200, 20, 22, 24, 21, 23];
  const r = routeSpike('id', rows([...base, 9000, 8000, 3000, 25, 900, 28, 27, 24, 22, 21, 20, 22, 23], { phases, lengthMs: len }));
  assert.equal(r.band.p95Max, 34, 'worst base 24 ms: max(24 x 1.25, 24 + 10)');
  assert.equal(r.leftBand, true);
  // The third window after (25 ms) is back but the fourth (900 ms) is not: one lucky window is no recovery.
  assert.equal(r.recoveredAfterMs, 50_000, 'the fifth (28 ms) and sixth stay back: recovered by the end of the fifth, 50 s after the spike');

  const never = routeSpike('id', rows([...base, 9000, ...Array(12).fill(5000)], { phases, lengthMs: len }));
  assert.equal(never.recoveredAfterMs, null);
  const calm = routeSpike('id', rows([...base, 25, ...Array(12).fill(22)], { phases, lengthMs: len }));
  assert.equal(calm.leftBand, false);

  const all = spike([...rows([...base, 9000, ...Array(12).fill(5000)], { phases, lengthMs: len })], { kind: 'spike', rate: 5, factor: 10, spikeMs: 10_000 }, len);
  assert.equal(all.recovered, false);
  assert.match(all.headline, /^Did not recover within the 120 s after the spike \(50\/s per route for 10 s \(10 x the base 5\/s\)\)/);
  const fails = routeSpike('id', rows([...base, 22, 22, 22, 22, ...Array(9).fill(22)], {
    phases, lengthMs: len, success: [1, 1, 1, 1, 1, 1, 0.5, 0.6, 0.97, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  }));
  assert.equal(fails.recoveredAfterMs, 30_000, '97 % is under the base less 1 point: back from the third window after');
});

test('a spike of 1 s is refused before any load (k6 runs no scenario under 1 s); 2 s plans', () => {
  assert.throws(() => parseConfig({ PROFILE: 'spike', SPIKE_SECONDS: '1' }, 'report'), /SPIKE_SECONDS: 1 is out of range: use 2 to 3600/);
  assert.equal(parseConfig({ PROFILE: 'spike', SPIKE_SECONDS: '2' }, 'report').plan.scenarios.find((s) => s.phase === 'spike')!.count, 100);
});
