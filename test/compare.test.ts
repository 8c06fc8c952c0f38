// npm run compare: the pure modules on synthetic models, then the CLI as a
// child process for its exit codes (0 compared, 1 rule broken, 2 bad input;
// 3, not judged for an untrusted run, in compare-verdict.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SummaryModel } from '../lib/summary/model.ts';
import { parseArgs } from '../tools/compare/args.ts';
import { compare, DEFAULT_TOLERANCE, regressions, runLabels, type Comparison, type Run, type Table } from '../tools/compare/diff.ts';
import { CompareError } from '../tools/compare/errors.ts';
import { renderHtml } from '../tools/compare/html.ts';
import { checkSummary, loadRun } from '../tools/compare/load.ts';
import { renderMarkdown } from '../tools/compare/markdown.ts';
import { evaluateRules, parseRule } from '../tools/compare/rules.ts';
import { fromReport, makeModel, REPORT_BASELINE, type Shape } from './helpers/compare-models.ts';
import { FIXTURES, writeFixtures } from './helpers/compare-fixtures.ts';
import { repo } from './helpers/k6.ts';

const base = (extra: Shape = {}) => makeModel({ label: 'main', ...extra });
/** 5 points less success everywhere and 1.5x slower: a clear regression. */
const degraded = () => makeModel({
  label: 'pr', startTime: '2024-02-01T10:00:00.000Z', slow: 1.5,
  success: (r, c, o) => Math.max(0, fromReport(REPORT_BASELINE)(r, c, o) - 5),
});
const runs = (...ms: SummaryModel[]): Run[] => ms.map((model, i) => ({ file: `run${i}.json`, model }));
const deltas = (t: Table) => t.rows.flatMap((r) => r.cells.slice(1).map((c) => c.delta));
const tables = (c: Comparison) => [c.perRoute, c.overall, ...c.byCount, c.noResponse, c.causes!, c.latency.median, c.latency.p95, c.latency.max];

const tmp = mkdtempSync(join(tmpdir(), 'compare-test-'));
function file(name: string, doc: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
}
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'tools/compare/cli.ts'), ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('compare: identical runs', () => {
  const c = compare(runs(base(), base({ label: 'again' })));
  it('shows zero deltas and no regression', () => {
    for (const t of tables(c)) for (const d of deltas(t)) assert.equal(d, 0, t.title);
    assert.equal(regressions(c), 0);
    assert.equal(c.basis, 'scenarios');
    assert.equal(c.compared, 45);
    assert.deepEqual(c.leftOut, []);
  });
  it('has the report\'s tables: per count, overall per offset, per route with All Routes Combined', () => {
    assert.deepEqual(c.byCount.map((t) => t.title), ['Request Count: 100', 'Request Count: 200', 'Request Count: 500']);
    assert.deepEqual(c.overall.rows.map((r) => r.label), ['50', '100', '200', '1000', '2000']);
    assert.deepEqual(c.perRoute.rows.map((r) => r.label), ['/businesses?id=', '/businesses/id/', '/businesses/ref/', 'All Routes Combined']);
    // The report's Request Count: 100 row for 50 ms, as a % of planned with two decimals.
    assert.equal(c.byCount[0]!.rows[0]!.cells[0]!.value, 39.33);
  });
  it('Markdown says so and marks nothing', () => {
    const md = renderMarkdown(c, evaluateRules(c, [parseRule('success-rate-drop>1'), parseRule('p95-increase>20%')]));
    assert.match(md, /No regression beyond the tolerance/);
    assert.doesNotMatch(md, /\([▼▲]/);
    assert.doesNotMatch(md, /\*\*[\d.]+ \(/);
    assert.match(md, /\| `success-rate-drop>1` \| pass \|/);
  });
  it('no rule is broken', () => {
    const results = evaluateRules(c, ['success-rate-drop>0', 'p95-increase>0%', 'no-response-increase>0', 'not-sent>0', 'median-increase>0', 'max-increase>0%'].map(parseRule));
    assert.deepEqual(results.flatMap((r) => r.violations), []);
    assert.deepEqual(results.flatMap((r) => r.unevaluated), []);
  });
});

describe('compare: a degraded run', () => {
  const c = compare(runs(base(), degraded()));
  it('has success down ~5 points and p95 up 50 %, marked as regressions', () => {
    const all = c.perRoute.rows.at(-1)!.cells[1]!;
    assert.ok(all.delta! < -4.5 && all.delta! > -5.5, String(all.delta));
    assert.equal(all.mark, 'regression');
    // Each scenario is 1.5x slower; the route figure moves less as fewer, faster cells succeed.
    for (const r of c.latency.p95.rows) {
      assert.ok(r.cells[1]!.delta! > 40 && r.cells[1]!.delta! < 50, String(r.cells[1]!.delta));
      assert.equal(r.cells[1]!.mark, 'regression');
    }
    // More no-response is a regression too; the baseline column is never marked.
    assert.equal(c.noResponse.rows.at(-1)!.cells[1]!.mark, 'regression');
    for (const t of tables(c)) for (const r of t.rows) assert.equal(r.cells[0]!.mark, null);
  });
  it('computes deltas from the printed values', () => {
    for (const t of [c.perRoute, c.overall, ...c.byCount]) {
      for (const r of t.rows) assert.equal(r.cells[1]!.delta, Math.round((r.cells[1]!.value! - r.cells[0]!.value!) * 100) / 100);
    }
  });
  it('is flagged in Markdown: bold with ▼ for success, ▲ for latency', () => {
    const md = renderMarkdown(c);
    assert.match(md, /\d+ regressions beyond the tolerance/);
    assert.match(md, /\| \*All Routes Combined\* \| [\d.]+ \| \*\*[\d.]+ \(▼ -[\d.]+\)\*\* \|/);
    assert.match(md, /\*\*[\d.]+ \(▲ \+4\d\.\d%\)\*\*/);
  });
  it('breaks success-rate-drop>1 and p95-increase>20%, not looser limits', () => {
    const broken = (rule: string) => evaluateRules(c, [parseRule(rule)])[0]!.violations;
    const drop = broken('success-rate-drop>1');
    assert.equal(drop.length, 4, 'three routes and All Routes Combined');
    assert.match(drop[3]!.message, /^pr, All Routes Combined: success [\d.]+ % vs [\d.]+ % in main \(-[\d.]+ pp\)$/);
    assert.equal(broken('p95-increase>20%').length, 4);
    assert.equal(broken('no-response-increase>1').length, 4);
    assert.equal(broken('success-rate-drop>6').length, 0);
    assert.equal(broken('p95-increase>50%').length, 0);
    // Only slower: exactly +50.0 %, which does not exceed 50.
    const slow = compare(runs(base(), base({ label: 'slow', slow: 1.5 })));
    assert.equal(evaluateRules(slow, [parseRule('p95-increase>50%')])[0]!.violations.length, 0);
    assert.equal(evaluateRules(slow, [parseRule('median-increase>49.9')])[0]!.violations.length, 4);
    assert.equal(evaluateRules(slow, [parseRule('success-rate-drop>0')])[0]!.violations.length, 0);
  });
  it('not-sent judges each compared run\'s own count, not the baseline\'s', () => {
    const c2 = compare(runs(base({ notSent: 3 }), base({ label: 'b', notSent: 1 })));
    assert.equal(evaluateRules(c2, [parseRule('not-sent>0')])[0]!.violations.length, 1);
    assert.equal(evaluateRules(c2, [parseRule('not-sent>45')])[0]!.violations.length, 0, '45 scenarios x 1');
    const c3 = compare(runs(base({ notSent: 3 }), base({ label: 'b' })));
    assert.equal(evaluateRules(c3, [parseRule('not-sent>0')])[0]!.violations.length, 0);
  });
});

describe('compare: mismatched profiles', () => {
  const quick = makeModel({ label: 'quick', profile: 'quick', routes: ['query', 'id'], counts: [100, 200], offsets: [50, 100, 200, 1000, 5000] });
  const c = compare(runs(base(), quick));
  it('compares only the shared cells', () => {
    assert.equal(c.basis, 'scenarios');
    assert.equal(c.compared, 2 * 2 * 4);
    assert.deepEqual(c.byCount.map((t) => t.title), ['Request Count: 100', 'Request Count: 200']);
    assert.deepEqual(c.overall.rows.map((r) => r.label), ['50', '100', '200', '1000']);
    assert.deepEqual(c.perRoute.rows.map((r) => r.label), ['/businesses?id=', '/businesses/id/', 'All Routes Combined']);
    // Same generator on the same cells: the shared cells agree exactly.
    for (const t of [c.perRoute, c.overall, ...c.byCount, c.noResponse]) for (const d of deltas(t)) assert.equal(d, 0);
  });
  it('lists the left-out cells per run, with the reason', () => {
    const [b, q] = c.leftOut;
    assert.equal(b!.run, 'main');
    assert.deepEqual(b!.routes, ['/businesses/ref/']);
    assert.deepEqual(b!.counts, [500]);
    assert.deepEqual(b!.offsets, [2000]);
    assert.equal(b!.scenarios.length, 45 - 16);
    assert.equal(q!.run, 'quick');
    assert.deepEqual(q!.offsets, [5000]);
    assert.deepEqual(q!.scenarios, ['/businesses?id= 100 @ 5000 ms', '/businesses?id= 200 @ 5000 ms', '/businesses/id/ 100 @ 5000 ms', '/businesses/id/ 200 @ 5000 ms']);
    const md = renderMarkdown(c);
    assert.match(md, /Compared on 16 scenarios/);
    assert.match(md, /\*\*main\*\*: 29 scenarios left out: routes \/businesses\/ref\/; counts 500; offsets 2000 ms not in every run/);
    assert.match(md, /\*\*quick\*\*: 4 scenarios left out: offsets 5000 ms/);
    assert.match(md, /Profiles differ/);
  });
  it('shows whole-route percentiles as approximate and does not judge them', () => {
    const p95 = c.latency.p95.rows[0]!;
    assert.equal(p95.cells[0]!.approx, true);
    assert.equal(p95.cells[1]!.mark, null);
    // The slowest answer recombines exactly.
    assert.equal(c.latency.max.rows[0]!.cells[0]!.approx, undefined);
    const r = evaluateRules(c, [parseRule('p95-increase>0%')])[0]!;
    assert.deepEqual(r.violations, []);
    assert.equal(r.unevaluated.length, 3);
    assert.match(renderMarkdown(c), /≈[\d.]+/);
  });
  it('falls back to route x offset when no request count is shared (smoke vs report)', () => {
    const smoke = makeModel({ label: 'smoke', profile: 'smoke', counts: [40], offsets: [50, 100, 500] });
    const c2 = compare(runs(base(), smoke));
    assert.equal(c2.basis, 'route-offset');
    assert.deepEqual(c2.byCount, []);
    assert.deepEqual(c2.overall.rows.map((r) => r.label), ['50', '100']);
    assert.equal(c2.compared, 3 * 3 * 2);
    assert.deepEqual(c2.leftOut.map((l) => [l.run, l.counts, l.offsets]), [['main', [], [200, 1000, 2000]], ['smoke', [], [500]]]);
    assert.match(renderMarkdown(c2), /matched by route and offset/);
  });
  it('reports nothing in common', () => {
    const other = makeModel({ label: 'x', offsets: [7] });
    const c3 = compare(runs(base(), other));
    assert.equal(c3.basis, 'none');
    assert.match(renderMarkdown(c3), /nothing: the runs have no route and offset in common/);
  });
});

describe('compare: labels', () => {
  it('keeps distinct labels and adds the start time to equal ones', () => {
    assert.deepEqual(runLabels([base(), base({ label: 'pr' })]), ['main', 'pr']);
    assert.deepEqual(runLabels([base(), base({ startTime: '2024-02-01T10:00:00.000Z' })]),
      ['main (2024-01-31T09:45:01.000Z)', 'main (2024-02-01T10:00:00.000Z)']);
    assert.deepEqual(runLabels([base(), base()]), ['main (2024-01-31T09:45:01.000Z) #1', 'main (2024-01-31T09:45:01.000Z) #2']);
  });
});

describe('compare: rules', () => {
  it('accepts the syntax the GitHub workflow uses', () => {
    const yml = readFileSync(join(repo, '.github/workflows/perf.yml'), 'utf8');
    const used = [...yml.matchAll(/--fail-on '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(used.length >= 2, 'the workflow calls --fail-on');
    for (const r of used) assert.doesNotThrow(() => parseRule(r), r);
    assert.deepEqual(parseRule('p95-increase>20%'), { text: 'p95-increase>20%', kind: 'p95-increase', limit: 20 });
    assert.deepEqual(parseRule(' success-rate-drop > 1.5pp '), { text: 'success-rate-drop > 1.5pp', kind: 'success-rate-drop', limit: 1.5 });
  });
  it('refuses bad syntax, listing the accepted rules', () => {
    for (const bad of ['p95>3', 'success-rate-drop>1%', 'p95-increase>20pp', 'not-sent>1.5', 'p95-increase<20%', 'success-rate-drop', '']) {
      assert.throws(() => parseRule(bad), (e: unknown) => e instanceof CompareError && e.exitCode === 2 && /success-rate-drop>N/.test(e.message) && /p95-increase>N%/.test(e.message), bad);
    }
  });
  it('parses the command line', () => {
    const o = parseArgs(['a.json', '--fail-on', 'x>1', 'b.json', '--fail-on=y>2', '--html=out.html', '--tolerance', '1', '--latency-tolerance=5',
      '--latency-floor', '12.5', '--min-tail=3']);
    assert.deepEqual(o, { files: ['a.json', 'b.json'], rules: ['x>1', 'y>2'], html: 'out.html', tolerance: { pp: 1, pct: 5, ms: 12.5, tail: 3 }, help: false });
    assert.deepEqual(parseArgs(['a', 'b']).tolerance, DEFAULT_TOLERANCE);
    assert.throws(() => parseArgs(['--latency-floor', 'fast']), /--latency-floor needs a number >= 0, got 'fast'/);
    assert.equal(parseArgs(['a', 'b', '--no-html']).html, null);
    assert.throws(() => parseArgs(['--fail-on']), /needs a value/);
    assert.throws(() => parseArgs(['--tolerance', '-1']), /number >= 0/);
    assert.throws(() => parseArgs(['--nope']), /unknown option --nope/);
  });
  it('judges latency only beyond the noise floor in ms, in the rules and in the marks', () => {
    // p95 30 ms -> 45 ms: +50 %, but only +15 ms.
    const fast = (label: string, slow = 1) => makeModel({ label, median: () => 10, slow });
    const c = compare(runs(fast('main'), fast('pr', 1.5)));
    const p95 = (tol = DEFAULT_TOLERANCE) => evaluateRules(compare(runs(fast('main'), fast('pr', 1.5)), tol), [parseRule('p95-increase>20%')])[0]!;
    assert.deepEqual(p95().violations, []);
    assert.deepEqual(p95().unevaluated, []);
    assert.equal(regressions(c), 0, 'no latency cell marked within the floor');
    const noFloor = { ...DEFAULT_TOLERANCE, ms: 0 };
    assert.equal(p95(noFloor).violations.length, 4);
    assert.match(p95(noFloor).violations[3]!.message, /p95 45\.00 ms vs 30\.00 ms in main \(\+50\.0 %, \+15\.0 ms\)$/);
    assert.ok(regressions(compare(runs(fast('main'), fast('pr', 1.5)), noFloor)) > 0);
    assert.equal(p95({ ...DEFAULT_TOLERANCE, ms: 15 }).violations.length, 0, 'a change equal to the floor is noise');
  });
  it('judges a percentile only when both runs have enough answers above it', () => {
    // 3 offsets x 30 requests per route: ~85 answers, under the 100 a p95 needs (5 above it).
    const few = (label: string, slow = 1) => makeModel({ label, counts: [30], offsets: [50, 100, 200], slow });
    const c = compare(runs(few('main'), few('pr', 3)));
    const p95 = evaluateRules(c, [parseRule('p95-increase>20%')])[0]!;
    assert.deepEqual(p95.violations.map((v) => v.where), ['All Routes Combined'], 'only the pooled row has 100 answers');
    assert.equal(p95.unevaluated.length, 3);
    assert.match(p95.unevaluated[0]!, /^pr \/businesses\?id= \(too few answers for p95: (\d+) and \1, 100 needed in each run\)$/);
    assert.equal(evaluateRules(c, [parseRule('median-increase>20%')])[0]!.violations.length, 4, 'a median needs 10');
    const lax = compare(runs(few('main'), few('pr', 3)), { ...DEFAULT_TOLERANCE, tail: 1 });
    assert.equal(evaluateRules(lax, [parseRule('p95-increase>20%')])[0]!.violations.length, 4);
  });
});

describe('compare: loading files', () => {
  it('accepts what the model helper and the fixtures hold', () => {
    assert.doesNotThrow(() => checkSummary(JSON.parse(JSON.stringify(base())), 'x.json'));
    writeFixtures(tmp);
    for (const f of ['docker', 'gunicorn', 'simplecache', 'smoke']) assert.doesNotThrow(() => loadRun(join(tmp, `${f}.summary.json`)));
    // The committed fixtures are what the generator writes.
    for (const f of ['docker', 'gunicorn', 'simplecache', 'smoke', 'behind', 'v0', 'v1', 'invalid']) {
      assert.equal(readFileSync(join(FIXTURES, `${f}.summary.json`), 'utf8'), readFileSync(join(tmp, `${f}.summary.json`), 'utf8'), `${f}: run npx tsx test/helpers/compare-fixtures.ts`);
    }
  });
  it('reads a version-1 file as version 4: its notRun kept, notScheduled 0, no statuses, the axis from its shape, no lag', () => {
    const run1 = loadRun(join(FIXTURES, 'v1.summary.json'));
    const v1 = run1.model;
    assert.equal(v1.version, 4);
    assert.equal(run1.upgradedFrom, 1);
    assert.equal(v1.axis, 'offset');
    assert.equal(v1.interrupted, null);
    assert.ok(v1.scenarios.every((s) => s.notScheduled === 0 && Object.keys(s.statuses).length === 0 && s.schedule === null));
    assert.equal(v1.totals.notScheduled, 0);
    assert.equal(v1.totals.schedule, null);
    assert.equal(v1.generator!.late, null);
    assert.equal(v1.verdict!.status, 'trustworthy');
    assert.match(v1.warnings.at(-1)!, /^Recorded as summary\.json v1, before k6's schedule lag was measured/);
    const c = compare([{ file: 'v1.json', model: v1 }, { file: 'docker.json', model: loadRun(join(FIXTURES, 'docker.summary.json')).model }]);
    assert.equal(c.basis, 'scenarios');
    assert.equal(c.shortfall, null);
  });
  it('the not-scheduled class: per run, per route (shown, never judged), and in a note', () => {
    const behind = makeModel({ label: 'behind' });
    for (const s of behind.scenarios.filter((x) => x.offset === 50)) {
      const gap = Math.min(10, s.classes.success);
      s.classes.success -= gap;
      s.sent -= gap;
      s.notScheduled = gap;
      behind.totals.notScheduled += gap;
      behind.totals.classes.success -= gap;
      behind.totals.sent -= gap;
      behind.totals.answered -= gap;
    }
    assert.doesNotThrow(() => checkSummary(JSON.parse(JSON.stringify(behind)), 'behind.json'));
    const c = compare(runs(base(), behind));
    assert.deepEqual(c.runs.map((r) => r.notScheduled), [0, behind.totals.notScheduled]);
    assert.ok(behind.totals.notScheduled > 0);
    assert.ok(c.shortfall !== null);
    const all = c.shortfall!.rows.at(-1)!;
    assert.ok(all.cells[1]!.value! > 0);
    assert.ok(c.shortfall!.rows.every((r) => r.cells.every((x) => x.mark === null)), 'the load generator\'s shortfall is no target regression');
    assert.ok(c.notes.some((n) => /behind: \d+ requests not scheduled \(k6 fell behind its own schedule\)/.test(n)));
    const md = renderMarkdown(c);
    assert.match(md, /\| Not sent \| Not scheduled \| Not run \|/);
    assert.match(md, /### Not sent \+ not scheduled per route/);
    assert.match(renderHtml(c), /<th>Not sent \/ scheduled \/ run<\/th>/);
  });
  it('a rate sweep reads by rate in compare too', () => {
    const sweep = (label: string) => {
      const m = makeModel({ label, profile: 'stress', counts: [50], offsets: [100, 20] });
      m.axis = 'rate';
      return m;
    };
    const c = compare(runs(sweep('a'), sweep('b')));
    assert.equal(c.overall.keyHeader, 'Rate (offset)');
    assert.deepEqual(c.overall.rows.map((r) => [r.label, r.offset]), [['50 req/s (20 ms)', 20], ['10 req/s (100 ms)', 100]]);
    assert.match(renderHtml(c), /Overall success % per rate/);
  });
  it('names the file for an older version, a failure document, and schema errors with their JSON path', () => {
    const err = (doc: unknown) => {
      try { checkSummary(doc, 'some/run.json'); } catch (e) { assert.ok(e instanceof CompareError); return e.message; }
      assert.fail('no error');
    };
    assert.match(err({ ...base(), version: 0 }), /^some\/run\.json: summary model v0 is older than the v1/);
    assert.match(err({ version: 1, error: 'boom', label: 'x', generatedAt: '2024-01-01T00:00:00Z', metrics: null }), /^some\/run\.json: the run could not build its summary model.*boom/);
    assert.match(err({ label: 'x' }), /^some\/run\.json: no summary model version/);
    assert.match(err([]), /^some\/run\.json: not a party-perf summary\.json/);
    const bad = JSON.parse(JSON.stringify(base())) as { scenarios: Array<Record<string, unknown>>; extraField?: number };
    bad.scenarios[0]!.planned = -1;
    bad.extraField = 1;
    const m = err(bad);
    assert.match(m, /^some\/run\.json: not a valid summary\.json/);
    assert.match(m, /at \/scenarios\/0\/planned: must be >= 0/);
    assert.match(m, /at \/: must NOT have additional properties 'extraField'/);
  });
  it('shows at most five schema errors', () => {
    const bad = JSON.parse(JSON.stringify(base())) as { scenarios: Array<Record<string, unknown>> };
    for (const s of bad.scenarios) s.count = 'many';
    assert.throws(() => checkSummary(bad, 'f.json'), (e: Error) => e.message.split('\n').filter((l) => l.startsWith('  at ')).length === 5 && /and 40 more/.test(e.message));
  });
});

describe('compare: HTML', () => {
  it('is one self-contained page with the tables and marked regressions', () => {
    const c = compare(runs(base(), degraded()));
    const html = renderHtml(c, evaluateRules(c, [parseRule('success-rate-drop>1')]));
    assert.doesNotMatch(html, /<script|<link|src=|href=|url\(/i);
    for (const id of ['per-route', 'overall', 'count-100', 'no-response', 'causes', 'latency-median', 'latency-p95', 'latency-max', 'gates']) assert.match(html, new RegExp(`id="t-${id}"`));
    assert.match(html, /class="regression"/);
    assert.match(html, /FAIL \(4\)/);
  });
  it('escapes labels', () => {
    const html = renderHtml(compare(runs(base({ label: '<b>x</b>' }), base({ label: 'y|z' }))));
    assert.doesNotMatch(html, /<b>x<\/b>/);
    assert.match(renderMarkdown(compare(runs(base({ label: 'a' }), base({ label: 'y|z' })))), /y\\\|z/);
  });
});

describe('compare: CLI', () => {
  const a = file('main.summary.json', base());
  const same = file('same.summary.json', base({ label: 'same' }));
  const worse = file('pr.summary.json', degraded());
  const rules = ['--fail-on', 'success-rate-drop>1', '--fail-on', 'p95-increase>20%'];

  it('exit 0 for identical runs under the workflow\'s rules; Markdown on stdout, HTML next to the last input', () => {
    const r = cli(a, same, ...rules);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^## party-perf comparison: main vs same/);
    assert.match(r.out, /No regression beyond the tolerance/);
    assert.ok(existsSync(join(tmp, 'compare.html')));
    assert.match(r.err, /HTML written to .*compare\.html/);
  });
  it('exit 1 for a degraded run, naming the broken rules', () => {
    const r = cli(a, worse, ...rules, '--html', join(tmp, 'worse.html'));
    assert.equal(r.code, 1);
    assert.match(r.err, /8 --fail-on violations/);
    assert.match(r.err, /FAIL success-rate-drop>1: pr, All Routes Combined: success/);
    assert.match(r.err, /FAIL p95-increase>20%: pr, \/businesses\?id=: p95 [\d.]+ ms vs [\d.]+ ms in main \(\+4\d\.\d %, \+4\d\d\.\d ms\)/);
    // The job summary gets the gates too (stdout is appended to it).
    assert.match(r.out, /\| `p95-increase>20%` \| \*\*FAIL\*\* \(4\) \|/);
    assert.ok(existsSync(join(tmp, 'worse.html')));
  });
  it('exit 0 when the degradation is within the limits', () => {
    assert.equal(cli(a, worse, '--no-html', '--fail-on', 'success-rate-drop>10', '--fail-on', 'p95-increase>60%').code, 0);
  });
  it('exit 2: fewer than two files, bad rule, missing file, older version, invalid file', () => {
    const one = cli(a);
    assert.equal(one.code, 2);
    assert.match(one.err, /usage: npm run compare/);
    const rule = cli(a, worse, '--fail-on', 'p95>20');
    assert.equal(rule.code, 2);
    assert.match(rule.err, /bad --fail-on rule 'p95>20'[\s\S]*not-sent>N/);
    const missing = cli(a, join(tmp, 'nope.json'), '--no-html');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.json: file not found/);
    const old = cli(a, join(FIXTURES, 'v0.summary.json'), join(FIXTURES, 'invalid.summary.json'), '--no-html');
    assert.equal(old.code, 2);
    assert.match(old.err, /v0\.summary\.json: summary model v0 is older/);
    assert.match(old.err, /invalid\.summary\.json: not a valid summary\.json[\s\S]*at \/scenarios\/2\/offset: must be number/);
    assert.equal(old.out, '', 'nothing half-rendered');
  });
  it('exit 2 when the runs share no route and offset; the Markdown says why', () => {
    const r = cli(a, file('odd.summary.json', base({ label: 'odd', offsets: [7] })), '--no-html', ...rules);
    assert.equal(r.code, 2);
    assert.match(r.out, /Compared on nothing/);
    assert.match(r.err, /no route and offset in common/);
  });
  it('--help exits 0 and lists every exit code', () => {
    const r = cli('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /success-rate-drop>N/);
    assert.match(r.out, /^ {2}1 {2}degraded: a --fail-on rule broken/m);
    assert.match(r.out, /^ {2}3 {2}not judged: every broken rule was broken by a run whose load generator fell/m);
  });
});
