// npm run compare and each run's verdict (summary.json v3): every output says
// first whether each run can be trusted, a note sits beside the differences
// when one cannot (its load generator fell behind, its machine was
// saturated), and the CI gate does not blame the code for the load generator:
// exit 3 (not judged) instead of 1. Older files are upgraded and judged from
// what they recorded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SummaryModel } from '../lib/summary/model.ts';
import { USAGE } from '../tools/compare/args.ts';
import { compare, type Run } from '../tools/compare/diff.ts';
import { EXIT, gateOutcome } from '../tools/compare/gate.ts';
import { renderHtml } from '../tools/compare/html.ts';
import { checkSummary, loadRun } from '../tools/compare/load.ts';
import { renderMarkdown } from '../tools/compare/markdown.ts';
import { evaluateRules, parseRule } from '../tools/compare/rules.ts';
import { run } from '../tools/compare/run.ts';
import { upgrade, upgradeV2 } from '../tools/compare/upgrade.ts';
import { asVersion2, behindModel, FIXTURES } from './helpers/compare-fixtures.ts';
import { fromReport, hostOf, makeModel, REPORT_BASELINE, type Shape } from './helpers/compare-models.ts';
import { repo } from './helpers/k6.ts';

/** 5 points less success everywhere and 1.5x slower: a clear regression, whatever the generator did. */
const worse = (extra: Shape = {}) => makeModel({
  label: 'pr', startTime: '2024-02-01T10:00:00.000Z', slow: 1.5,
  success: (r, c, o) => Math.max(0, fromReport(REPORT_BASELINE)(r, c, o) - 5), ...extra,
});
const main = (extra: Shape = {}) => makeModel({ label: 'main', ...extra });
/** 8 late requests in each scenario: about 3 % of the run, over the 1 % limit. */
const BEHIND: Shape = { late: 8, maxLagMs: 900 };
const SATURATED: Shape = { host: hostOf(0.8) };
const runs = (...ms: SummaryModel[]): Run[] => ms.map((model, i) => ({ file: `run${i}.json`, model }));
const RULES = ['success-rate-drop>1', 'p95-increase>20%'];
const gate = (...ms: SummaryModel[]) => {
  const c = compare(runs(...ms));
  return gateOutcome(c, evaluateRules(c, RULES.map(parseRule)));
};

const tmp = mkdtempSync(join(tmpdir(), 'compare-verdict-'));
function file(name: string, doc: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
}
/** In process: exit code, stdout, stderr. */
function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run([...args, '--no-html', ...RULES.flatMap((r) => ['--fail-on', r])], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('compare verdict: the helper models are judged as a run would be', () => {
  it('trustworthy by default, generator-behind with late requests, saturated with a busy machine', () => {
    assert.equal(main().verdict!.status, 'trustworthy');
    assert.equal(main(BEHIND).verdict!.status, 'generator-behind');
    assert.equal(main(SATURATED).verdict!.status, 'saturated');
    assert.equal(main({ notScheduled: 2 }).verdict!.status, 'generator-behind');
    for (const m of [main(), main(BEHIND), main(SATURATED), main({ late: null }), main({ notScheduled: 2 })]) {
      assert.doesNotThrow(() => checkSummary(JSON.parse(JSON.stringify(m)), 'm.json'), m.verdict!.headline);
    }
  });
});

describe('compare verdict: older files are upgraded and judged honestly', () => {
  it('a v2 fixture loads as v4: schedule null, generator without lag, judged trustworthy as far as k6\'s data tells, marked', () => {
    const r = loadRun(join(FIXTURES, 'docker.summary.json'));
    const m = r.model;
    assert.equal(JSON.parse(readFileSync(join(FIXTURES, 'docker.summary.json'), 'utf8')).version, 2, 'the committed fixture stays v2');
    assert.equal(m.version, 4);
    assert.equal(r.upgradedFrom, 2);
    assert.ok(m.scenarios.every((s) => s.schedule === null));
    assert.equal(m.totals.schedule, null);
    assert.deepEqual(m.generator, {
      toleranceMs: 25, late: null, lateShare: null, maxLagMs: null, notSent: 0, notScheduled: 0, droppedWithFreeVUs: 0, vusBusyMax: null, vusAllocated: null,
    });
    assert.equal(m.verdict!.status, 'trustworthy');
    assert.match(m.verdict!.headline, /^Trustworthy as far as k6's data tells/);
    assert.ok(m.verdict!.reasons.some((x) => /no schedule lag/.test(x)));
    assert.match(m.warnings.at(-1)!, /^Recorded as summary\.json v2, before k6's schedule lag was measured: compare read it as v4 with no lag data/);
    // Visible in the comparison too, beside the run's verdict.
    const md = renderMarkdown(compare([r, loadRun(join(FIXTURES, 'gunicorn.summary.json'))]));
    assert.match(md, /- baseline \*\*docker\*\*: `trustworthy`\. Trustworthy as far as k6's data tells.*No lag data \(recorded as summary\.json v2, before schedule lag was measured\)/);
  });
  it('a v2 file whose k6 fell behind (not scheduled, or dropped with VUs free) is judged generator-behind', () => {
    const notScheduled = upgrade(asVersion2(makeModel({ label: 'v2-behind', notScheduled: 3 })) as unknown as Record<string, unknown>);
    const m = checkSummary(notScheduled, 'v2-behind.json');
    assert.equal(m.generator!.notScheduled, 135);
    assert.equal(m.verdict!.status, 'generator-behind');
    assert.match(m.verdict!.headline, /135 never scheduled/);

    const dropped = asVersion2(makeModel({ label: 'v2-dropped', notSent: 2 }));
    dropped.generatorLimited = { scenarios: ['query_100_50'], notScheduled: 0, droppedWithFreeVUs: 2 };
    const d = checkSummary(upgrade(dropped as unknown as Record<string, unknown>), 'v2-dropped.json');
    assert.equal(d.generator!.droppedWithFreeVUs, 2);
    assert.equal(d.verdict!.status, 'generator-behind');
    assert.ok(d.verdict!.reasons.some((x) => /2 request\(s\) were dropped while VUs were free/.test(x)));
  });
  it('a v3 file is read as written; an unreadable one is not judged, and the schema says why', () => {
    const v3 = JSON.parse(JSON.stringify(behindModel())) as Record<string, unknown>;
    assert.equal(upgrade(v3), v3);
    const broken = upgradeV2({ version: 2, label: 'x' });
    assert.equal((broken.verdict as { status: string }).status, 'not-judged');
    assert.throws(() => checkSummary(broken, 'x.json'), /x\.json: not a valid summary\.json/);
  });
});

describe('compare verdict: the note beside the differences', () => {
  it('trustworthy vs generator-behind: the verdicts first, then the note, repeated at each block of differences', () => {
    const c = compare(runs(main(), worse(BEHIND)));
    assert.deepEqual(c.runs.map((r) => r.verdict.status), ['trustworthy', 'generator-behind']);
    assert.deepEqual(c.trust.untrusted, [1]);
    assert.match(c.trust.note!, /^Not like for like: main \(baseline\) is trustworthy, pr \(run 1\) is not: its load generator fell behind\. The differences involving pr may be the load generator's, not the code's/);
    const md = renderMarkdown(c);
    const at = (re: RegExp) => { const i = md.search(re); assert.ok(i >= 0, String(re)); return i; };
    // Verdicts at the top, each with its status and headline.
    assert.match(md, /^- baseline \*\*main\*\*: `trustworthy`\. Trustworthy: k6 kept its schedule \(0\.00 % of requests started over 25 ms late/m);
    assert.match(md, /^- run 1 \*\*pr\*\*: ⚠ \*\*generator-behind\*\*\. The load generator fell behind: 3\.\d\d % of requests started over 25 ms late \(worst 900 ms\)\. Fewer VUs per load generator/m);
    assert.ok(at(/### Can the runs be trusted\?/) < at(/regressions beyond the tolerance/));
    assert.ok(at(/> \*\*⚠ Not like for like/) < at(/regressions beyond the tolerance/));
    // Beside the deltas: right under each heading of differences, before its first table; the run's column marked.
    const reminder = /> ⚠ pr: its load generator fell behind; the differences below may be the load generator's, not the code's\./;
    for (const h of ['### Success (200), % of planned', '### No response, % of planned', '### Response times of successful answers (ms)']) {
      const from = md.indexOf(h);
      const next = md.indexOf('| ', from);
      const section = md.slice(from, next);
      assert.match(section, reminder, h);
    }
    assert.match(md, /\| Route \| main \(baseline\) \| pr ⚠ \|/);
    assert.match(md, /\*\*[\d.]+ \(▼ -[\d.]+\)\*\*/, 'the differences are still shown and marked');

    const html = renderHtml(c);
    assert.match(html, /<table class="left" id="t-verdicts">/);
    assert.match(html, /<td class="untrusted">⚠ generator-behind<\/td>/);
    assert.match(html, /<td class="trustworthy">trustworthy<\/td>/);
    assert.match(html, /<div class="status warn" id="trust-note">⚠ Not like for like: main \(baseline\) is trustworthy, pr \(run 1\) is not/);
    assert.ok(html.indexOf('id="t-verdicts"') < html.indexOf('id="status"'));
    assert.equal(html.match(/<p class="trust">⚠ pr: its load generator fell behind; the differences below may be the load generator&apos;s, not the code&apos;s\.<\/p>/g)?.length, 3);
    assert.ok(html.indexOf('<p class="trust">') < html.indexOf('id="t-per-route"'));
    assert.match(html, /<th class="untrusted">pr ⚠<\/th>/);
  });
  it('a saturated machine, and an untrusted baseline, are said as such', () => {
    const sat = compare(runs(main(), worse(SATURATED)));
    assert.match(sat.trust.note!, /pr \(run 1\) is not: the machine it ran on was saturated/);
    assert.match(renderMarkdown(sat), /^- run 1 \*\*pr\*\*: ⚠ \*\*saturated\*\*\. The machine was saturated/m);
    const base = compare(runs(main(BEHIND), worse()));
    assert.deepEqual(base.trust.untrusted, [0]);
    assert.match(base.trust.note!, /^Not like for like: pr \(run 1\) is trustworthy, main \(baseline\) is not: its load generator fell behind/);
    assert.match(renderMarkdown(base), /\| Route \| main \(baseline\) ⚠ \| pr \|/);
    const both = compare(runs(main(BEHIND), worse(SATURATED)));
    assert.match(both.trust.note!, /^No run here is trustworthy: main \(baseline\) is not: its load generator fell behind; pr \(run 1\) is not: the machine it ran on was saturated\./);
  });
  it('no note, no reminder and no ⚠ when every run is trustworthy', () => {
    const c = compare(runs(main(), worse()));
    assert.deepEqual(c.trust, { untrusted: [], note: null, reminder: null });
    const md = renderMarkdown(c);
    assert.doesNotMatch(md, /⚠|Not like for like/);
    assert.match(md, /### Can the runs be trusted\?/);
    assert.doesNotMatch(renderHtml(c), /id="trust-note"|class="trust"|⚠/);
  });
});

describe('compare verdict: the gate does not blame the code for the load generator', () => {
  it('a degraded candidate whose generator fell behind is not judged (3), not degraded (1)', () => {
    const g = gate(main(), worse(BEHIND));
    assert.equal(g.code, EXIT.notJudged);
    assert.equal(g.counted.length, 0);
    assert.equal(g.excused.length, 8);
    assert.deepEqual(g.blamed.map((b) => [b.role, b.label, b.verdict.status]), [['candidate', 'pr', 'generator-behind']]);
  });
  it('both trustworthy and degraded: still 1; nothing degraded: 0, trusted or not', () => {
    assert.equal(gate(main(), worse()).code, EXIT.degraded);
    assert.equal(gate(main(), main({ label: 'same', ...BEHIND })).code, EXIT.ok);
    assert.equal(gate(main(BEHIND), main({ label: 'same' })).code, EXIT.ok);
  });
  it('an untrusted baseline excuses every run; with several runs, a trustworthy run\'s degradation still counts', () => {
    assert.equal(gate(main(SATURATED), worse()).code, EXIT.notJudged);
    assert.deepEqual(gate(main(SATURATED), worse()).blamed.map((b) => b.role), ['baseline']);
    const g = gate(main(), worse(BEHIND), worse({ label: 'pr2' }));
    assert.equal(g.code, EXIT.degraded);
    assert.ok(g.counted.every((v) => v.run === 'pr2') && g.counted.length === 8);
    assert.ok(g.excused.every((v) => v.run === 'pr') && g.excused.length === 8);
  });
  it('the Markdown gates table says not judged, the HTML status is amber, not red', () => {
    const c = compare(runs(main(), worse(BEHIND)));
    const results = evaluateRules(c, RULES.map(parseRule));
    const md = renderMarkdown(c, results);
    assert.match(md, /\| `success-rate-drop>1` \| not judged \(4\) \|/);
    assert.doesNotMatch(md, /\*\*FAIL\*\*/);
    assert.match(md, /\*\*Not judged \(exit 3\): the candidate run's load generator fell behind \(pr\): the broken rules may be the load generator's doing, not the code's\.\*\*/);
    const html = renderHtml(c, results);
    assert.match(html, /<div class="status warn" id="status">[^<]*2 of 2 gates not judged/);
    assert.match(html, /<td class="not-judged">not judged \(4\)<\/td>/);
  });

  const base = file('main.summary.json', main());
  const behind = file('behind.summary.json', worse(BEHIND));
  const degraded = file('pr.summary.json', worse());
  it('CLI: exit 3 with the reason and the advice when the degraded candidate was generator-behind', () => {
    const r = inProcess(base, behind);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /^compare: not judged: the candidate run's load generator fell behind \(pr\)\. 8 --fail-on violations not counted against the code: the difference may be the load generator's, not the code's\.$/m);
    assert.match(r.err, /^ {2}pr \(candidate\): The load generator fell behind: 3\.\d\d % of requests started over 25 ms late \(worst 900 ms\)\.$/m);
    assert.match(r.err, /^ {2}advice: Fewer VUs per load generator, or more generators/m);
    assert.match(r.err, /^ {2}NOT JUDGED success-rate-drop>1: pr, All Routes Combined: success/m);
    assert.doesNotMatch(r.err, /FAIL /);
    assert.match(r.out, /> \*\*⚠ Not like for like/);
  });
  it('CLI: exit 1 when both runs are trustworthy and the candidate degraded', () => {
    const r = inProcess(base, degraded);
    assert.equal(r.code, 1);
    assert.match(r.err, /8 --fail-on violations:/);
    assert.doesNotMatch(r.err, /not judged/);
  });
  it('CLI: exit 3 naming the baseline, and a saturated machine', () => {
    const r = inProcess(file('main-behind.summary.json', main(BEHIND)), degraded);
    assert.equal(r.code, 3);
    assert.match(r.err, /not judged: the baseline run's load generator fell behind \(main\)/);
    const s = inProcess(base, file('sat.summary.json', worse(SATURATED)));
    assert.equal(s.code, 3);
    assert.match(s.err, /not judged: the candidate run's machine was saturated \(pr\)/);
    assert.match(s.err, /advice: Give k6 a machine of its own/);
  });
  it('CLI: exit 0 when nothing degraded, with a warning for the untrusted run', () => {
    const r = inProcess(base, file('same-behind.summary.json', main({ label: 'same', ...BEHIND })));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^compare: warning: same \(candidate\) is not trustworthy: The load generator fell behind/m);
  });
  it('CLI, as a process: a committed v2 baseline against the committed v3 generator-behind run exits 3', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'tools/compare/cli.ts'),
      join(FIXTURES, 'docker.summary.json'), join(FIXTURES, 'behind.summary.json'), '--no-html', ...RULES.flatMap((x) => ['--fail-on', x])],
    { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /not judged: the candidate run's load generator fell behind \(behind\)/);
    assert.match(r.stdout, /- baseline \*\*docker\*\*: `trustworthy`\. Trustworthy as far as k6's data tells/);
    // The v1 file too: upgraded twice, judged, compared.
    const v1 = inProcess(join(FIXTURES, 'v1.summary.json'), join(FIXTURES, 'behind.summary.json'));
    assert.equal(v1.code, 3, v1.err);
  });
  it('the usage text documents exit 3', () => {
    assert.match(USAGE, /^ {2}3 {2}not judged: every broken rule was broken by a run whose load generator fell\n {5}behind or whose machine was saturated, or against such a baseline/m);
    assert.match(USAGE, /--fail-on <rule> +exit 1 when any run breaks the rule vs the baseline \(repeatable\); exit 3/);
  });
});
