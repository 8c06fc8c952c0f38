// npm run merge on the results of a real distributed run: three k6 v0.49.0
// instances of dist/smoke.js (segments 0:1/3, 1/3:2/3, 2/3:1) against the
// reference target, whose own counters are in fixtures/merge/target-tally.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { CLASSES } from '../lib/classify.ts';
import type { Latency, SummaryModel } from '../lib/summary/model.ts';
import { mergeSummaries, type Instance } from '../tools/merge/combine.ts';
import { approximateLatency, exactLatency, percentile, Samples } from '../tools/merge/latency.ts';
import { readRawSamples } from '../tools/merge/raw.ts';
import { run, writeAll } from '../tools/merge/run.ts';
import { MergeError } from '../tools/merge/errors.ts';
import { checkSummary } from '../tools/compare/load.ts';

const FIX = new URL('./fixtures/merge/', import.meta.url).pathname;
const DIRS = ['s1', 's2', 's3'].map((d) => join(FIX, d));
const load = (dir: string): Instance => ({ file: join(dir, 'summary.json'), model: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryModel });
const instances = (): Instance[] => DIRS.map(load);
const names = (i: Instance) => new Set(i.model.scenarios.map((s) => s.name));
const tally = JSON.parse(readFileSync(join(FIX, 'target-tally.json'), 'utf8')) as { delta: Record<string, number> };
const ROUTE_METRIC: Record<string, string> = {
  query: 'party_target_http_responses_total{route="GET /businesses?id=",status="200"}',
  id: 'party_target_http_responses_total{route="GET /businesses/id/{id}",status="200"}',
  ref: 'party_target_http_responses_total{route="GET /businesses/ref/{ref}",status="200"}',
};

async function raw(list: Instance[]) {
  return (await readRawSamples(DIRS.map((d) => join(d, 'raw.csv.gz')), names(list[0]!))).byScenario;
}

test('each instance planned only its share: the shares add up to the plan and none shows a false not-run', () => {
  const list = instances();
  const plan = list[0]!.model.scenarios.map((s) => s.count).reduce((a, b) => a + b, 0);
  assert.equal(list.reduce((a, i) => a + i.model.totals.planned, 0), plan);
  for (const i of list) {
    assert.ok(i.model.segment, `${i.file} names its segment`);
    assert.equal(i.model.segment!.sequence, '0,1/3,2/3,1');
    assert.equal(i.model.totals.notRun, 0, i.file);
    assert.equal(i.model.totals.sent + i.model.totals.notSent, i.model.totals.planned, i.file);
  }
});

test("merged accounting and per-route successes equal what the target answered; counts add exactly", async () => {
  const list = instances();
  const m = mergeSummaries(list, await raw(list));
  assert.equal(m.totals.planned, m.scenarios.reduce((a, s) => a + s.count, 0));
  assert.equal(m.totals.notRun, 0);
  for (const route of Object.keys(ROUTE_METRIC)) {
    const ok = m.scenarios.filter((s) => s.route === route).reduce((a, s) => a + s.classes.success, 0);
    assert.equal(ok, tally.delta[ROUTE_METRIC[route]!], route);
  }
  // Every other answer was a connection the target closed unanswered (--max-connections).
  assert.equal(m.totals.answered, Object.values(ROUTE_METRIC).reduce((a, k) => a + tally.delta[k]!, 0));
  assert.equal(m.totals.noResponse, tally.delta.party_target_connections_dropped_total);
  for (const [i, s] of m.scenarios.entries()) {
    for (const c of CLASSES) assert.equal(s.classes[c], list.reduce((a, x) => a + x.model.scenarios[i]!.classes[c], 0));
    assert.equal(s.planned, s.count, s.name);
  }
  assert.deepEqual(m.merged!.instances.map((x) => x.segment), ['0:1/3', '1/3:2/3', '2/3:1']);
  assert.equal(m.merged!.latency, 'exact');
  assert.equal(m.segment, undefined);
  const checks = m.thresholds.find((t) => t.metric === 'checks')!;
  assert.equal(checks.observed, m.totals.classes.success / m.totals.sent);
  assert.equal(checks.ok, false);
});

test("raw samples give each instance exactly k6's own latency figures, streamed from its raw output", async () => {
  for (const dir of DIRS) {
    const inst = load(dir);
    const r = await readRawSamples([join(dir, 'raw.csv.gz')], names(inst));
    const all = new Samples();
    for (const s of r.byScenario.values()) all.append(s);
    const mine = exactLatency(all)!;
    const k6 = inst.model.totals.latency!;
    assert.equal(mine.count, k6.count);
    for (const k of ['min', 'max', 'mean', 'median', 'p90', 'p95', 'p99'] as const) {
      assert.ok(Math.abs(mine[k]! - k6[k]!) < 1e-6, `${dir} ${k}: ${mine[k]} vs k6 ${k6[k]}`);
    }
  }
});

test("percentile interpolates between ranks as k6's TrendSink.P does", () => {
  const v = Float64Array.from([1, 2, 3, 4, 10]);
  assert.equal(percentile(v, 0.5), 3);
  assert.ok(Math.abs(percentile(v, 0.9) - 7.6) < 1e-12); // rank 3.6: 4 + (10 - 4) * 0.6
  assert.equal(percentile(Float64Array.from([7]), 0.99), 7);
});

test('without raw outputs latency is approximate, says how, and stays close to the exact figures', async () => {
  const list = instances();
  const exact = mergeSummaries(list, await raw(list));
  const approx = mergeSummaries(instances(), null);
  assert.equal(approx.merged!.latency, 'approximate');
  assert.match(approx.merged!.latencyMethod, /^approximate: .*weighted by its answers/);
  assert.ok(approx.warnings.some((w) => /Latency is approximate/.test(w)));
  const a = approx.totals.latency!;
  const e = exact.totals.latency!;
  assert.equal(a.count, e.count);
  assert.equal(a.min, e.min);
  assert.equal(a.max, e.max);
  assert.ok(Math.abs(a.mean! - e.mean!) < 1e-9);
  assert.ok(a.median! >= a.min! && a.median! <= a.p90! && a.p90! <= a.p95! && a.p95! <= a.p99! && a.p99! <= a.max!);
  // Counts are the same with or without raw data.
  assert.deepEqual(approx.totals.classes, exact.totals.classes);

  const dir = mkdtempSync(join(tmpdir(), 'party-perf-merge-'));
  try {
    const written = writeAll(dir, approx);
    const text = (name: string) => readFileSync(written.find((p) => p.endsWith(name))!, 'utf8');
    assert.match(text('report.md'), /Latency is approximate/);
    assert.match(text('report.md'), /All Routes Combined: percentiles approximate/);
    assert.match(text('report.html'), /Latency is approximate/);
    const junit = new XMLParser().parse(text('junit.xml')) as { testsuites: { testsuite: { 'system-out': string } } };
    assert.match(junit.testsuites.testsuite['system-out'], /latency approximate: /);
    assert.equal(JSON.parse(text('summary.json')).merged.latency, 'approximate');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('approximateLatency: one part is copied; parts of one distribution mix back to it', () => {
  const l = (count: number, min: number, median: number, p90: number, p95: number, p99: number, max: number, mean: number): Latency =>
    ({ count, min, median, p90, p95, p99, max, mean });
  const one = l(10, 1, 5, 9, 9.5, 9.9, 10, 5);
  assert.deepEqual(approximateLatency([one, null]), one);
  const m = approximateLatency([one, { ...one, count: 30 }])!;
  assert.equal(m.count, 40);
  for (const k of ['median', 'p90', 'p95', 'p99'] as const) assert.ok(Math.abs(m[k]! - one[k]!) < 1e-6, k);
  // Two disjoint halves: the median sits between them.
  const mixed = approximateLatency([l(50, 1, 2, 3, 3.5, 3.9, 4, 2), l(50, 10, 12, 14, 15, 16, 20, 12)])!;
  assert.ok(mixed.median! >= 4 && mixed.median! <= 10, String(mixed.median));
  assert.equal(mixed.mean, 7);
});

test('refuses a missing segment, an overlap, another sequence, another label or plan, naming the file and the fix', () => {
  const [a, b, c] = instances() as [Instance, Instance, Instance];
  const err = (list: Instance[], re: RegExp) => assert.throws(() => mergeSummaries(list, null), (e: unknown) => e instanceof MergeError && re.test(e.message), String(re));
  err([a, c], /segment 1\/3:2\/3 is missing .*--execution-segment 1\/3:2\/3/);
  err([a, b], /segment 2\/3:1 is missing \(after 1\/3:2\/3 of .*s2\/summary\.json\)/);
  err([a, b, c, load(DIRS[1]!)], /s2\/summary\.json: segment 1\/3:2\/3 overlaps 1\/3:2\/3 of .*s2\/summary\.json.*once/);
  const relabel = { file: 'other/summary.json', model: { ...c.model, label: 'another' } };
  err([a, b, relabel], /other\/summary\.json: label "another", but .*s1\/summary\.json has "dist3"\. Merge only the instances of one run/);
  const resequenced = { file: 'seq/summary.json', model: { ...c.model, segment: { segment: '1/2:1', sequence: '0,1/2,1' } } };
  err([a, b, resequenced], /seq\/summary\.json: ran with execution segment sequence 0,1\/2,1, but .* with 0,1\/3,2\/3,1/);
  const replanned = { file: 'plan/summary.json', model: { ...c.model, scenarios: c.model.scenarios.slice(1) } };
  err([a, b, replanned], /plan\/summary\.json: plan lacks scenario \w+/);
  const reprofiled = { file: 'p/summary.json', model: { ...c.model, profile: 'quick' } };
  err([a, b, reprofiled], /p\/summary\.json: profile "quick"/);
  err([], /nothing to merge/);
});

test('refuses raw outputs that do not match the summaries', async () => {
  const list = instances();
  const partial = (await readRawSamples([join(DIRS[0]!, 'raw.csv.gz')], names(list[0]!))).byScenario;
  assert.throws(() => mergeSummaries(list, partial), /raw outputs hold \d+ timed answers but the summaries count \d+\. Pass each instance's raw output once/);
});

test('the command: bad input exits 2 naming the file; --help prints the usage', async () => {
  const io = { out: '', err: '' };
  const sink = { out: (s: string) => { io.out += s; }, err: (s: string) => { io.err += s; } };
  assert.equal(await run(['--help'], sink), 0);
  assert.match(io.out, /usage: npm run merge/);
  assert.equal(await run([join(FIX, 'nope')], sink), 2);
  assert.match(io.err, /merge: \S*nope: file not found/);
  assert.equal(await run(['--bogus'], sink), 2);
  assert.match(io.err, /unknown option --bogus/);
});

test('the command merges results folders, picking up their raw outputs, into every format', async () => {
  const out = mkdtempSync(join(tmpdir(), 'party-perf-merge-'));
  try {
    const io = { out: '', err: '' };
    const code = await run([...DIRS, '--out', out], { out: (s) => { io.out += s; }, err: (s) => { io.err += s; } });
    assert.equal(code, 0, io.err);
    const m = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryModel;
    checkSummary(m, 'merged summary.json'); // the same schema as an instance's
    assert.equal(m.merged!.latency, 'exact');
    assert.equal(m.totals.planned, 360);
    assert.match(io.out, /Accounting: planned 360 \/ answered 75 \/ no response 285/);
    const csv = readFileSync(join(out, 'tables.csv'), 'utf8');
    assert.ok(csv.split('\n').length > m.scenarios.length);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("a refusal on any instance's setup survives the merge, naming that instance", () => {
  const list = instances();
  assert.equal(mergeSummaries(list, null).setupProblem, undefined);
  list[1]!.model.setupProblem = 'party-perf: preflight against http://127.0.0.1:8081 failed';
  const merged = mergeSummaries(list, null);
  assert.equal(merged.setupProblem, `${list[1]!.file}: party-perf: preflight against http://127.0.0.1:8081 failed`);
  assert.doesNotThrow(() => checkSummary(merged, 'merged'));
});
