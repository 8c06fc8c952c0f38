// `npm run replay`'s pure pieces: the time compression (offsets, the target's
// durations, the plan k6 gets), the report's published rows set beside a
// replay's, and the shape checks. No k6 here: the replay itself is run by hand.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError } from '../lib/config.ts';
import { MIN_DURATION_MS } from '../lib/plan.ts';
import type { SummaryModel } from '../lib/summary/model.ts';
import { compare } from '../tools/compare/diff.ts';
import type { Run } from '../tools/compare/diff.ts';
import { resolveOptions } from '../tools/party-service/presets.ts';
import { headRows, main } from '../tools/replay/cli.ts';
import { failureShares, PUBLISHED, sideBySide } from '../tools/replay/published.ts';
import { shapeChecks } from '../tools/replay/render.ts';
import type { ReplayResult } from '../tools/replay/render.ts';
import {
  DEFAULT_SPEED, REPLAY_PRESETS, REPORT_OFFSETS, REPORT_TIMEOUT_MS, replayEnv, replayPlan, reportOffsetOf, scaledTargetOptions, scaleOffsets,
} from '../tools/replay/speed.ts';

// The fixtures are the report's three result sets as summary files; read as
// models (compare() is pure) so these tests follow the data, not the loader.
const fixture = (label: string): SummaryModel =>
  JSON.parse(readFileSync(new URL(`./fixtures/compare/${label}.summary.json`, import.meta.url), 'utf8')) as SummaryModel;

/** A published result set replayed "perfectly": its cells at the replay's offsets, under a preset's label. */
function asReplay(m: SummaryModel, label: string, speed: number): SummaryModel {
  const scaled = new Map<number, number>(REPORT_OFFSETS.map((o, i) => [o, scaleOffsets(speed)[i]!]));
  return { ...m, label, scenarios: m.scenarios.map((s) => ({ ...s, offset: scaled.get(s.offset)! })) };
}

const run = (model: SummaryModel): Run => ({ file: `${model.label}.json`, model });

describe('replay: time compression', () => {
  it('divides the report spacings by the speed, in whole ms', () => {
    assert.deepEqual(scaleOffsets(4.5), [11, 22, 44, 222, 444]);
    assert.deepEqual(scaleOffsets(1), [...REPORT_OFFSETS]);
    assert.deepEqual([...reportOffsetOf(4.5)], [[11, 50], [22, 100], [44, 200], [222, 1000], [444, 2000]]);
    assert.throws(() => scaleOffsets(0), /--speed/);
  });

  it('the default speed gives k6 a valid plan: the report matrix, every scenario >= 1 s, under 15 minutes with seeding', () => {
    const plan = replayPlan(DEFAULT_SPEED);
    assert.equal(plan.scenarios.length, 45);
    assert.equal(plan.requests, 12000);
    assert.ok(plan.scenarios.every((s) => s.durationMs >= MIN_DURATION_MS));
    // About 70 s of seeding (three targets side by side) and 20 s of k6 start and summaries.
    assert.ok(plan.totalMs + 90_000 < 15 * 60_000, `k6 time ${plan.totalMs} ms`);
    // 100 requests at 10 ms last 995 ms: k6 would reject the run, so the plan does first.
    assert.throws(() => replayPlan(5), (e: unknown) => e instanceof ConfigError && /under 1 s/.test(e.message));
  });

  it('shrinks the target\'s durations by the speed so that requests in flight (rate x hold) stay as in report time', () => {
    const speed = DEFAULT_SPEED;
    for (const preset of REPLAY_PRESETS) {
      const real = resolveOptions({ preset });
      const s = scaledTargetOptions(preset, speed);
      assert.equal(s.queryDelayMs, Math.round(real.queryDelayMs / speed));
      assert.equal(s.poolTimeoutMs, Math.round(real.poolTimeoutMs / speed));
      assert.equal(s.cacheTtlS, real.cacheTtlS / speed);
      // In flight at the shortest spacing: report time vs replay time, within the rounding to whole ms.
      const inFlightReal = real.queryDelayMs / REPORT_OFFSETS[0];
      const inFlightReplay = s.queryDelayMs! / scaleOffsets(speed)[0]!;
      assert.ok(Math.abs(inFlightReplay - inFlightReal) / inFlightReal < 0.05, `${preset}: ${inFlightReal} vs ${inFlightReplay}`);
    }
    const env = replayEnv(speed, 'pool-100');
    assert.deepEqual(
      [env.PROFILE, env.ROUTES, env.COUNTS, env.OFFSETS, env.ORDER, env.TIMEOUT, env.LABEL],
      ['report', 'query,id,ref', '100,200,500', '11,22,44,222,444', 'parallel-routes', `${Math.round(REPORT_TIMEOUT_MS / speed)}ms`, 'pool-100'],
    );
  });

  it('keeps the header and the first N rows as the parameter file', () => {
    assert.equal(headRows('id,sampleUnitRef\na,1\nb,2\nc,3\n', 2), 'id,sampleUnitRef\na,1\nb,2\n');
  });
});

describe('replay: beside the report\'s published rows', () => {
  const published = compare(PUBLISHED.map((l) => run(fixture(l))));

  it('a replay that matched the report exactly shows the report\'s Overall rows and a difference of 0', () => {
    const speed = DEFAULT_SPEED;
    const replay = compare([
      run(asReplay(fixture('docker'), 'report-baseline', speed)),
      run(asReplay(fixture('gunicorn'), 'pool-100', speed)),
      run(asReplay(fixture('simplecache'), 'cached', speed)),
    ]);
    const s = sideBySide(replay, published, reportOffsetOf(speed));
    assert.deepEqual(s.presets, ['report-baseline', 'pool-100', 'cached']);
    assert.deepEqual(s.rows.map((r) => [r.reportOffset, r.replayOffset]), [[50, 11], [100, 22], [200, 44], [1000, 222], [2000, 444]]);
    // The report's "Against Docker Image" and "SimpleCache" Overall success column as printed there
    // (the fixtures rebuild them from whole counts, hence the half-point allowance).
    const near = (got: Array<number | null>, printed: number[]) =>
      assert.ok(got.every((g, i) => g !== null && Math.abs(g - printed[i]!) <= 0.5), `${JSON.stringify(got)} vs ${JSON.stringify(printed)}`);
    near(s.rows.map((r) => r.cells[0]!.report), [20.5, 46.67, 57.83, 74.08, 85]);
    near(s.rows.map((r) => r.cells[2]!.report), [92.46, 96.92, 98.08, 99.25, 99.54]);
    assert.deepEqual(s.rows.map((r) => r.cells[0]!.diff), [0, 0, 0, 0, 0]);
    assert.deepEqual(s.rows.map((r) => r.cells[2]!.diff), [0, 0, 0, 0, 0]);
    // pool-100 stands beside the report's single-route 100-connection result: 100 % at every offset.
    assert.deepEqual(s.rows.map((r) => r.cells[1]!.report), [100, 100, 100, 100, 100]);
    const gunicorn = published.overall.rows.map((r) => r.cells[PUBLISHED.indexOf('gunicorn')]!.value!);
    assert.deepEqual(s.rows.map((r) => r.cells[1]!.diff), gunicorn.map((v) => Math.round((v - 100) * 100) / 100));
    assert.deepEqual(s.rows.map((r) => r.cells[1]!.replay), gunicorn);
  });

  it('a difference is replay minus report, per offset', () => {
    const worse = asReplay(fixture('docker'), 'report-baseline', 4.5);
    // Move 10 answers of the 50 ms / 100 request cells from success to no response.
    worse.scenarios = worse.scenarios.map((c) => (c.offset === 11 && c.count === 100
      ? { ...c, classes: { ...c.classes, success: c.classes.success - 10, no_response: c.classes.no_response + 10 } } : c));
    const s = sideBySide(compare([run(worse), run(asReplay(fixture('simplecache'), 'cached', 4.5))]), published, reportOffsetOf(4.5));
    // 30 of 2400 planned requests at 50 ms: 1.25 points.
    assert.equal(s.rows[0]!.cells[0]!.diff, -1.25);
    assert.equal(s.rows[1]!.cells[0]!.diff, 0);
  });

  it('failure shares are the run\'s classes as % of planned, over every cell', () => {
    // docker: 6821 successes and 5179 no responses of 12000.
    const f = failureShares(fixture('docker'));
    assert.deepEqual([f.success, f.noResponse, f.serverError, f.other, f.notSent], [56.84, 43.16, 0, 0, 0]);
  });
});

describe('replay: the report\'s shape', () => {
  const result = (baseline: number[], pool: number[], medians: [number, number], nr = 60, e500 = 1, wallMs = 13 * 60_000): ReplayResult => ({
    speed: 4.5,
    wallMs,
    sideBySide: {
      presets: ['report-baseline', 'pool-100', 'cached'],
      headings: ['a', 'b', 'c'],
      rows: baseline.map((b, i) => ({
        reportOffset: REPORT_OFFSETS[i]!, replayOffset: scaleOffsets(4.5)[i]!,
        cells: [{ replay: b, report: null, diff: null }, { replay: pool[i]!, report: 100, diff: null }, { replay: 95, report: null, diff: null }],
      })),
    },
    failures: [{ preset: 'report-baseline', replay: { label: 'report-baseline', success: 100 - nr - e500, noResponse: nr, serverError: e500, other: 0, notSent: 0 }, report: null }],
    medians: [{ preset: 'report-baseline', ms: medians[0] }, { preset: 'cached', ms: medians[1] }],
    targetLines: [],
  });

  it('passes when it rises, starts under 90 %, fails mostly unanswered, pool-100 holds and the cache is faster', () => {
    const checks = shapeChecks(result([30, 50, 48, 100, 100], [100, 100, 99.5, 100, 100], [500, 20]));
    assert.equal(checks.length, 6);
    assert.ok(checks.every((c) => c.ok), JSON.stringify(checks));
  });

  it('fails each way it can', () => {
    const bad = (r: ReplayResult) => shapeChecks(r).filter((c) => !c.ok).map((c) => c.text);
    assert.equal(bad(result([30, 60, 50, 100, 100], [100, 100, 100, 100, 100], [500, 20])).length, 1); // falls 10 points
    assert.match(bad(result([95, 96, 97, 100, 100], [100, 100, 100, 100, 100], [500, 20]))[0]!, /under 90 %/);
    assert.match(bad(result([30, 50, 80, 100, 100], [98.9, 100, 100, 100, 100], [500, 20]))[0]!, /pool-100/);
    assert.match(bad(result([30, 50, 80, 100, 100], [100, 100, 100, 100, 100], [500, 600]))[0]!, /cached/);
    assert.match(bad(result([30, 50, 80, 100, 100], [100, 100, 100, 100, 100], [500, 20], 10, 20))[0]!, /No Response/);
    assert.match(bad(result([30, 50, 80, 100, 100], [100, 100, 100, 100, 100], [500, 20], 60, 1, 16 * 60_000))[0]!, /15 minutes/);
  });
});

describe('replay: without k6', () => {
  it('says k6 is missing and how to install it, as npm start does, and starts nothing', async () => {
    const errors: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(' '));
    let code: number;
    try {
      code = await main([], { K6_BIN: '/nonexistent/k6' });
    } finally {
      console.error = orig;
    }
    assert.equal(code, 2);
    const text = errors.join('\n');
    assert.match(text, /k6 is not installed or cannot run \('\/nonexistent\/k6 version' failed: command not found\)/);
    assert.match(text, /npm run replay drives the k6 load-testing tool/);
    assert.match(text, /brew install k6/);
  });

  it('refuses a bad flag before looking for k6', async () => {
    const errors: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(' '));
    try {
      assert.equal(await main(['--speed', '0'], { K6_BIN: '/nonexistent/k6' }), 2);
      assert.equal(await main(['--presets', 'nope'], { K6_BIN: '/nonexistent/k6' }), 2);
    } finally {
      console.error = orig;
    }
    assert.match(errors[0]!, /--speed expects a number > 0, got '0'/);
    assert.match(errors[1]!, /unknown preset 'nope'/);
    assert.ok(errors.every((e) => !/k6 is not installed/.test(e)));
  });
});
