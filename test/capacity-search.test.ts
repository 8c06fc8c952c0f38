// The capacity search and its rules on a simulated target: a function
// rate -> the figures a probe would read from k6's summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busyVUs, DEFAULT_RETRIES, judgeProbe, trusted, type GeneratorLoad, type RouteFigures, type RunTrust } from '../lib/capacity/rules.ts';
import { decide, searchCapacity, type ProbeOutcome } from '../lib/capacity/search.ts';
import { vusFor } from '../lib/plan.ts';

const STEP = 10;
const TIMEOUT = 2000;
const criteria = { successRate: 0.99, p95Ms: 1000 };
const load = (k6Cores: number | null = 0.2): GeneratorLoad => ({ stepSeconds: STEP, timeoutMs: TIMEOUT, k6Cores, machineCores: 2 });

function figures(over: Partial<RouteFigures> = {}): RouteFigures {
  return { route: 'id', planned: 1000, sent: 1000, success: 1000, notSent: 0, notRun: 0, timeouts: 0, p95Ms: 20, meanMs: 10, vus: 201, ...over };
}

/**
 * A target that serves `capacity` req/s: below it answers fast; above it a
 * queue builds, latency climbs with the overload and requests time out.
 */
function simulatedTarget(capacity: number) {
  return (rate: number): RouteFigures => {
    const planned = rate * STEP;
    const vus = vusFor(planned, 1000 / rate, TIMEOUT, null);
    if (rate <= capacity) return figures({ planned, sent: planned, success: planned, p95Ms: 5 + 50 * (rate / capacity), meanMs: 5, vus });
    const overload = rate / capacity - 1;
    const failed = Math.min(planned, Math.ceil(planned * Math.min(1, overload)));
    return figures({ planned, sent: planned, success: planned - failed, timeouts: failed, p95Ms: 400 + 4000 * overload, meanMs: 300, vus });
  };
}

interface SimProbe extends ProbeOutcome {
  figures: RouteFigures;
}

const probeOf = (target: (rate: number) => RouteFigures, cpu: (rate: number) => number = () => 0.2) =>
  async (rate: number): Promise<SimProbe> => {
    const f = target(rate);
    return { rate, figures: f, verdict: judgeProbe([f], criteria, load(cpu(rate))) };
  };

for (const capacity of [7, 37, 137, 150, 999, 1234]) {
  test(`search on a target that serves ${capacity} req/s: lower <= capacity < upper, within 5 %`, async () => {
    const r = await searchCapacity(probeOf(simulatedTarget(capacity)), { startRate: 10, maxRate: 5000, precision: 0.05 });
    assert.equal(r.stopped, null);
    assert.ok(r.lower !== null && r.upper !== null, JSON.stringify(r));
    assert.ok(r.lower <= capacity && capacity < r.upper, `${r.lower} .. ${r.upper}`);
    assert.ok(r.upper / r.lower <= 1.05 || r.upper - r.lower <= 1, `${r.lower} .. ${r.upper} is wider than 5 %`);
    assert.equal(r.capacity, r.lower);
    assert.equal(r.limitedBy, 'target');
    assert.equal(r.lowerBound, false);
    // Every probe at or below the answer held, every one above failed.
    for (const p of r.probes) assert.equal(p.verdict.holds, p.rate <= capacity, `probe at ${p.rate}`);
    // Geometric ramp then bisection: a handful of probes, never the same rate twice.
    assert.equal(new Set(r.probes.map((p) => p.rate)).size, r.probes.length);
    assert.ok(r.probes.length <= 16, `${r.probes.length} probes`);
  });
}

test('the ramp doubles from the start rate, then bisects by geometric means', async () => {
  const r = await searchCapacity(probeOf(simulatedTarget(100)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.deepEqual(r.probes.slice(0, 5).map((p) => p.rate), [10, 20, 40, 80, 160]);
  assert.equal(r.probes[5]!.rate, Math.round(Math.sqrt(80 * 160)));
});

test('a target slower than the start rate: the ramp goes down until a probe holds', async () => {
  const r = await searchCapacity(probeOf(simulatedTarget(3)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.equal(r.probes[0]!.rate, 10);
  assert.equal(r.capacity, 3);
  assert.equal(r.upper, 4);
  assert.equal(r.limitedBy, 'target');
});

test('even the lowest probe fails: no capacity, the limit named', async () => {
  const r = await searchCapacity(probeOf(simulatedTarget(0.5)), { startRate: 8, maxRate: 5000, precision: 0.05 });
  assert.equal(r.capacity, null);
  assert.equal(r.upper, 1);
  assert.deepEqual(r.probes.map((p) => p.rate), [8, 4, 2, 1]);
  assert.equal(r.limitedBy, 'target');
});

test('every probe holds up to --max-rate: a lower bound, never above max', async () => {
  const r = await searchCapacity(probeOf(simulatedTarget(10_000)), { startRate: 10, maxRate: 300, precision: 0.05 });
  assert.equal(r.capacity, 300);
  assert.equal(r.upper, null);
  assert.equal(r.limitedBy, 'max rate');
  assert.equal(r.lowerBound, true);
  assert.ok(r.probes.every((p) => p.rate <= 300));
  assert.deepEqual(r.probes.map((p) => p.rate), [10, 20, 40, 80, 160, 300]);
});

test('k6 near the machine\'s cores at the failing rate: the load generator was the limit, a lower bound', async () => {
  // The target would serve 1000 req/s, but above 400 req/s k6 burns the machine and its probes fail.
  const target = (rate: number) => (rate > 400 ? figures({ planned: rate * STEP, sent: rate * STEP - 50, success: rate * STEP - 50, notSent: 50, vus: vusFor(rate * STEP, 1000 / rate, TIMEOUT, null) }) : simulatedTarget(1000)(rate));
  const r = await searchCapacity(probeOf(target, (rate) => (rate > 400 ? 1.9 : 0.5)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.ok(r.capacity !== null && r.capacity <= 400 && r.capacity >= 380, String(r.capacity));
  assert.equal(r.limitedBy, 'load generator');
  assert.equal(r.lowerBound, true);
});

test('a probe that cannot be judged stops the search and keeps what was found', async () => {
  const sim = probeOf(simulatedTarget(100));
  let n = 0;
  const r = await searchCapacity(async (rate) => (++n === 4 ? { ...(await sim(rate)), stop: 'interrupted (Ctrl-C)' } : sim(rate)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.equal(r.probes.length, 4);
  assert.equal(r.stopped, 'interrupted (Ctrl-C)');
  assert.equal(r.capacity, 40);
  assert.equal(r.upper, null);
  assert.equal(r.limitedBy, null);
});

test('hold rule: gate, p95 and nothing dropped, each at its boundary', () => {
  assert.equal(judgeProbe([figures({ success: 990 })], criteria, load()).holds, true);
  const low = judgeProbe([figures({ success: 989 })], criteria, load());
  assert.equal(low.holds, false);
  assert.match(low.reasons[0]!, /success 98\.90 % < gate 99\.00 %/);
  assert.equal(judgeProbe([figures({ p95Ms: 1000 })], criteria, load()).holds, true);
  assert.match(judgeProbe([figures({ p95Ms: 1000.5 })], criteria, load()).reasons[0]!, /p95 1000\.5 ms > 1000 ms/);
  const dropped = judgeProbe([figures({ sent: 999, success: 999, notSent: 1 })], { successRate: 0.9, p95Ms: 1000 }, load());
  assert.equal(dropped.holds, false);
  assert.deepEqual(dropped.reasons, ['1 not sent']);
  assert.match(judgeProbe([figures({ success: 0, p95Ms: null })], criteria, load()).reasons.join(), /no successful answer/);
  assert.match(judgeProbe([figures({ sent: 900, success: 900, notRun: 100 })], { successRate: 0.5, p95Ms: 1000 }, load()).reasons[0]!, /100 not run/);
  // Side by side, each route must hold, and the failing one is named.
  const two = judgeProbe([figures(), figures({ route: 'ref', p95Ms: 3000 })], criteria, load());
  assert.deepEqual(two.reasons, ['ref: p95 3000.0 ms > 1000 ms']);
});

test('limit rule: dropped with idle VUs or k6 near the cores is the load generator; dropped with busy VUs is the target', () => {
  // 100 req/s, 10 ms each: about 1 VU busy of 201, yet 5 not sent: k6 could not keep up.
  const idle = judgeProbe([figures({ sent: 995, success: 995, notSent: 5 })], criteria, load());
  assert.match(idle.generator[0]!, /5 not sent while about 1 of 201 VUs were busy/);
  // Every VU waiting out timeouts: the target held them.
  const busy = figures({ sent: 900, success: 300, timeouts: 600, notSent: 100, meanMs: 1500, vus: 201 });
  assert.ok(busyVUs(busy, load()) > 100, String(busyVUs(busy, load())));
  assert.deepEqual(judgeProbe([busy], criteria, load()).generator, []);
  // Few VUs busy on average, but the answers that came were slow: the target (it held the VUs at its peak).
  assert.deepEqual(judgeProbe([figures({ sent: 995, success: 995, notSent: 5, p95Ms: 1600 })], criteria, load()).generator, []);
  assert.deepEqual(judgeProbe([figures({ sent: 995, success: 900, notSent: 5 })], criteria, load()).generator, []);
  assert.match(judgeProbe([figures()], criteria, load(1.7)).generator[0]!, /k6 used 1\.70 of the machine's 2 cores/);
  assert.deepEqual(judgeProbe([figures()], criteria, load(1.5)).generator, []);
  assert.deepEqual(judgeProbe([figures()], criteria, load(null)).generator, []);
});

// A run's own verdict (summary.json, judged again with the machine's samples).
const BEHIND: RunTrust = { status: 'generator-behind', headline: 'The load generator fell behind: 4.20 % of requests started over 25 ms late (worst 180 ms).' };
const SATURATED: RunTrust = { status: 'saturated', headline: 'The machine was saturated: at least 90 % busy for 60.00 % of the run.' };
const TRUSTWORTHY: RunTrust = { status: 'trustworthy', headline: 'Trustworthy: k6 kept its schedule (0.01 % of requests started over 25 ms late, worst 30 ms) and the machine had room.' };

interface TrustedProbe extends SimProbe { attempt: number }

/** probeOf, with each run's verdict from `trust(rate, attempt)`. */
const withTrust = (target: (rate: number) => RouteFigures, trust: (rate: number, attempt: number) => RunTrust | null, cpu?: (rate: number) => number) => {
  const sim = probeOf(target, cpu);
  return async (rate: number, attempt: number): Promise<TrustedProbe> => ({ ...(await sim(rate)), attempt, trust: trust(rate, attempt) });
};

test('trust rule: generator-behind and saturated runs do not count; trustworthy, not-judged and unknown ones do', () => {
  assert.equal(trusted(BEHIND), false);
  assert.equal(trusted(SATURATED), false);
  assert.equal(trusted(TRUSTWORTHY), true);
  assert.equal(trusted({ status: 'not-judged', headline: 'Not judged: no planned request was sent.' }), true);
  assert.equal(trusted(null), true);
  assert.equal(trusted(undefined), true);
  assert.equal(DEFAULT_RETRIES, 2);
  // Two retries: the first and second untrusted runs are retried, the third gives up.
  assert.deepEqual([1, 2, 3].map((a) => decide({ trust: BEHIND }, a)), ['retry', 'retry', 'give up']);
  assert.deepEqual([1, 2].map((a) => decide({ trust: SATURATED }, a, 1)), ['retry', 'give up']);
  assert.equal(decide({ trust: BEHIND }, 1, 0), 'give up');
  assert.equal(decide({ trust: TRUSTWORTHY }, 3, 2), 'count');
  assert.equal(decide({}, 1), 'count');
});

test('generator-behind above 150 req/s: each such rate is retried twice, then the search stops, limited by the load generator', async () => {
  // The target would serve 1000 req/s; above 150 req/s k6 falls behind every time.
  const r = await searchCapacity(withTrust(simulatedTarget(1000), (rate) => (rate > 150 ? BEHIND : TRUSTWORTHY)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.deepEqual(r.probes.map((p) => [p.rate, p.attempt]), [[10, 1], [20, 1], [40, 1], [80, 1], [160, 1], [160, 2], [160, 3]]);
  assert.equal(r.capacity, 80);
  assert.equal(r.lower, 80);
  assert.equal(r.upper, null, 'an untrustworthy run fails nothing');
  assert.equal(r.limitedBy, 'load generator');
  assert.equal(r.lowerBound, true);
  assert.equal(r.stopped, null);
  assert.deepEqual(r.untrusted, { rate: 160, tries: 3, status: 'generator-behind', headline: BEHIND.headline });
});

test('a saturated machine while bisecting: the bracket found so far stays, the search stops at the untrusted rate', async () => {
  // Capacity 100; the bisection's first midpoint (113) runs on a saturated machine, every time.
  const r = await searchCapacity(withTrust(simulatedTarget(100), (rate) => (rate === 113 ? SATURATED : TRUSTWORTHY)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.deepEqual(r.probes.map((p) => p.rate), [10, 20, 40, 80, 160, 113, 113, 113]);
  assert.equal(r.capacity, 80);
  assert.equal(r.upper, 160, 'the trustworthy failure at 160 still counts against the target');
  assert.equal(r.limitedBy, 'load generator');
  assert.equal(r.untrusted?.status, 'saturated');
  assert.equal(r.untrusted?.tries, 3);
});

test('a run behind once, then trustworthy on its retry: the retry counts and the search goes on as if nothing happened', async () => {
  const clean = await searchCapacity(withTrust(simulatedTarget(137), () => TRUSTWORTHY), { startRate: 10, maxRate: 5000, precision: 0.05 });
  const flaky = await searchCapacity(withTrust(simulatedTarget(137), (rate, attempt) => (rate >= 80 && attempt === 1 ? BEHIND : TRUSTWORTHY)), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.equal(flaky.capacity, clean.capacity);
  assert.equal(flaky.upper, clean.upper);
  assert.equal(flaky.limitedBy, 'target');
  assert.equal(flaky.untrusted, null);
  // Every rate from 80 up ran twice: the untrusted run, then its counted retry.
  const counted = flaky.probes.filter((p) => decide(p, p.attempt) === 'count');
  assert.deepEqual(counted.map((p) => p.rate), clean.probes.map((p) => p.rate));
  assert.equal(flaky.probes.length - counted.length, clean.probes.filter((p) => p.rate >= 80).length);
});

test('a trustworthy probe that fails still counts against the target: no retry, limited by the target', async () => {
  const r = await searchCapacity(withTrust(simulatedTarget(37), () => TRUSTWORTHY), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.equal(new Set(r.probes.map((p) => p.rate)).size, r.probes.length, 'no rate ran twice');
  assert.ok(r.probes.every((p) => p.attempt === 1));
  assert.equal(r.limitedBy, 'target');
  assert.equal(r.lowerBound, false);
  assert.ok(r.capacity !== null && r.capacity <= 37 && r.upper! > 37);
  // Unknown trust (a summary without a verdict) counts as before verdicts existed.
  const unknown = await searchCapacity(withTrust(simulatedTarget(37), () => null), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.deepEqual(unknown.probes.map((p) => p.rate), r.probes.map((p) => p.rate));
  assert.equal(unknown.limitedBy, 'target');
});

test('the first rate never trustworthy: no capacity, limited by the load generator; --retries 0 gives up at once', async () => {
  const r = await searchCapacity(withTrust(simulatedTarget(100), () => BEHIND), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.deepEqual(r.probes.map((p) => p.rate), [10, 10, 10]);
  assert.equal(r.capacity, null);
  assert.equal(r.upper, null);
  assert.equal(r.limitedBy, 'load generator');
  assert.equal(r.untrusted?.rate, 10);
  const none = await searchCapacity(withTrust(simulatedTarget(100), (rate) => (rate > 20 ? BEHIND : TRUSTWORTHY)), { startRate: 10, maxRate: 5000, precision: 0.05, retries: 0 });
  assert.deepEqual(none.probes.map((p) => p.rate), [10, 20, 40]);
  assert.equal(none.capacity, 20);
  assert.deepEqual(none.untrusted, { rate: 40, tries: 1, status: 'generator-behind', headline: BEHIND.headline });
});

test('the CPU rule and the lag rule together: CPU marks a counted failure, lag stops the search', async () => {
  // Above 400 req/s k6 burns the machine (CPU rule, drops) but its runs are judged trustworthy: counted failures, the CPU names the limit.
  const target = (rate: number) => (rate > 400 ? figures({ planned: rate * STEP, sent: rate * STEP - 50, success: rate * STEP - 50, notSent: 50, vus: vusFor(rate * STEP, 1000 / rate, TIMEOUT, null) }) : simulatedTarget(1000)(rate));
  const cpu = (rate: number) => (rate > 400 ? 1.9 : 0.5);
  const byCpu = await searchCapacity(withTrust(target, () => TRUSTWORTHY, cpu), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.equal(byCpu.limitedBy, 'load generator');
  assert.equal(byCpu.untrusted, null);
  assert.ok(byCpu.capacity !== null && byCpu.capacity >= 380 && byCpu.capacity <= 400, String(byCpu.capacity));
  // The same, with the runs above 400 req/s judged generator-behind: retried, then the search stops at the first.
  const byLag = await searchCapacity(withTrust(target, (rate) => (rate > 400 ? BEHIND : TRUSTWORTHY), cpu), { startRate: 10, maxRate: 5000, precision: 0.05 });
  assert.equal(byLag.limitedBy, 'load generator');
  assert.equal(byLag.untrusted?.rate, 640);
  assert.equal(byLag.capacity, 320);
  assert.equal(byLag.upper, null);
});
