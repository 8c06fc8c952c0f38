// capacity.json against its schema, and the Markdown, HTML and terminal
// renderings of it: the figures they show come from the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { CAPACITY_VERSION, capacityExitCode, UNTRUSTED_EXIT, type CapacityReport, type ProbeRecord } from '../tools/capacity/model.ts';
import { progressLine, renderHtml, renderMarkdown, renderText } from '../tools/capacity/render.ts';
import { UNTRUSTED_EXIT as RUN_UNTRUSTED_EXIT } from '../tools/run.ts';
import { result } from '../tools/docs/capacity-report.ts';

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
const validate = addFormats(new Ajv({ allErrors: true })).compile(JSON.parse(readFileSync(new URL('../data/schemas/capacity.schema.json', import.meta.url), 'utf8')));

function probe(index: number, rate: number, holds: boolean, over: Partial<ProbeRecord> = {}): ProbeRecord {
  return {
    index, rate, holds, successPct: holds ? 100 : 91.5, p95Ms: holds ? 8 + rate / 100 : 1450, notSent: 0, k6Cpu: 0.1 + rate / 2000, k6CpuPeak: 0.3,
    reasons: holds ? [] : ['success 91.50 % < gate 99.00 %', 'p95 1450.0 ms > 1000 ms'], generator: [],
    verdict: { status: 'trustworthy', headline: 'Trustworthy: k6 kept its schedule (0.02 % of requests started over 25 ms late, worst 31 ms) and the machine had room.' },
    lateShare: 0.0002, maxLagMs: 31, attempt: 1, counted: true, stop: null,
    routes: [{ route: 'id', planned: rate * 10, sent: rate * 10, success: holds ? rate * 10 : Math.round(rate * 9.15), successPct: holds ? 100 : 91.5, notSent: 0, notRun: 0, timeouts: 0, p95Ms: holds ? 9 : 1450, vus: rate * 2 + 1 }],
    folder: `probes/${String(index).padStart(2, '0')}-id-${rate}`, elapsedMs: 12_000, ...over,
  };
}


const id = result('id', [probe(1, 10, true), probe(2, 20, true), probe(3, 40, true), probe(4, 80, true), probe(5, 160, false), probe(6, 113, true), probe(7, 134, false), probe(8, 123, true), probe(9, 128, true)]);
const all = result('all', [probe(10, 10, true), probe(11, 20, false, { generator: ['k6 used 1.85 of the machine\'s 2 cores'] }), probe(12, 14, true), probe(13, 17, true), probe(14, 18, true), probe(15, 19, true)], { limitedBy: 'load generator', lowerBound: true });
const report: CapacityReport = {
  version: CAPACITY_VERSION, label: 'reference', startTime: '2026-12-01T18:00:00.000Z', durationMs: 240_000,
  target: 'http://127.0.0.1:40123', preset: 'baseline', k6Version: 'v0.49.0', machineCores: 2, interrupted: false,
  settings: { gate: 99, p95Ms: 1000, precision: 0.05, stepSeconds: 10, startRate: 10, maxRate: 2000, pauseSeconds: 3, retries: 2, timeoutMs: 2000 },
  results: [id, all],
};

test('a report matches the schema; a broken one does not', () => {
  assert.ok(validate(report), JSON.stringify(validate.errors));
  assert.equal(validate({ ...report, results: [{ ...id, limitedBy: 'network' }] }), false);
  assert.equal(validate({ ...report, results: [{ ...id, probes: [{ ...id.probes[0], successPct: 101 }] }] }), false);
  const { settings: _s, ...noSettings } = report;
  assert.equal(validate(noSettings), false);
});

test('the note names the limit and its reason', () => {
  assert.equal(id.note, "128 req/s held and 134 req/s failed on the target's answers (success 91.50 % < gate 99.00 %; p95 1450.0 ms > 1000 ms).");
  assert.match(all.note, /^At least 19 req\/s, a lower bound: at 20 req\/s k6 could not send the rate \(k6 used 1\.85/);
  const none = result('ref', [probe(1, 10, false), probe(2, 5, false), probe(3, 3, false), probe(4, 2, false), probe(5, 1, false)]);
  assert.match(none.note, /^No capacity: even 1 req\/s failed/);
});

test('terminal: the final table and a progress line per probe', () => {
  const t = renderText(report);
  assert.match(t, /^\s+id\s+128\s+128\s+128\s+134\s+target\s+9$/m);
  assert.match(t, /^\s+all\s+>= 19\s+>= 57\s+19\s+20\s+load generator\s+6$/m);
  const line = progressLine('id', id.probes[6]!, 128, 134);
  assert.match(line, /id probe 7: 134 req\/s {2}success 91\.50 % {2}p95 1450\.0 ms {2}not sent 0 {2}k6 CPU 0\.17 cores {2}late 0\.02 % {2}run trustworthy {2}-> fails: success 91\.50 % < gate/);
});

test('Markdown: the summary table and every probe', () => {
  const md = renderMarkdown(report);
  assert.match(md, /^\| id \| 128 \| 128 \| 128 \| 134 \| target \| 9 \|$/m);
  assert.match(md, /^\| all \| >= 19 \| >= 57 \| 19 \| 20 \| load generator \| 6 \|$/m);
  assert.equal(md.match(/^\| \d+ \| \d+ \| (holds|fails|stopped) \| trustworthy \| 0\.02 \| 31 \|/gm)?.length, 15);
  assert.match(md, /\| 20 \| fails \| .* load generator: k6 used 1\.85/);
});

test('HTML: self-contained, one chart per search with each probe and the capacity marked, tables scroll', () => {
  const html = renderHtml(report);
  assert.doesNotMatch(html, /<script|<link|\bsrc=|url\(|@import/i);
  assert.equal(html.match(/<svg /g)?.length, 2);
  assert.equal(html.match(/<circle class="probe"/g)?.length, 15);
  assert.match(html, /class="capacity">capacity 128</);
  assert.match(html, /class="capacity">capacity &gt;= 19</);
  // Every table sits in a scroll container; long paths wrap.
  assert.equal(html.match(/<table/g)?.length, 3);
  assert.equal(html.match(/<table/g)?.length, html.match(/<div class="scroll"><table class="[a-z]+">/g)?.length);
  assert.match(html, /overflow-wrap:anywhere/);
  assert.match(html, /<td class="wrap">success 91\.50 % &lt; gate 99\.00 %; p95 1450\.0 ms &gt; 1000 ms<\/td>/);
  assert.match(html, /<code>probes\/09-id-128<\/code>/);
});

// A search the load generator stopped: 40 req/s ran behind once and held on its retry; 80 req/s ran behind three times.
const BEHIND = { status: 'generator-behind' as const, headline: 'The load generator fell behind: 4.20 % of requests started over 25 ms late (worst 180 ms).' };
const behind = (index: number, rate: number, attempt: number): ProbeRecord =>
  probe(index, rate, true, { verdict: BEHIND, lateShare: 0.042, maxLagMs: 180, attempt, counted: false, folder: `probes/${String(index).padStart(2, '0')}-ref-${rate}${attempt > 1 ? `-retry${attempt - 1}` : ''}` });
const ref = result('ref', [
  probe(16, 10, true), probe(17, 20, true), behind(18, 40, 1), probe(19, 40, true, { attempt: 2 }), behind(20, 80, 1), behind(21, 80, 2), behind(22, 80, 3),
], { limitedBy: 'load generator', lowerBound: true, untrusted: { rate: 80, tries: 3, status: 'generator-behind', headline: BEHIND.headline } });
const stoppedReport: CapacityReport = { ...report, results: [id, all, ref] };

test('a search the load generator stopped: valid, its note says where and why, retries named', () => {
  assert.ok(validate(stoppedReport), JSON.stringify(validate.errors));
  assert.equal(ref.capacity, 40);
  assert.equal(ref.upper, null);
  assert.equal(ref.note,
    'At least 40 req/s, a lower bound, limited by the load generator: at 80 req/s no run of 3 was trustworthy ' +
    '(the last: the load generator fell behind: 4.20 % of requests started over 25 ms late (worst 180 ms)), so the search stopped there. ' +
    '1 run was not trustworthy (load generator behind, or the machine saturated), not counted and retried.');
  // The untrusted stop only holds a run's verdict that was not trustworthy.
  assert.equal(validate({ ...stoppedReport, results: [{ ...ref, untrusted: { ...ref.untrusted, status: 'trustworthy' } }] }), false);
  assert.equal(validate({ ...stoppedReport, results: [{ ...ref, probes: [{ ...ref.probes[0], verdict: { status: 'fine', headline: '' } }] }] }), false);
  // No trustworthy run at the first rate: no capacity, still the load generator's doing.
  const first = result('query', [behind(1, 10, 1), behind(2, 10, 2), behind(3, 10, 3)], {
    limitedBy: 'load generator', lowerBound: true, untrusted: { rate: 10, tries: 3, status: 'generator-behind', headline: BEHIND.headline },
  });
  assert.match(first.note, /^No capacity found, limited by the load generator: at 10 req\/s no run of 3 was trustworthy/);
  assert.doesNotMatch(first.note, /retried/);
});

test('exit code: 0 every search found a capacity, 1 some found none, 3 when only untrusted runs left one without', () => {
  assert.equal(UNTRUSTED_EXIT, RUN_UNTRUSTED_EXIT);
  const found = { capacity: 40, untrusted: null };
  const stopped = { capacity: 40, untrusted: ref.untrusted };
  const noneUntrusted = { capacity: null, untrusted: ref.untrusted };
  const noneTarget = { capacity: null, untrusted: null };
  assert.equal(capacityExitCode([found, stopped], false), 0);
  assert.equal(capacityExitCode([found, noneTarget], false), 1);
  assert.equal(capacityExitCode([noneUntrusted, noneTarget], false), 1);
  assert.equal(capacityExitCode([found, noneUntrusted], false), 3);
  assert.equal(capacityExitCode([found, noneUntrusted], true), 130);
});

test('terminal: retries and the stop said as they happen; the table and the note say why the search stopped', () => {
  const t = renderText(stoppedReport);
  assert.match(t, /^\s+ref\s+>= 40\s+>= 40\s+40\s+-\s+load generator\s+7$/m);
  assert.match(t, /ref: At least 40 req\/s, a lower bound, limited by the load generator: .* not counted and retried\.$/m);
  assert.match(t, /a probe whose run is not trustworthy \(load generator behind, or machine saturated\) does not count: its rate is run again, up to 2 more times, then the search stops there, limited by the load generator/);
  const retry = progressLine('ref', ref.probes[4]!, 40, null, 'retry', 2);
  assert.match(retry, /ref probe 20: 80 req\/s .* late 4\.20 % {2}run generator-behind {2}-> not counted, run not trustworthy: The load generator fell behind: .*\. Trying 80 req\/s again \(retry 1 of 2\) {2}\(held 40, failed -\)$/);
  const counted = progressLine('ref', ref.probes[3]!, 40, null, 'count', 2);
  assert.match(counted, /ref probe 19 \(retry 1\): 40 req\/s .* run trustworthy {2}-> holds/);
  const giveUp = progressLine('ref', ref.probes[6]!, 40, null, 'give up', 2);
  assert.match(giveUp, /ref probe 22 \(retry 2\): 80 req\/s .*-> not counted, run not trustworthy: .* None of 3 runs at 80 req\/s was trustworthy: the search stops here, limited by the load generator/);
});

test('Markdown and HTML: each probe\'s run verdict, late share and lag; runs not counted marked; the stop drawn', () => {
  const md = renderMarkdown(stoppedReport);
  assert.match(md, /^\| 18 \| 40 \| not counted \| generator-behind \| 4\.20 \| 180 \| 100\.00 \| .* \| run not trustworthy: The load generator fell behind: 4\.20 % .* \|$/m);
  assert.match(md, /^\| 19 \(retry 1\) \| 40 \| holds \| trustworthy \| 0\.02 \| 31 \|/m);
  assert.match(md, /^\| 22 \(retry 2\) \| 80 \| not counted \| generator-behind \|/m);
  assert.match(md, /- \*\*ref\*\*: At least 40 req\/s, a lower bound, limited by the load generator: at 80 req\/s no run of 3 was trustworthy/m);
  const html = renderHtml(stoppedReport);
  assert.equal(html.match(/<circle class="probe untrusted"/g)?.length, 4);
  assert.equal(html.match(/<circle class="probe"/g)?.length, 18);
  assert.match(html, /class="untrusted">stopped: load generator</);
  assert.match(html, /<title>80 req\/s: holds, not counted: run generator-behind \(The load generator fell behind/);
  assert.match(html, /<td class="wrap">run not trustworthy: The load generator fell behind/);
  assert.doesNotMatch(html, /<script|<link|\bsrc=|url\(|@import/i);
});
