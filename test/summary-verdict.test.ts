// Can this run be trusted? Every format leads with the verdict, on real k6
// v0.49 data (test/fixtures/k6-v0.49/lag): a healthy run (nothing late) and
// one pinned to a busy core (4211 of ~12000 requests late, worst 298 ms, the
// lag gate failed). Also: the machine's samples turn a verdict to saturated,
// GATE_LAG=off skips the junit case, and a version-2 file still renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import Papa from 'papaparse';
import { parseConfig } from '../lib/config.ts';
import { buildSummary, runFromConfig } from '../lib/summary/build.ts';
import { handleSummary } from '../lib/summary/entry.ts';
import type { HostSample, SummaryModel } from '../lib/summary/model.ts';
import { buildTables } from '../lib/summary/tables.ts';
import { renderText } from '../lib/summary/text.ts';
import { renderMarkdown } from '../lib/summary/markdown.ts';
import { renderHtml } from '../lib/summary/html.ts';
import { renderCsv, CSV_FIELDS } from '../lib/summary/csv.ts';
import { renderJunit } from '../lib/summary/junit.ts';
import { hostHealth, withHost } from '../lib/summary/verdict.ts';
import { syntheticData } from './helpers/summary-data.ts';

const NOW = Date.UTC(2026, 11, 6, 0, 0, 0);
// As the fixtures were recorded (k6 v0.49, -e SEED=1 -e PREFLIGHT=false).
const STARVED_ENV = { ROUTES: 'id,ref', COUNTS: '3000', OFFSETS: '2,1', TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false' };
const HEALTHY_ENV = { ROUTES: 'id,ref', COUNTS: '100', OFFSETS: '20,50', TIMEOUT: '2s', SEED: '1', PREFLIGHT: 'false' };

const load = (file: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/k6-v0.49/lag/${file}`, import.meta.url), 'utf8'));
const modelOf = (file: string, env: Record<string, string>): SummaryModel =>
  buildSummary(load(file), runFromConfig(parseConfig(env, 'report'), 1, 'v0.49.0'), NOW);
const starved = () => modelOf('starved.json', STARVED_ENV);
const healthy = () => modelOf('healthy.json', HEALTHY_ENV);

interface Rendered { text: string; color: string; md: string; html: string; csv: string; junit: string }
function render(m: SummaryModel): Rendered {
  const t = buildTables(m);
  return {
    text: renderText(m, t, { color: false, written: [], failures: [] }),
    color: renderText(m, t, { color: true, written: [], failures: [] }),
    md: renderMarkdown(m, t), html: renderHtml(m, t), csv: renderCsv(m), junit: renderJunit(m, t),
  };
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
type Case = { name: string; failure?: { message: string }; skipped?: { message: string } };
function junitOf(xml: string): { suite: Record<string, any>; cases: Case[]; props: Record<string, string> } {
  const suite = xmlParser.parse(xml).testsuites.testsuite;
  const props: Record<string, string> = {};
  for (const p of [suite.properties?.property ?? []].flat() as Array<{ name: string; value: string }>) props[p.name] = p.value;
  return { suite, cases: [suite.testcase ?? []].flat(), props };
}
const lagCase = (cases: Case[]) => cases.find((c) => c.name.startsWith('load generator kept its schedule'));
const csvRows = (csv: string) => Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;
/** Where the first table starts in Markdown (a header row). */
const firstMdTable = (md: string) => md.search(/^\| /m);

test('the starved run: the generator fell behind, with the figures k6 recorded', () => {
  const m = starved();
  assert.equal(m.verdict!.status, 'generator-behind');
  assert.deepEqual({ late: m.generator!.late, maxLagMs: m.generator!.maxLagMs, notScheduled: m.generator!.notScheduled }, { late: 4211, maxLagMs: 298, notScheduled: 9 });
  assert.deepEqual(m.totals.schedule, { late: 4211, maxLagMs: 298 });
  const gate = m.thresholds.find((th) => th.metric === 'party_late')!;
  assert.deepEqual({ expression: gate.expression, ok: gate.ok, observed: gate.observed, gate: gate.gate }, { expression: 'count<=120', ok: false, observed: 4211, gate: true });
});

test('the starved run: every format says so first, with the figures', () => {
  const m = starved();
  const r = render(m);

  // Terminal: the line right under the title, headline and advice, red.
  const lines = r.text.split('\n').filter((l) => l.trim() !== '');
  assert.match(lines[0]!, /^party-perf results: /);
  assert.match(lines[1]!, /^The load generator fell behind: 35\.11 % of requests started over 25 ms late \(worst 298 ms\), 9 never scheduled\. Fewer VUs per load generator/);
  assert.ok(r.text.indexOf('fell behind') < r.text.indexOf('Total Sample Size'));
  assert.ok(r.color.includes('\x1b[31;1mThe load generator fell behind'), 'red on a terminal');

  // report.md: the section comes before every table, with reasons, meaning, advice and the generator's figures.
  const sec = r.md.indexOf('## Can this run be trusted?');
  assert.ok(sec > 0 && sec < firstMdTable(r.md) && sec < r.md.indexOf('## Thresholds'), 'the verdict is the first section');
  assert.ok(r.md.includes('**The load generator fell behind: 35.11 % of requests started over 25 ms late (worst 298 ms), 9 never scheduled.**'));
  assert.match(r.md, /^- 4211 of 11994 requests \(35\.11 %\) started over 25 ms after their planned time, worst 298 ms; the limit is 1\.00 %\.$/m);
  assert.match(r.md, /^- 9 planned request\(s\) were never scheduled/m);
  assert.match(r.md, /^The target saw less load than planned/m);
  assert.match(r.md, /^What to do: Fewer VUs per load generator/m);
  for (const row of ['| Requests started over 25 ms late | 4 211 (35.11 % of sent) |', '| Worst lag | 298 ms |', '| Not sent (k6 dropped) | 0 |',
    '| Not scheduled (k6 fell behind) | 9 |', '| Dropped with free VUs | 0 |', '| VUs busy (max) / allocated | 1 317 / 2 001 |']) {
    assert.ok(r.md.includes(row), row);
  }
  assert.ok(r.md.indexOf('| Worst lag | 298 ms |') < r.md.indexOf('## Thresholds'));
  // Per scenario: only those with late starts, with their count and worst lag.
  const late = r.md.slice(r.md.indexOf('### Late starts'));
  assert.match(late, /\| id_c3000_o1 \| \/businesses\/id\/ \| 3000 @ 1 ms \| 2 655 \| 88\.62 % \| 298 ms \|/);
  assert.match(late, /\| ref_c3000_o1 \| \/businesses\/ref\/ \| 3000 @ 1 ms \| 85 \| [\d.]+ % \| 69 ms \|/);
  assert.equal((late.split('\n\n')[2] ?? '').split('\n').length, 2 + 4, 'a header, its rule and the four late scenarios');

  // report.html: a red banner under the gates' status, before the first table.
  const banner = r.html.indexOf('id="verdict"');
  assert.ok(banner > r.html.indexOf('id="status"') && banner < r.html.indexOf('<table'), 'the banner comes before any table');
  assert.match(r.html, /<div class="status verdict fail" id="verdict"><div>Can this run be trusted\? The load generator fell behind: 35\.11 %/);
  assert.match(r.html, /<b>What to do:<\/b> Fewer VUs per load generator/);
  assert.match(r.html, /<details open><summary>Load generator<\/summary>/);
  assert.match(r.html, /<td>Requests started over 25 ms late<\/td><td>4 211 \(35\.11 % of sent\)<\/td>/);
  assert.match(r.html, /<td>id_c3000_o1<\/td><td>\/businesses\/id\/<\/td><td>3000 @ 1 ms<\/td><td>2 655<\/td><td>88\.62 %<\/td><td>298 ms<\/td>/);

  // tables.csv: the old columns in place, late / worst lag per scenario and the verdict appended.
  assert.deepEqual(r.csv.split('\n')[0]!.split(','), CSV_FIELDS);
  assert.deepEqual(CSV_FIELDS.slice(-3), ['late', 'max_lag_ms', 'verdict']);
  const rows = csvRows(r.csv);
  assert.equal(rows.length, 4 * 7, 'four scenarios x six classes and not sent, not scheduled');
  const o1 = rows.filter((x) => x.scenario === 'id_c3000_o1');
  assert.ok(o1.length > 0 && o1.every((x) => x.late === '2655' && x.max_lag_ms === '298' && x.verdict === 'generator-behind'));
  assert.ok(rows.every((x) => x.verdict === 'generator-behind'));

  // junit.xml: the lag gate fails as its own case, with the figures and the advice; the verdict is a property.
  const j = junitOf(r.junit);
  const c = lagCase(j.cases)!;
  assert.equal(c.name, 'load generator kept its schedule (party_late count<=120)');
  assert.match(c.failure!.message, /4 211 of 11 994 requests \(35\.11 %\) started over 25 ms late, worst 298 ms; party_late count<=120, observed 4 211\. Fewer VUs per load generator/);
  assert.equal(Number(j.suite.failures), j.cases.filter((x) => x.failure).length);
  assert.equal(j.props.verdict, 'generator-behind');
  assert.match(j.props['verdict.headline']!, /^The load generator fell behind: 35\.11 %/);
  assert.match(String(j.suite['system-out']), /^The load generator fell behind: .* What to do: Fewer VUs/);
});

test('the healthy run: trustworthy in every format, the lag case passes, nothing late listed', () => {
  const m = healthy();
  assert.equal(m.verdict!.status, 'trustworthy');
  assert.deepEqual(m.totals.schedule, { late: 0, maxLagMs: null });
  const r = render(m);
  assert.match(r.text.split('\n').filter((l) => l.trim())[1]!, /^Trustworthy: k6 kept its schedule \(0\.00 % of requests started over 25 ms late/);
  assert.ok(r.color.includes('\x1b[32mTrustworthy: '), 'green on a terminal');
  assert.ok(!r.text.includes('Fewer VUs'), 'no advice when trustworthy');

  assert.ok(r.md.indexOf('## Can this run be trusted?') < firstMdTable(r.md));
  assert.match(r.md, /\*\*Trustworthy: k6 kept its schedule/);
  assert.ok(!r.md.includes('What to do:'));
  assert.ok(r.md.includes('| Requests started over 25 ms late | 0 (0.00 % of sent) |'));
  assert.ok(!r.md.includes('Late starts'), 'no scenario started late');

  assert.match(r.html, /<div class="status verdict pass" id="verdict">/);
  assert.match(r.html, /<details><summary>Load generator<\/summary>/, 'folded when trustworthy');
  assert.ok(!r.html.includes('Late starts'));

  const rows = csvRows(r.csv);
  assert.ok(rows.length > 0 && rows.every((x) => x.late === '0' && x.max_lag_ms === '' && x.verdict === 'trustworthy'));

  const j = junitOf(r.junit);
  const c = lagCase(j.cases)!;
  assert.equal(c.name, 'load generator kept its schedule (party_late count<=4)');
  assert.equal(c.failure, undefined);
  assert.equal(Number(j.suite.failures), 0);
  assert.equal(j.props.verdict, 'trustworthy');
});

test('handleSummary (the path k6 takes) leads with the verdict too', () => {
  const out = handleSummary(load('starved.json') as object, { env: { ...STARVED_ENV, SUMMARY_DIR: 'out' }, profile: 'report', seed: 1, now: NOW });
  assert.match(out.stdout!.split('\n').filter((l) => l.trim())[1]!, /^The load generator fell behind/);
  assert.match(out['out/report.md']!, /## Can this run be trusted\?\n\n\*\*The load generator fell behind/);
  assert.match(out['out/junit.xml']!, /<property name="verdict" value="generator-behind"\/>/);
  assert.equal(JSON.parse(out['out/summary.json']!).verdict.status, 'generator-behind');
});

test('a saturated machine: the verdict says so in every format, with the machine\'s figures', () => {
  // Two cores, 60 one-second samples, 30 of them at 97 % busy: half the run saturated.
  const samples: HostSample[] = Array.from({ length: 60 }, (_, i) => ({ t: i + 1, k6Cpu: i % 2 ? 1.9 : 0.6, busy: i % 2 ? 0.97 : 0.4, load1: 2 }));
  const host = hostHealth(samples, 2, 1000);
  assert.ok(host.saturatedShare! >= 0.25);
  const m = withHost(healthy(), host);
  assert.equal(m.verdict!.status, 'saturated');
  const r = render(m);
  assert.match(r.text.split('\n').filter((l) => l.trim())[1]!, /^The machine was saturated: at least 90 % busy for 50\.00 % of the run\. Give k6 a machine of its own/);
  assert.ok(r.color.includes('\x1b[31;1mThe machine was saturated'));
  assert.ok(r.md.indexOf('**The machine was saturated') < firstMdTable(r.md));
  for (const row of ['| k6 CPU median / peak | 1.25 / 1.90 of 2 cores |', '| Machine busy (median) | 68.50 % |', '| Samples at least 90 % busy | 50.00 % of 60 |']) assert.ok(r.md.includes(row), row);
  assert.match(r.md, /^What to do: Give k6 a machine of its own/m);
  assert.match(r.html, /class="status verdict fail" id="verdict"><div>Can this run be trusted\? The machine was saturated/);
  assert.ok(csvRows(r.csv).every((x) => x.verdict === 'saturated'));
  const j = junitOf(r.junit);
  assert.equal(j.props.verdict, 'saturated');
  // The lag gate judges k6's schedule, not the machine: it still passes.
  assert.equal(lagCase(j.cases)!.failure, undefined);
});

test('GATE_LAG=off: no lag gate, so junit skips its case and still says how late k6 was', () => {
  const env = { ...HEALTHY_ENV, GATE_LAG: 'off' };
  const c = parseConfig(env, 'report');
  const data = syntheticData(c.plan, {
    outcome: (s) => ({ classes: { success: s.count }, causes: { refused: 0, reset: 0, closed: 0, timeout: 0, other: 0 }, notSent: 0, late: s.offset === 20 ? 3 : 0, maxLagMs: 41 }),
  });
  const m = buildSummary(data, runFromConfig(c, 1, null), NOW);
  assert.equal(m.gates!.maxLateShare, null);
  assert.ok(!m.thresholds.some((th) => th.metric === 'party_late'), 'count>=0 only keeps the metric: not a gate');
  // 6 of 400 late is over the verdict's 1 % without a gate.
  assert.equal(m.verdict!.status, 'generator-behind');
  const j = junitOf(render(m).junit);
  const lag = lagCase(j.cases)!;
  assert.equal(lag.name, 'load generator kept its schedule');
  assert.match(lag.skipped!.message, /^GATE_LAG=off: not a gate in this run; 6 of 400 requests \(1\.50 %\) started over 25 ms late, worst 41 ms$/);
  assert.equal(Number(j.suite.skipped), 1);
  assert.equal(Number(j.suite.tests), j.cases.length);
  assert.equal(Number(j.suite.failures), j.cases.filter((x) => x.failure).length);
  // Only the late scenarios are listed.
  const md = render(m).md;
  const late = md.slice(md.indexOf('### Late starts')).split('\n## ')[0]!;
  assert.deepEqual(late.split('\n').filter((l) => /^\| [a-z]+_c/.test(l)).map((l) => l.split(' | ')[0]!.slice(2)), ['id_c100_o20', 'ref_c100_o20']);
});

test('a version-2 file (no verdict, no generator, no lag) renders as before plus one "Not judged" line', () => {
  const v2 = (m: SummaryModel, deleteSchedule: boolean): SummaryModel => {
    const o = JSON.parse(JSON.stringify(m)) as Record<string, any>;
    o.version = 2;
    delete o.verdict; delete o.generator; delete o.host;
    delete o.gates.maxLateShare;
    o.thresholds = o.thresholds.filter((th: { metric: string }) => th.metric !== 'party_late');
    for (const s of [...o.scenarios, o.totals]) if (deleteSchedule) delete s.schedule; else s.schedule = null;
    return o as SummaryModel;
  };
  for (const [name, m] of [['starved, schedule null', v2(starved(), false)], ['healthy, schedule absent', v2(healthy(), true)]] as const) {
    const r = render(m);
    const line = 'Not judged: recorded before schedule lag was measured.';
    assert.equal(r.text.split(line).length, 2, `${name}: one line on the terminal`);
    assert.equal(r.md.split('Not judged').length, 2, `${name}: one line in report.md`);
    assert.ok(!r.md.includes('## Can this run be trusted?') && !r.md.includes('Load generator') && !r.md.includes('Late starts'), name);
    assert.ok(r.md.indexOf(line) < firstMdTable(r.md), name);
    assert.match(r.html, /<div class="status warn" id="verdict">Not judged: recorded before schedule lag was measured\.<\/div>/);
    assert.ok(!r.html.includes('Load generator') && !r.html.includes('Late starts'), name);
    const rows = csvRows(r.csv);
    assert.ok(rows.length > 0 && rows.every((x) => x.late === '' && x.max_lag_ms === '' && x.verdict === 'not-judged'), name);
    const j = junitOf(r.junit);
    assert.equal(lagCase(j.cases), undefined, `${name}: no lag gate, no case`);
    assert.deepEqual(j.props, {}, `${name}: no verdict to report`);
    assert.match(String(j.suite['system-out']), /^Not judged: recorded before schedule lag was measured\./);
    // The rest reads as it did: the gates, the tables.
    assert.ok(r.md.includes('## Thresholds') && r.md.includes('### Overall'), name);
  }
});
