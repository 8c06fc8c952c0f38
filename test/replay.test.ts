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
import { headRows, main, presetVerdicts } from '../tools/replay/cli.ts';
import { CORES_PER_PRESET, k6TimeMs, orderLine, replayOrder, timeBudgetMs } from '../tools/replay/order.ts';
import { failureShares, PUBLISHED, sideBySide } from '../tools/replay/published.ts';
import { NOTHING_JUDGED_EXIT, renderReplayMarkdown, renderReplayText, replayExitCode, shapeChecks } from '../tools/replay/render.ts';
import type { PresetVerdict, ReplayResult } from '../tools/replay/render.ts';
import { UNTRUSTED_EXIT } from '../tools/run.ts';
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

describe('replay: the report\'s shape', () => {
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

// A preset's run as its summary.json judged it, with the machine's samples.
const TRUSTWORTHY = 'Trustworthy: k6 kept its schedule (0.04 % of requests started over 25 ms late, worst 41 ms) and the machine had room.';
const BEHIND = 'The load generator fell behind: 6.31 % of requests started over 25 ms late (worst 412 ms).';
const SATURATED = 'The machine was saturated: at least 90 % busy for 71.20 % of the run, and k6 fell behind its schedule.';
const verdicts = (over: Record<string, [PresetVerdict['status'], string]> = {}): PresetVerdict[] =>
  ['report-baseline', 'pool-100', 'cached'].map((preset) => {
    const [status, headline] = over[preset] ?? ['trustworthy', TRUSTWORTHY];
    return { preset, status, headline };
  });
const judged = (r: ReplayResult) => shapeChecks(r).map((c) => [c.text.split(':')[0]!.split(' (')[0]!, c.ok]);

describe('replay: a preset whose run was not trustworthy is not judged', () => {
  it('pool-100 behind its schedule: its check reads "not judged" with the reason, never FAIL, and the exit code is 0', () => {
    // pool-100 at 97 % would FAIL its check, had its run been trustworthy.
    const r = { ...result([30, 50, 48, 100, 100], [97, 100, 100, 100, 100], [500, 20]), verdicts: verdicts({ 'pool-100': ['generator-behind', BEHIND] }) };
    const checks = shapeChecks(r);
    const pool = checks.find((c) => c.presets.includes('pool-100'))!;
    assert.equal(pool.ok, null);
    assert.equal(pool.why, `pool-100's run was not trustworthy: ${BEHIND}`);
    assert.deepEqual(checks.filter((c) => c !== pool).map((c) => c.ok), [true, true, true, true, true]);
    assert.equal(replayExitCode(checks), 0);
    // Trustworthy, the same figures FAIL.
    assert.equal(replayExitCode(shapeChecks({ ...r, verdicts: verdicts() })), 1);
  });

  it('report-baseline saturated: its three checks and the cached one (which reads it) are not judged; pool-100 and the time still are', () => {
    const r = { ...result([95, 60, 50, 100, 100], [100, 100, 100, 100, 100], [500, 600]), verdicts: verdicts({ 'report-baseline': ['saturated', SATURATED] }) };
    assert.deepEqual(judged(r), [
      ['report-baseline', null], ['report-baseline', null], ['report-baseline', null],
      ['pool-100', true], ['cached', null], ['the whole replay under 15 minutes', true],
    ]);
    assert.match(shapeChecks(r).find((c) => c.presets.includes('cached'))!.why!, /^report-baseline's run was not trustworthy: The machine was saturated/);
    assert.equal(replayExitCode(shapeChecks(r)), 0);
  });

  it('a judged check that fails still fails (exit 1), beside one not judged', () => {
    const r = { ...result([30, 50, 48, 100, 100], [97, 100, 100, 100, 100], [500, 20], 10, 20), verdicts: verdicts({ 'pool-100': ['generator-behind', BEHIND] }) };
    assert.equal(replayExitCode(shapeChecks(r)), 1);
    assert.match(shapeChecks(r).find((c) => c.ok === false)!.text, /No Response is the largest/);
  });

  it(`nothing judged: every preset's run untrustworthy, exit ${NOTHING_JUDGED_EXIT} (npm start's UNTRUSTED_EXIT)`, () => {
    assert.equal(NOTHING_JUDGED_EXIT, UNTRUSTED_EXIT);
    const all = verdicts({ 'report-baseline': ['saturated', SATURATED], 'pool-100': ['generator-behind', BEHIND], cached: ['generator-behind', BEHIND] });
    const checks = shapeChecks({ ...result([95, 60, 50, 100, 100], [90, 100, 100, 100, 100], [500, 600]), verdicts: all });
    assert.deepEqual(checks.map((c) => c.ok), [null, null, null, null, null, true]);
    assert.equal(replayExitCode(checks), 3);
    // The time check is no preset's: failing it is still a failure.
    assert.equal(replayExitCode(shapeChecks({ ...result([95, 60, 50, 100, 100], [90, 100, 100, 100, 100], [500, 600], 60, 1, 16 * 60_000), verdicts: all })), 1);
  });

  it('not-judged (nothing sent) is not trustworthy either; no verdict (an old summary) is judged as before', () => {
    const r = result([30, 50, 48, 100, 100], [100, 100, 100, 100, 100], [500, 20]);
    assert.equal(shapeChecks({ ...r, verdicts: verdicts({ cached: ['not-judged', 'Not judged: no planned request was sent.'] }) }).find((c) => c.presets.includes('cached'))!.ok, null);
    assert.ok(shapeChecks({ ...r, verdicts: verdicts({ cached: [null, ''] }) }).every((c) => c.ok === true));
    assert.ok(shapeChecks(r).every((c) => c.ok === true), 'a result without verdicts (replay-run.json from before) is judged');
  });

  it('text and Markdown: each run\'s verdict first, "not judged" with its reason, and what the exit code does with it', () => {
    const r = { ...result([30, 50, 48, 100, 100], [97, 100, 100, 100, 100], [500, 20]), verdicts: verdicts({ 'pool-100': ['generator-behind', BEHIND] }), order: 'in turn' as const };
    const text = renderReplayText(r);
    assert.match(text, /^party-perf replay: the report's story at 4\.5x, report-baseline, pool-100, cached in turn \(13 min 0 s\)$/m);
    assert.match(text, /^Can each run be trusted\?/m);
    assert.match(text, /^ {2}pool-100 {9}generator-behind {2}The load generator fell behind: 6\.31 %/m);
    assert.match(text, /^ {2}not judged {2}pool-100: at least 99 % at every spacing \(lowest 97\.00 %\): pool-100's run was not trustworthy: The load generator fell behind/m);
    assert.match(text, /^ {2}ok {4}report-baseline: under 90 %/m);
    assert.doesNotMatch(text, /FAIL/);
    assert.match(text, /pool-100 not judged: its run was not trustworthy, so the checks on it neither hold nor fail \(exit 0 when every judged check holds, 3 when nothing could be judged\)/);
    assert.ok(text.indexOf('Can each run be trusted?') < text.indexOf('Overall success'));
    const md = renderReplayMarkdown(r);
    assert.match(md, /^report-baseline, pool-100, cached, in turn, 13 min 0 s\./m);
    assert.match(md, /^\| pool-100 \| generator-behind \| The load generator fell behind/m);
    assert.match(md, /^- not judged: pool-100: at least 99 % at every spacing \(lowest 97\.00 %\) \(pool-100's run was not trustworthy: /m);
    assert.doesNotMatch(md, /\*\*FAIL\*\*/);
  });

  it('each preset\'s graph in words, in text and Markdown, after the target counters; none read: no section', () => {
    const lines = ['report-baseline: degraded from request 12 (at 0.6s; p95 > 1000 ms), plateau 6.9 s for 1m 02s, recovered at request 2,401 (at 3m 10s): the spacing grew from 11.1 ms to 222.2 ms'];
    const r = { ...result([30, 50, 48, 100, 100], [100, 100, 100, 100, 100], [500, 20]), graphLines: lines };
    const text = renderReplayText(r);
    assert.match(text, /^The graph in words\n {2}report-baseline: degraded from request 12 /m);
    assert.ok(text.indexOf('Target counters') < text.indexOf('The graph in words'));
    assert.match(renderReplayMarkdown(r), /^### The graph in words\n\n.*\n\n- report-baseline: degraded from request 12 /m);
    assert.doesNotMatch(renderReplayText(result([30, 50, 48, 100, 100], [100, 100, 100, 100, 100], [500, 20])), /graph in words/);
  });

  it('each preset\'s verdict is read from its summary (the model\'s label is the preset)', () => {
    const m = fixture('docker');
    const v = presetVerdicts([
      { model: { ...m, label: 'pool-100', verdict: { status: 'generator-behind', headline: BEHIND, reasons: [], meaning: '', advice: '' } } },
      { model: { ...m, label: 'cached', verdict: undefined } },
    ]);
    assert.deepEqual(v, [{ preset: 'pool-100', status: 'generator-behind', headline: BEHIND }, { preset: 'cached', status: null, headline: '' }]);
  });
});

describe('replay: side by side or in turn, from the cores', () => {
  it(`side by side needs ${CORES_PER_PRESET} cores per preset: 2 cores run the three in turn, 6 side by side`, () => {
    assert.equal(CORES_PER_PRESET, 2);
    assert.equal(replayOrder(3, 2).order, 'in turn');
    assert.equal(replayOrder(3, 4).order, 'in turn');
    assert.equal(replayOrder(3, 5).order, 'in turn');
    assert.equal(replayOrder(3, 6).order, 'side by side');
    assert.equal(replayOrder(3, 64).order, 'side by side');
    assert.equal(replayOrder(2, 4).order, 'side by side');
    assert.equal(replayOrder(2, 3).order, 'in turn');
    assert.equal(replayOrder(1, 1).order, 'side by side', 'one preset: nothing beside it');
    for (const c of [replayOrder(3, 2), replayOrder(3, 8)]) assert.equal(c.warning, null);
  });

  it('--parallel forces side by side (warned on too few cores); --in-turn forces in turn', () => {
    const forced = replayOrder(3, 2, 'side by side');
    assert.equal(forced.order, 'side by side');
    assert.match(forced.warning!, /3 presets side by side on 2 cores \(--parallel\): their k6 and targets compete for CPU, so a run may not be trustworthy; its shape checks then read "not judged"/);
    assert.equal(replayOrder(3, 8, 'side by side').warning, null);
    assert.equal(replayOrder(3, 8, 'in turn').order, 'in turn');
  });

  it('says how long: the plan\'s k6 time once side by side, once per preset in turn', () => {
    const ms = replayPlan(DEFAULT_SPEED).totalMs;
    assert.equal(k6TimeMs(ms, 3, 'in turn'), 3 * ms);
    assert.equal(k6TimeMs(ms, 3, 'side by side'), ms);
    const presets = [...REPLAY_PRESETS];
    assert.equal(orderLine(ms, presets, replayOrder(3, 2)),
      'k6 time 12 min 5 s per preset, about 36 min 15 s in all; presets report-baseline, pool-100, cached in turn, one k6 and one target at a time ' +
      '(2 cores, fewer than the 6 side by side needs, 2 per preset; --parallel forces side by side)');
    assert.equal(orderLine(ms, presets, replayOrder(3, 8)),
      'k6 time 12 min 5 s; presets report-baseline, pool-100, cached side by side (8 cores, at least the 6 side by side needs, 2 per preset)');
    assert.equal(orderLine(ms, presets, replayOrder(3, 2, 'side by side')),
      'k6 time 12 min 5 s; presets report-baseline, pool-100, cached side by side (--parallel; 2 cores, fewer than the 6 side by side needs, 2 per preset)');
    assert.equal(orderLine(ms, ['cached'], replayOrder(1, 2)), 'k6 time 12 min 5 s; preset cached');
  });

  it('the time check allows 15 minutes side by side, 15 per preset in turn', () => {
    assert.equal(timeBudgetMs(3, 'side by side'), 15 * 60_000);
    assert.equal(timeBudgetMs(3, 'in turn'), 45 * 60_000);
    const inTurn = { ...result([30, 50, 48, 100, 100], [100, 100, 100, 100, 100], [500, 20], 60, 1, 38 * 60_000), order: 'in turn' as const };
    const time = shapeChecks(inTurn).at(-1)!;
    assert.equal(time.ok, true);
    assert.equal(time.text, 'the whole replay under 45 minutes (15 per preset, in turn) (38 min 0 s)');
    assert.equal(shapeChecks({ ...inTurn, order: 'side by side' }).at(-1)!.ok, false);
  });

  it('refuses --parallel with --in-turn before looking for k6', async () => {
    const errors: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(' '));
    try {
      assert.equal(await main(['--parallel', '--in-turn'], { K6_BIN: '/nonexistent/k6' }), 2);
    } finally {
      console.error = orig;
    }
    assert.match(errors[0]!, /--parallel and --in-turn both given: pick one/);
    assert.match(errors[0]!, /--parallel +run the presets side by side even when/);
  });
});
